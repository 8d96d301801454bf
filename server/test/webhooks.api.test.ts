import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signWebhook, tenantWebhookSecret } from "../src/http/webhooks";
import { publishedQuantity } from "../src/modules/catalog/bulk-update.rules";
import { type SyncHarness, startSyncHarness } from "./sync-harness";

const MASTER = "test-webhook-master-secret-0123456789";
process.env.WEBHOOK_SECRET = MASTER;

interface Candidate {
  sku: string;
  productId: string;
  quantity: number;
  reserved: number;
  amazon: number;
  medusa: number;
}

function mfnQuantityChange(sku: string, quantity: number, eventId: string) {
  return {
    NotificationVersion: "1.0",
    NotificationType: "LISTINGS_ITEM_MFN_QUANTITY_CHANGE",
    PayloadVersion: "1.0",
    EventTime: "2026-11-24T10:00:00.000Z",
    Payload: { SellerId: "A1", FulfillmentChannelCode: "DEFAULT", Sku: sku, Quantity: quantity },
    NotificationMetadata: { NotificationId: eventId, PublishTime: "2026-11-24T10:00:00.000Z" },
  };
}

describe("the marketplace webhook endpoint over HTTP", () => {
  let h: SyncHarness;
  let candidates: Candidate[];

  const post = async (
    path: string,
    body: string,
    headers: Record<string, string> = {},
    slug = "demo",
    // biome-ignore lint/suspicious/noExplicitAny: response bodies are checked field by field
  ): Promise<{ status: number; json: any }> => {
    const res = await fetch(`${h.server.url}${path}`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "x-tenant": slug,
        "x-webhook-signature": signWebhook(tenantWebhookSecret(MASTER, slug), body),
        ...headers,
      },
      body,
    });
    return { status: res.status, json: await res.json() };
  };
  const q = (sql: string, params: unknown[] = []) => h.server.app.ownerPool.query(sql, params);

  beforeAll(async () => {
    h = await startSyncHarness({ skus: 60, sandbox: { divergence: 0 } });
    const { rows } = await q(
      `SELECT s.sku, s.product_id AS "productId", s.quantity, s.reserved_quantity AS reserved,
              a.quantity AS amazon, m.quantity AS medusa
         FROM seller_inventory s
         JOIN product_listings a ON a.product_id = s.product_id AND a.platform = 'AMAZON'
         JOIN product_listings m ON m.product_id = s.product_id AND m.platform = 'MEDUSA'
        WHERE s.fulfillment_channel = 'FBM' AND a.quantity >= 3 AND m.quantity >= 3 AND s.quantity >= 3
        ORDER BY s.sku LIMIT 4`,
    );
    candidates = rows;
    expect(candidates.length).toBe(4);
  });
  afterAll(() => h?.close());

  it("refuses a missing or wrong signature with 401, and another tenant's secret too", async () => {
    const body = JSON.stringify(mfnQuantityChange(candidates[0]!.sku, 1, "evt-unsigned"));
    const missing = await fetch(`${h.server.url}/webhooks/amazon`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-tenant": "demo" },
      body,
    });
    expect(missing.status).toBe(401);
    expect(await missing.json()).toEqual({
      error: { code: "INVALID_SIGNATURE", message: "x-webhook-signature does not match the body" },
    });
    const wrong = await post("/webhooks/amazon", body, { "x-webhook-signature": signWebhook("nope", body) });
    expect(wrong.status).toBe(401);
    const foreign = await post("/webhooks/amazon", body, {
      "x-webhook-signature": signWebhook(tenantWebhookSecret(MASTER, "other"), body),
    });
    expect(foreign.status).toBe(401);
    const tampered = await post("/webhooks/amazon", body, {
      "x-webhook-signature": signWebhook(tenantWebhookSecret(MASTER, "demo"), `${body} `),
    });
    expect(tampered.status).toBe(401);
    expect((await q("SELECT count(*)::int AS n FROM webhook_events")).rows[0].n).toBe(0);
  });

  it("answers malformed input with a 4xx JSON error, never a 500", async () => {
    const notJson = await post("/webhooks/amazon", "{not json");
    expect(notJson).toEqual({
      status: 400,
      json: { error: { code: "MALFORMED_PAYLOAD", message: "The body is not JSON" } },
    });
    expect((await post("/webhooks/amazon", "[1,2]")).status).toBe(400);
    const noId = await post(
      "/webhooks/amazon",
      JSON.stringify({
        NotificationType: "LISTINGS_ITEM_MFN_QUANTITY_CHANGE",
        Payload: { Sku: "X", Quantity: 1 },
      }),
    );
    expect(noId).toMatchObject({ status: 400, json: { error: { code: "MISSING_EVENT_ID" } } });
    expect((await post("/webhooks/ebay", "{}")).status).toBe(404);
    expect((await post("/webhooks/amazon", "{}", {}, "no-such-tenant")).json.error.code).toBe(
      "TENANT_NOT_FOUND",
    );
    expect((await post("/webhooks/amazon", "{}", { "x-tenant": "Bad Slug!" }, "Bad Slug!")).status).toBe(400);
  });

  it("turns a sale on Amazon into an urgent job lowering every other platform, and records it", async () => {
    const c = candidates[0]!;
    const body = JSON.stringify(mfnQuantityChange(c.sku, c.amazon - 2, "evt-sale-1"));
    const res = await post("/webhooks/amazon", body);
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ status: "PROCESSED", eventId: "evt-sale-1", deferredSkus: [] });
    expect(res.json.jobId).toEqual(expect.any(String));

    const medusa = (
      await q(
        "SELECT stock_percentage, stock_buffer, stock_max FROM platform_connections WHERE kind = 'MEDUSA'",
      )
    ).rows[0];
    const target = publishedQuantity(c.quantity - 2 - c.reserved, {
      stockPercentage: medusa.stock_percentage,
      stockBuffer: medusa.stock_buffer,
      stockMax: medusa.stock_max,
    });
    const job = (await q("SELECT trigger::text FROM sync_jobs WHERE id = $1", [res.json.jobId])).rows[0];
    expect(job).toEqual({ trigger: "WEBHOOK" });
    const items = (
      await q(
        "SELECT sku, platform::text, field, from_value, to_value FROM sync_job_items WHERE job_id = $1",
        [res.json.jobId],
      )
    ).rows;
    expect(items).toEqual(
      target < c.medusa
        ? [{ sku: c.sku, platform: "MEDUSA", field: "quantity", from_value: c.medusa, to_value: target }]
        : [],
    );
    expect((await q("SELECT quantity FROM seller_inventory WHERE sku = $1", [c.sku])).rows[0].quantity).toBe(
      c.quantity - 2,
    );
    const history = (
      await q(
        "SELECT field, platform::text, old_value, new_value, actor_type::text, actor_id FROM sync_history WHERE sku = $1 AND actor_type = 'WEBHOOK' ORDER BY platform NULLS LAST",
        [c.sku],
      )
    ).rows;
    expect(history).toEqual([
      {
        field: "quantity",
        platform: "AMAZON",
        old_value: c.amazon,
        new_value: c.amazon - 2,
        actor_type: "WEBHOOK",
        actor_id: "AMAZON",
      },
      {
        field: "quantity",
        platform: null,
        old_value: c.quantity,
        new_value: c.quantity - 2,
        actor_type: "WEBHOOK",
        actor_id: "AMAZON",
      },
    ]);
    const event = (
      await q("SELECT status::text, event_type FROM webhook_events WHERE event_id = 'evt-sale-1'")
    ).rows[0];
    expect(event).toEqual({ status: "PROCESSED", event_type: "LISTINGS_ITEM_MFN_QUANTITY_CHANGE" });
  });

  it("gets the sale to Medusa: the urgent job writes the lower quantity there", async () => {
    const c = candidates[0]!;
    const { rows } = await q(
      "SELECT id FROM sync_jobs WHERE trigger = 'WEBHOOK' ORDER BY created_at DESC LIMIT 1",
    );
    const jobId = rows[0]!.id as string;
    let status = "";
    for (;;) {
      status = (await q("SELECT status::text FROM sync_jobs WHERE id = $1", [jobId])).rows[0].status;
      if (["SUCCEEDED", "FAILED", "CANCELLED"].includes(status)) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(status).toBe("SUCCEEDED");
    const connection = await h.server.app.prisma.$transaction(async (tx) => {
      await tx.$executeRaw`SELECT set_config('app.tenant_id', ${h.tenantId}, true)`;
      return tx.platformConnection.findFirstOrThrow({ where: { kind: "MEDUSA" } });
    });
    const [onMedusa] = await h.server.app.services.connections.connectorFor(connection).readBySkus([c.sku]);
    const expected = (
      await q("SELECT quantity FROM product_listings WHERE sku = $1 AND platform = 'MEDUSA'", [c.sku])
    ).rows[0].quantity;
    expect(onMedusa?.quantity).toBe(expected);
    expect(expected).toBeLessThan(c.medusa);
  });

  it("answers a repeated event id as a duplicate and acts on it once", async () => {
    const c = candidates[0]!;
    const body = JSON.stringify(mfnQuantityChange(c.sku, c.amazon - 2, "evt-sale-1"));
    const jobsBefore = (await q("SELECT count(*)::int AS n FROM sync_jobs")).rows[0].n;
    const res = await post("/webhooks/amazon", body);
    expect(res).toMatchObject({ status: 200, json: { status: "DUPLICATE", jobId: null } });
    expect((await q("SELECT count(*)::int AS n FROM sync_jobs")).rows[0].n).toBe(jobsBefore);
    expect((await q("SELECT quantity FROM seller_inventory WHERE sku = $1", [c.sku])).rows[0].quantity).toBe(
      c.quantity - 2,
    );
  });

  it("hands an increase to a partial sync that reads the platforms, with the tenant named in the path", async () => {
    const c = candidates[1]!;
    const body = JSON.stringify(mfnQuantityChange(c.sku, c.amazon + 5, "evt-restock-1"));
    const res = await fetch(`${h.server.url}/webhooks/amazon/demo`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "x-webhook-signature": signWebhook(tenantWebhookSecret(MASTER, "demo"), body),
      },
      body,
    });
    expect(res.status).toBe(200);
    const json = (await res.json()) as { syncJobId: string };
    expect(json).toMatchObject({ status: "PROCESSED", jobId: null, deferredSkus: [c.sku] });
    const event = (
      await q(
        `SELECT status::text, payload->'deferredSkus' AS skus, payload->>'syncJobId' AS "syncJobId"
           FROM webhook_events WHERE event_id = 'evt-restock-1'`,
      )
    ).rows[0];
    expect(event).toEqual({ status: "PROCESSED", skus: [c.sku], syncJobId: json.syncJobId });
    const job = (
      await q("SELECT type::text, trigger::text, filters FROM sync_jobs WHERE id = $1", [json.syncJobId])
    ).rows[0];
    expect(job).toMatchObject({ type: "PARTIAL", trigger: "WEBHOOK", filters: { skus: [c.sku] } });
    expect((await q("SELECT quantity FROM seller_inventory WHERE sku = $1", [c.sku])).rows[0].quantity).toBe(
      c.quantity,
    );
  });

  it("keeps changes flagged on the event when no sync can take them", async () => {
    const body = JSON.stringify(mfnQuantityChange(" not a sku", 4, "evt-odd-1"));
    const res = await post("/webhooks/amazon", body);
    expect(res).toMatchObject({
      status: 200,
      json: { status: "DEFERRED", syncJobId: null, deferredSkus: [" not a sku"] },
    });
    const event = (
      await q(
        "SELECT status::text, payload->'deferredSkus' AS skus FROM webhook_events WHERE event_id = 'evt-odd-1'",
      )
    ).rows[0];
    expect(event).toEqual({ status: "RECEIVED", skus: [" not a sku"] });
  });

  it("takes Medusa inventory-level events the same way", async () => {
    const c = candidates[2]!;
    const body = JSON.stringify({
      id: "evt-medusa-1",
      name: "inventory-level.updated",
      data: { sku: c.sku, stocked_quantity: c.medusa - 1, reserved_quantity: 0 },
    });
    const res = await post("/webhooks/medusa", body);
    expect(res).toMatchObject({ status: 200, json: { status: "PROCESSED", eventId: "evt-medusa-1" } });
    expect((await q("SELECT quantity FROM seller_inventory WHERE sku = $1", [c.sku])).rows[0].quantity).toBe(
      c.quantity - 1,
    );
  });

  it("leaves an FBA quantity to Amazon when a sale on Medusa lowers the others", async () => {
    const { rows } = await q(
      `SELECT s.sku, a.quantity AS amazon, m.quantity AS medusa FROM seller_inventory s
         JOIN product_listings a ON a.product_id = s.product_id AND a.platform = 'AMAZON'
         JOIN product_listings m ON m.product_id = s.product_id AND m.platform = 'MEDUSA'
        WHERE s.fulfillment_channel = 'FBA' AND a.quantity >= 3 AND m.quantity >= 3 ORDER BY s.sku LIMIT 1`,
    );
    const fba = rows[0] as { sku: string; amazon: number; medusa: number };
    const body = JSON.stringify({
      id: "evt-medusa-fba",
      name: "inventory-level.updated",
      data: { sku: fba.sku, stocked_quantity: fba.medusa - 2, reserved_quantity: 0 },
    });
    const res = await post("/webhooks/medusa", body);
    expect(res).toMatchObject({ status: 200, json: { status: "PROCESSED" } });
    const amazon = await q("SELECT quantity FROM product_listings WHERE sku = $1 AND platform = 'AMAZON'", [
      fba.sku,
    ]);
    expect(amazon.rows[0].quantity).toBe(fba.amazon);
    const planned = await q(
      "SELECT count(*)::int AS n FROM sync_job_items WHERE sku = $1 AND platform = 'AMAZON' AND field = 'quantity'",
      [fba.sku],
    );
    expect(planned.rows[0].n).toBe(0);
  });
});
