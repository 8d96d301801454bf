import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { stockCounterDrift } from "../src/modules/analytics";
import { publishedQuantity } from "../src/modules/catalog";
import { withTenant } from "../src/platform/db";
import { QUEUES } from "../src/platform/queue";
import { partitionsRun } from "./plans";
import { makeSnsSigner, type SnsSigner } from "./sns-signing";
import { type SyncHarness, startSyncHarness, waitForJob } from "./sync-harness";
import { standardWebhookHeaders } from "./webhook-signing";

interface Candidate {
  sku: string;
  productId: string;
  quantity: number;
  reserved: number;
  amazon: number;
  medusa: number;
}

interface Endpoint {
  connectionId: string;
  url: string;
  shownUrl?: string;
  secret: string;
}

function mfnQuantityChange(sku: string, quantity: number, eventId: string) {
  return {
    NotificationVersion: "1.0",
    NotificationType: "LISTINGS_ITEM_MFN_QUANTITY_CHANGE",
    PayloadVersion: "1.0",
    EventTime: new Date().toISOString(),
    Payload: { SellerId: "A1", FulfillmentChannelCode: "DEFAULT", Sku: sku, Quantity: quantity },
    NotificationMetadata: { NotificationId: eventId, PublishTime: new Date().toISOString() },
  };
}

const sign = standardWebhookHeaders;

// biome-ignore lint/suspicious/noExplicitAny: response bodies are checked field by field
type Answer = { status: number; json: any; headers: Headers };

describe("the marketplace webhook endpoints over HTTP", () => {
  let h: SyncHarness;
  let candidates: Candidate[];
  let amazon: Endpoint;
  let medusa: Endpoint;
  let signer: SnsSigner;
  const confirmed: string[] = [];

  const q = (sql: string, params: unknown[] = []) => h.server.app.ownerPool.query(sql, params);
  const events = async () => (await q("SELECT count(*)::int AS n FROM webhook_events")).rows[0].n as number;
  const inventory = async (sku: string) =>
    (await q("SELECT quantity FROM seller_inventory WHERE sku = $1", [sku])).rows[0].quantity as number;
  const event = async (eventId: string) =>
    (
      await q(
        `SELECT status::text, event_type, connection_id AS "connectionId", payload->>'jobId' AS "jobId",
                payload->>'syncJobId' AS "syncJobId", payload->'deferredSkus' AS "deferredSkus"
           FROM webhook_events WHERE event_id = $1`,
        [eventId],
      )
    ).rows[0];

  /** The quantity Medusa (the sandbox) shows for a SKU, read through the real connector. */
  const onMedusa = async (sku: string) => {
    const connection = await h.server.app.prisma.$transaction(async (tx) => {
      await tx.$executeRaw`SELECT set_config('app.tenant_id', ${h.tenantId}, true)`;
      return tx.platformConnection.findFirstOrThrow({ where: { kind: "MEDUSA" } });
    });
    const [listing] = await h.server.app.services.connections.connectorFor(connection).readBySkus([sku]);
    return listing?.quantity;
  };
  const send = async (url: string, body: string, headers: Record<string, string>): Promise<Answer> => {
    const res = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json", ...headers },
      body,
    });
    const answer = { status: res.status, json: await res.json(), headers: res.headers };
    // What the endpoint stored is processed right after it answers, in this process: wait for that.
    await h.server.app.services.webhookIntake.drain();
    return answer;
  };
  const post = (endpoint: Endpoint, body: string, headers: Record<string, string> = {}) =>
    send(endpoint.url, body, { ...sign(endpoint.secret, body), ...headers });

  const webhookOf = async (kind: "AMAZON" | "MEDUSA", headers?: Record<string, string>) => {
    const res = await h.server.gql(
      `{ platformConnections { id kind webhook { url secret secretCreatedAt previousSecretValidUntil snsTopicArn } } }`,
      {},
      headers,
    );
    const connection = res.data!.platformConnections.find((c: { kind: string }) => c.kind === kind);
    // The URL shown names PUBLIC_URL (localhost:4000 here); the test server listens on a port of its own.
    const url = `${h.server.url}${new URL(connection.webhook.url).pathname}`;
    return { connectionId: connection.id, ...connection.webhook, shownUrl: connection.webhook.url, url };
  };

  beforeAll(async () => {
    signer = await makeSnsSigner();
    h = await startSyncHarness({
      skus: 60,
      sandbox: { divergence: 0 },
      server: {
        sns: {
          fetchCertificate: (url) => signer.fetchCertificate(url),
          confirmSubscription: async (url) => {
            confirmed.push(url.href);
          },
        },
      },
    });
    const { rows } = await q(
      `SELECT s.sku, s.product_id AS "productId", s.quantity, s.reserved_quantity AS reserved,
              a.quantity AS amazon, m.quantity AS medusa
         FROM seller_inventory s
         JOIN product_listings a ON a.product_id = s.product_id AND a.platform = 'AMAZON'
         JOIN product_listings m ON m.product_id = s.product_id AND m.platform = 'MEDUSA'
        WHERE s.fulfillment_channel = 'FBM' AND a.quantity >= 3 AND m.quantity >= 3 AND s.quantity >= 3
        ORDER BY s.sku LIMIT 9`,
    );
    candidates = rows;
    expect(candidates.length).toBe(9);
    amazon = await webhookOf("AMAZON");
    medusa = await webhookOf("MEDUSA");
  });
  afterAll(() => h?.close());

  it("gives each connection its own unguessable URL and secret, the secret to those who may read credentials", async () => {
    expect(amazon.shownUrl).toMatch(/^http:\/\/localhost:4000\/webhooks\/we_[A-Za-z0-9_-]{32}$/);
    expect(medusa.url).not.toBe(amazon.url);
    expect(amazon.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(medusa.secret).not.toBe(amazon.secret);
    expect(await webhookOf("AMAZON")).toEqual(amazon);

    const viewer = await h.server.as("demo", "VIEWER");
    const seen = await h.server.gql(`{ platformConnections { kind webhook { url } } }`, {}, viewer);
    expect(seen.errors).toBeUndefined();
    expect(seen.data!.platformConnections.map((c: { webhook: { url: string } }) => c.webhook.url)).toContain(
      amazon.shownUrl,
    );
    const secret = await h.server.gql(`{ platformConnections { webhook { secret } } }`, {}, viewer);
    expect(secret.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    const admin = await h.server.gql(
      `{ platformConnections { kind webhook { secret } } }`,
      {},
      await h.server.as("demo", "ADMIN"),
    );
    expect(admin.errors).toBeUndefined();
  });

  it("lets a request read the one endpoint its URL names, and no secret outside the tenant", async () => {
    const endpointId = new URL(amazon.url).pathname.split("/").pop()!;
    const client = await h.server.app.pool.connect();
    try {
      const count = async (table: string) =>
        (await client.query(`SELECT count(*)::int AS n FROM ${table}`)).rows[0].n as number;
      expect(await count("webhook_endpoints")).toBe(0);
      expect(await count("webhook_secrets")).toBe(0);
      await client.query("BEGIN");
      await client.query("SELECT set_config('app.webhook_endpoint', $1, true)", [endpointId]);
      expect((await client.query("SELECT id FROM webhook_endpoints")).rows).toEqual([{ id: endpointId }]);
      expect(await count("webhook_secrets")).toBe(0);
      await client.query("ROLLBACK");
    } finally {
      client.release();
    }
  });

  it("refuses a missing or wrong signature, another connection's secret, or a changed body, storing nothing", async () => {
    const body = JSON.stringify(mfnQuantityChange(candidates[0]!.sku, 1, "evt-unsigned"));
    const missing = await send(amazon.url, body, {});
    expect(missing.status).toBe(401);
    expect(missing.json.error.code).toBe("MISSING_SIGNATURE");
    const wrongSecret = `whsec_${Buffer.from("not the connection's secret!").toString("base64")}`;
    expect((await send(amazon.url, body, sign(wrongSecret, body))).json.error.code).toBe("INVALID_SIGNATURE");
    expect((await send(amazon.url, body, sign(medusa.secret, body))).status).toBe(401);
    expect((await send(amazon.url, `${body} `, sign(amazon.secret, body))).status).toBe(401);
    const headers = sign(amazon.secret, body);
    expect((await send(amazon.url, body, { ...headers, "webhook-id": "msg_other" })).status).toBe(401);
    expect(await events()).toBe(0);
  });

  it("refuses a signed request replayed outside the 5-minute window", async () => {
    const body = JSON.stringify(mfnQuantityChange(candidates[0]!.sku, 1, "evt-replayed"));
    const old = await send(
      amazon.url,
      body,
      sign(amazon.secret, body, { at: new Date(Date.now() - 6 * 60_000) }),
    );
    expect(old).toMatchObject({ status: 401, json: { error: { code: "TIMESTAMP_OUT_OF_WINDOW" } } });
    const early = await send(
      amazon.url,
      body,
      sign(amazon.secret, body, { at: new Date(Date.now() + 6 * 60_000) }),
    );
    expect(early.status).toBe(401);
    expect(await events()).toBe(0);
  });

  it("refuses URLs naming no endpoint with 401, never looking names up on a prototype", async () => {
    const base = new URL(amazon.url).origin;
    for (const name of [
      "we_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
      "constructor",
      "__proto__",
      "toString",
      "amazon",
      "medusa",
    ]) {
      const res = await send(`${base}/webhooks/${name}`, "{}", sign(amazon.secret, "{}"));
      expect(res, name).toMatchObject({
        status: 401,
        json: { error: { code: "UNKNOWN_ENDPOINT", message: "No webhook endpoint has this URL" } },
      });
    }
    expect((await send(`${base}/webhooks/amazon/demo`, "{}", sign(amazon.secret, "{}"))).status).toBe(404);
    expect(await events()).toBe(0);
  });

  it("answers malformed signed bodies with a 4xx code, never a 500, storing nothing", async () => {
    const expectCode = async (body: string, status: number, code: string) => {
      const res = await post(amazon, body);
      expect({ status: res.status, code: res.json.error?.code }, body.slice(0, 40)).toEqual({ status, code });
    };
    await expectCode("{not json", 400, "MALFORMED_PAYLOAD");
    await expectCode("[1,2]", 400, "MALFORMED_PAYLOAD");
    await expectCode(`${'{"a":'.repeat(100_000)}1${"}".repeat(100_000)}`, 400, "PAYLOAD_TOO_DEEP");
    await expectCode('{"NotificationType":"X","Payload":{"Sku":"A\\u0000"}}', 400, "NUL_CHARACTER");
    await expectCode('{"NotificationType":"X","Payload":{"Sku":"\\ud800"}}', 400, "LONE_SURROGATE");
    const huge = JSON.stringify({ pad: "x".repeat(1024 * 1024) });
    const tooLarge = await send(amazon.url, huge, sign(amazon.secret, huge));
    expect(tooLarge).toMatchObject({ status: 413, json: { error: { code: "PAYLOAD_TOO_LARGE" } } });
    expect(await events()).toBe(0);
  });

  it("turns a sale on Amazon into an urgent job lowering every other platform, and records it", async () => {
    const c = candidates[0]!;
    const body = JSON.stringify(mfnQuantityChange(c.sku, c.amazon - 2, "evt-sale-1"));
    const res = await post(amazon, body);
    expect(res).toMatchObject({ status: 200, json: { status: "RECEIVED", eventId: "evt-sale-1" } });

    const stored = await event("evt-sale-1");
    expect(stored).toMatchObject({
      status: "PROCESSED",
      event_type: "LISTINGS_ITEM_MFN_QUANTITY_CHANGE",
      connectionId: Buffer.from(amazon.connectionId, "base64url").toString().split(":")[1],
    });
    const rules = (
      await q(
        "SELECT stock_percentage, stock_buffer, stock_max FROM platform_connections WHERE kind = 'MEDUSA'",
      )
    ).rows[0];
    const target = publishedQuantity(c.quantity - 2 - c.reserved, {
      stockPercentage: rules.stock_percentage,
      stockBuffer: rules.stock_buffer,
      stockMax: rules.stock_max,
    });
    expect(target).toBeLessThan(c.medusa);
    const job = (await q("SELECT trigger::text FROM sync_jobs WHERE id = $1", [stored.jobId])).rows[0];
    expect(job).toEqual({ trigger: "WEBHOOK" });
    const items = (
      await q(
        "SELECT sku, platform::text, field, from_value, to_value FROM sync_job_items WHERE job_id = $1",
        [stored.jobId],
      )
    ).rows;
    expect(items).toEqual([
      { sku: c.sku, platform: "MEDUSA", field: "quantity", from_value: c.medusa, to_value: target },
    ]);
    expect(await inventory(c.sku)).toBe(c.quantity - 2);
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

    // The urgent job writes the lower quantity to Medusa (the sandbox, over HTTP).
    expect((await waitForJob(h.server, stored.jobId)).status).toBe("SUCCEEDED");
    expect(await onMedusa(c.sku)).toBe(target);
  });

  it("acts once on an event sent again, whatever its delivery id or unsigned headers say", async () => {
    const c = candidates[0]!;
    const body = JSON.stringify(mfnQuantityChange(c.sku, c.amazon - 2, "evt-sale-1"));
    const jobsBefore = (await q("SELECT count(*)::int AS n FROM sync_jobs")).rows[0].n;
    const again = await post(amazon, body, { "x-event-id": "evt-something-new" });
    expect(again).toMatchObject({ status: 200, json: { status: "DUPLICATE", eventId: "evt-sale-1" } });
    const headers = sign(amazon.secret, body, { id: "msg_fixed" });
    expect((await send(amazon.url, body, headers)).json.status).toBe("DUPLICATE");
    expect((await q("SELECT count(*)::int AS n FROM sync_jobs")).rows[0].n).toBe(jobsBefore);
    expect(await inventory(c.sku)).toBe(c.quantity - 2);
  });

  it("recognises an event sent again in a later month, and finds a recent event in its month only", async () => {
    const c = candidates[0]!;
    const body = JSON.stringify(mfnQuantityChange(c.sku, c.amazon - 2, "evt-sale-1"));
    // As if evt-sale-1 had arrived late last month: the event moves to last month's partition, its key with it.
    const now = new Date();
    const lastMonth = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 28, 23, 59));
    const partitionOf = async () =>
      (
        await q("SELECT tableoid::regclass::text AS name FROM webhook_events WHERE event_id = 'evt-sale-1'")
      ).rows.map((r) => r.name);
    await q("UPDATE webhook_events SET received_at = $1 WHERE event_id = 'evt-sale-1'", [lastMonth]);
    await q("UPDATE webhook_event_keys SET received_at = $1 WHERE event_id = 'evt-sale-1'", [lastMonth]);
    const month = (d: Date) =>
      `webhook_events_${d.getUTCFullYear()}_${String(d.getUTCMonth() + 1).padStart(2, "0")}`;
    expect(await partitionOf()).toEqual([month(lastMonth)]);
    const eventsBefore = await events();
    const jobsBefore = (await q("SELECT count(*)::int AS n FROM sync_jobs")).rows[0].n;
    expect((await post(amazon, body)).json).toEqual({ status: "DUPLICATE", eventId: "evt-sale-1" });
    expect(await events()).toBe(eventsBefore);
    expect((await q("SELECT count(*)::int AS n FROM sync_jobs")).rows[0].n).toBe(jobsBefore);
    expect(await inventory(c.sku)).toBe(c.quantity - 2);

    // The duplicate's lookup (key, then the event in the key's month) reads one partition of the events.
    const plan = (
      await q(
        `EXPLAIN (ANALYZE, FORMAT JSON) SELECT e.id, e.status FROM webhook_event_keys k
           JOIN webhook_events e ON e.id = k.event_row_id AND e.received_at = k.received_at
          WHERE k.tenant_id = $1 AND k.platform = 'AMAZON' AND k.event_id = 'evt-sale-1'`,
        [h.tenantId],
      )
    ).rows[0]["QUERY PLAN"];
    expect(partitionsRun(plan, "webhook_events")).toEqual([month(lastMonth)]);
  });

  it("deduplicates a notification without its own id by the signed webhook-id", async () => {
    const c = candidates[1]!;
    const body = JSON.stringify({
      name: "inventory-level.updated",
      data: { sku: c.sku, stocked_quantity: c.medusa - 1, reserved_quantity: 0 },
    });
    const headers = sign(medusa.secret, body, { id: "msg_no_body_id" });
    expect((await send(medusa.url, body, headers)).json).toEqual({
      status: "RECEIVED",
      eventId: "msg_no_body_id",
    });
    expect((await send(medusa.url, body, headers)).json).toEqual({
      status: "DUPLICATE",
      eventId: "msg_no_body_id",
    });
    expect(await inventory(c.sku)).toBe(c.quantity - 1);
  });

  it("hands an increase to a partial sync that reads the platforms", async () => {
    const c = candidates[2]!;
    const res = await post(amazon, JSON.stringify(mfnQuantityChange(c.sku, c.amazon + 5, "evt-restock-1")));
    expect(res.json).toEqual({ status: "RECEIVED", eventId: "evt-restock-1" });
    const stored = await event("evt-restock-1");
    expect(stored).toMatchObject({ status: "PROCESSED", jobId: null, deferredSkus: [c.sku] });
    const job = (
      await q("SELECT type::text, trigger::text, filters FROM sync_jobs WHERE id = $1", [stored.syncJobId])
    ).rows[0];
    expect(job).toMatchObject({ type: "PARTIAL", trigger: "WEBHOOK", filters: { skus: [c.sku] } });
    expect(await inventory(c.sku)).toBe(c.quantity);
  });

  it("keeps changes flagged on the event when no sync can take them", async () => {
    await post(amazon, JSON.stringify(mfnQuantityChange(" not a sku", 4, "evt-odd-1")));
    expect(await event("evt-odd-1")).toMatchObject({
      status: "DEFERRED",
      syncJobId: null,
      deferredSkus: [" not a sku"],
    });
  });

  it("takes Medusa inventory-level events at the Medusa connection's URL", async () => {
    const c = candidates[3]!;
    const body = JSON.stringify({
      id: "evt-medusa-1",
      name: "inventory-level.updated",
      data: { sku: c.sku, stocked_quantity: c.medusa - 1, reserved_quantity: 0 },
    });
    expect((await post(medusa, body)).json).toEqual({ status: "RECEIVED", eventId: "evt-medusa-1" });
    expect(await event("evt-medusa-1")).toMatchObject({
      status: "PROCESSED",
      event_type: "inventory-level.updated",
    });
    expect(await inventory(c.sku)).toBe(c.quantity - 1);
  });

  describe("an event stored by a process that stopped before acting on it", () => {
    const connectionUuid = () => Buffer.from(amazon.connectionId, "base64url").toString().split(":")[1]!;
    /** Stores an event as the intake does, then acts as if the process had died before processing it. */
    const storeUnprocessed = async (c: Candidate, eventId: string) => {
      const body = mfnQuantityChange(c.sku, c.amazon - 1, eventId);
      const changes = [
        { sku: c.sku, kind: "QUANTITY", quantity: c.amazon - 1, eventId, eventType: body.NotificationType },
      ];
      const { rows } = await q(
        `INSERT INTO webhook_events (tenant_id, platform, event_id, event_type, connection_id, payload)
         VALUES ($1, 'AMAZON', $2, $3, $4, $5) RETURNING id, received_at`,
        [h.tenantId, eventId, body.NotificationType, connectionUuid(), JSON.stringify({ body, changes })],
      );
      await q(
        `INSERT INTO webhook_event_keys (tenant_id, platform, event_id, event_row_id, received_at)
         VALUES ($1, 'AMAZON', $2, $3, $4)`,
        [h.tenantId, eventId, rows[0].id, rows[0].received_at],
      );
      return { body: JSON.stringify(body), rowId: rows[0].id as string };
    };

    it("is finished when the sender delivers it again", async () => {
      const c = candidates[7]!;
      const { body } = await storeUnprocessed(c, "evt-stuck-1");
      expect(await inventory(c.sku)).toBe(c.quantity);
      expect((await post(amazon, body)).json).toEqual({ status: "DUPLICATE", eventId: "evt-stuck-1" });
      expect(await event("evt-stuck-1")).toMatchObject({ status: "PROCESSED" });
      expect(await inventory(c.sku)).toBe(c.quantity - 1);
    });

    it("is processed from the queue's retry, once", async () => {
      const c = candidates[8]!;
      const since = new Date();
      const { rowId } = await storeUnprocessed(c, "evt-stuck-2");
      const queue = h.server.app.services.sync.queue;
      await queue.send(QUEUES.webhooks, { tenantId: h.tenantId, eventRowId: rowId });
      // The same retry twice: processing is idempotent.
      await queue.send(QUEUES.webhooks, { tenantId: h.tenantId, eventRowId: rowId });
      const deadline = Date.now() + 20_000;
      while ((await event("evt-stuck-2")).status === "RECEIVED" && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 50));
      }
      const stored = await event("evt-stuck-2");
      expect(stored.status).toBe("PROCESSED");
      expect((await waitForJob(h.server, stored.jobId)).status).toBe("SUCCEEDED");
      expect(await inventory(c.sku)).toBe(c.quantity - 1);
      const planned = await q(
        "SELECT count(*)::int AS n FROM sync_job_items i JOIN sync_jobs j ON j.id = i.job_id WHERE i.sku = $1 AND j.created_at >= $2",
        [c.sku, since],
      );
      expect(planned.rows[0].n).toBe(1);
    });
  });

  it("keeps a rotated secret valid during its overlap, then only the new one", async () => {
    const before = await webhookOf("MEDUSA");
    const rotate = async (overlapSeconds: number | null) => {
      const res = await h.server.gql(
        `mutation($id: ID!, $overlap: Int) {
           rotateWebhookSecret(connectionId: $id, overlapSeconds: $overlap) {
             webhook { url secret previousSecretValidUntil } userErrors { field code message }
           }
         }`,
        { id: medusa.connectionId, overlap: overlapSeconds },
      );
      return res.data!.rotateWebhookSecret;
    };
    const rotated = await rotate(3600);
    expect(rotated.userErrors).toEqual([]);
    expect(rotated.webhook.url).toBe(before.shownUrl);
    expect(rotated.webhook.secret).not.toBe(before.secret);
    const until = Date.parse(rotated.webhook.previousSecretValidUntil);
    expect(until - Date.now()).toBeGreaterThan(3500_000);

    const body = (id: string) =>
      JSON.stringify({ id, name: "inventory-level.updated", data: { sku: "NO-SUCH-SKU" } });
    expect(
      (await send(medusa.url, body("evt-old-secret"), sign(before.secret, body("evt-old-secret")))).status,
    ).toBe(200);
    const fresh = { ...medusa, secret: rotated.webhook.secret };
    expect((await post(fresh, body("evt-new-secret"))).status).toBe(200);

    // The overlap ends: the previous secret stops verifying, the new one goes on.
    await q(
      "UPDATE webhook_secrets SET expires_at = now() - interval '1 second' WHERE expires_at IS NOT NULL",
    );
    const late = await send(medusa.url, body("evt-old-late"), sign(before.secret, body("evt-old-late")));
    expect(late).toMatchObject({ status: 401, json: { error: { code: "INVALID_SIGNATURE" } } });
    expect(await event("evt-old-late")).toBeUndefined();
    expect((await post(fresh, body("evt-new-late"))).status).toBe(200);
    expect((await webhookOf("MEDUSA")).previousSecretValidUntil).toBeNull();

    // With no overlap the previous secret stops at once; the rotation is in the audit log.
    const immediate = await rotate(0);
    expect((await send(medusa.url, body("evt-x1"), sign(fresh.secret, body("evt-x1")))).status).toBe(401);
    medusa = { ...medusa, secret: immediate.webhook.secret };
    expect((await post(medusa, body("evt-x2"))).status).toBe(200);
    const audit = (
      await q(
        "SELECT action, target_type, details->>'overlapSeconds' AS overlap FROM audit_events WHERE action = 'WEBHOOK_SECRET_ROTATED' ORDER BY created_at",
      )
    ).rows;
    expect(audit).toEqual([
      { action: "WEBHOOK_SECRET_ROTATED", target_type: "PlatformConnection", overlap: "3600" },
      { action: "WEBHOOK_SECRET_ROTATED", target_type: "PlatformConnection", overlap: "0" },
    ]);
    expect((await rotate(10_000_000)).userErrors).toMatchObject([
      { field: ["overlapSeconds"], code: "OUT_OF_RANGE" },
    ]);
    const denied = await h.server.gql(
      `mutation($id: ID!) { rotateWebhookSecret(connectionId: $id) { userErrors { code } } }`,
      { id: medusa.connectionId },
      await h.server.as("demo", "EDITOR"),
    );
    expect(denied.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
  });

  describe("Amazon SNS deliveries", () => {
    const snsPost = (message: Record<string, string>) =>
      send(amazon.url, JSON.stringify(message), {
        "content-type": "text/plain; charset=UTF-8",
        "x-amz-sns-message-type": message.Type!,
      });

    it("refuses SNS messages until the endpoint is told which topic to accept", async () => {
      const res = await snsPost(signer.message("Notification", { Message: "{}" }));
      expect(res).toMatchObject({ status: 401, json: { error: { code: "UNKNOWN_TOPIC" } } });
      const set = await h.server.gql(
        `mutation($input: UpdateWebhookEndpointInput!) {
           updateWebhookEndpoint(input: $input) { webhook { snsTopicArn } userErrors { field code } }
         }`,
        { input: { connectionId: amazon.connectionId, snsTopicArn: signer.topicArn } },
      );
      expect(set.data!.updateWebhookEndpoint).toEqual({
        webhook: { snsTopicArn: signer.topicArn },
        userErrors: [],
      });
      const bad = await h.server.gql(
        `mutation($input: UpdateWebhookEndpointInput!) { updateWebhookEndpoint(input: $input) { userErrors { field code } } }`,
        { input: { connectionId: amazon.connectionId, snsTopicArn: "arn:aws:sns:us-east-1:evil" } },
      );
      expect(bad.data!.updateWebhookEndpoint.userErrors).toEqual([
        { field: ["input", "snsTopicArn"], code: "INVALID" },
      ]);
    });

    it("confirms a signed subscription through SNS's own URL, and never a forged one", async () => {
      const forged = { ...signer.message("SubscriptionConfirmation", { Message: "confirm" }) };
      forged.SubscribeURL = `${forged.SubscribeURL}&extra=1`;
      expect((await snsPost(forged)).json.error.code).toBe("INVALID_SIGNATURE");
      expect(confirmed).toEqual([]);
      const genuine = signer.message("SubscriptionConfirmation", { Message: "confirm" });
      expect(await snsPost(genuine)).toMatchObject({ status: 200, json: { status: "SUBSCRIBED" } });
      expect(confirmed).toEqual([genuine.SubscribeURL]);
    });

    it("takes a sale in an SNS notification signed with either signature version, and refuses forged ones", async () => {
      for (const [i, version] of (["1", "2"] as const).entries()) {
        const c = candidates[5 + i]!;
        const inner = JSON.stringify(mfnQuantityChange(c.sku, c.amazon - 1, `evt-sns-${version}`));
        const forged = { ...signer.message("Notification", { Message: inner }, version) };
        forged.Message = JSON.stringify(mfnQuantityChange(c.sku, 0, `evt-sns-${version}`));
        expect((await snsPost(forged)).status).toBe(401);
        // Signed by another key, claiming the genuine certificate (SigningCertURL is not itself signed).
        const other = await makeSnsSigner();
        const stranger = other.message(
          "Notification",
          { Message: inner, TopicArn: signer.topicArn },
          version,
        );
        stranger.SigningCertURL = signer.certificateUrl;
        expect((await snsPost(stranger)).json.error.code).toBe("INVALID_SIGNATURE");
        expect(await inventory(c.sku)).toBe(c.quantity);

        const res = await snsPost(signer.message("Notification", { Message: inner }, version));
        expect(res.json).toEqual({ status: "RECEIVED", eventId: `evt-sns-${version}` });
        expect(await inventory(c.sku)).toBe(c.quantity - 1);
      }
    });
  });

  it("receives the sandbox's own signed notifications: a sale there reaches Medusa", async () => {
    const c = candidates[4]!;
    const medusaBefore = (
      await q("SELECT quantity FROM product_listings WHERE sku = $1 AND platform = 'MEDUSA'", [c.sku])
    ).rows[0].quantity;
    for (const target of [
      { url: amazon.url, secret: amazon.secret },
      {
        url: amazon.url,
        sns: {
          topicArn: signer.topicArn,
          privateKeyPem: signer.privateKeyPem,
          certificateUrl: signer.certificateUrl,
        },
      },
    ]) {
      h.sandbox.control.notifyTo(target);
      const delivered = h.sandbox.control.deliveries().length;
      expect(h.sandbox.control.simulateSale("amazon", c.sku, 1)).toBe(true);
      await h.sandbox.control.deliveredCount(delivered + 1);
      await h.server.app.services.webhookIntake.drain();
      expect(h.sandbox.control.deliveries().at(-1)).toBe(200);
    }
    h.sandbox.control.notifyTo(undefined);
    expect(await inventory(c.sku)).toBe(c.quantity - 2);
    const { rows } = await q(
      "SELECT payload->>'jobId' AS id FROM webhook_events WHERE payload->'changes'->0->>'sku' = $1 AND payload->>'jobId' IS NOT NULL",
      [c.sku],
    );
    for (const { id } of rows) expect((await waitForJob(h.server, id)).status).toBe("SUCCEEDED");
    const medusaAfter = (
      await q("SELECT quantity FROM product_listings WHERE sku = $1 AND platform = 'MEDUSA'", [c.sku])
    ).rows[0].quantity;
    expect(medusaAfter).toBeLessThan(medusaBefore);
    expect(await onMedusa(c.sku)).toBe(medusaAfter);
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
    const res = await post(medusa, body);
    expect(res).toMatchObject({ status: 200, json: { status: "RECEIVED" } });
    expect(await event("evt-medusa-fba")).toMatchObject({ status: "PROCESSED" });
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

  it("leaves the analytics stock counters equal to a full recount after the events and jobs above", async () => {
    expect(await withTenant(h.server.app.pool, h.tenantId, stockCounterDrift)).toBe(0);
  });
});
