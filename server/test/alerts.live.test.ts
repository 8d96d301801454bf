import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { toGlobalId } from "../src/graphql/global-id";

const fromGlobalId = (id: string) => Buffer.from(id, "base64url").toString().split(":")[1]!;

import { raiseAgedConflictAlerts } from "../src/modules/alerts";
import { tenantDb } from "../src/platform/db";
import { type SyncHarness, startSyncHarness, waitForJob } from "./sync-harness";
import { standardWebhookHeaders } from "./webhook-signing";

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

const ALERTS = `query($filter: AlertFilter) {
  alerts(first: 50, filter: $filter) {
    nodes {
      type priority status title resolutionReason reopenedCount lastSeenAt
      events { kind priority cause reason }
      product { sku }
    }
  }
}`;

const BULK = `mutation($input: BulkUpdateInventoryInput!) {
  bulkUpdateInventory(input: $input) { job { id } userErrors { field code message } }
}`;

interface AlertNode {
  type: string;
  priority: string;
  status: string;
  title: string;
  resolutionReason: string | null;
  reopenedCount: number;
  lastSeenAt: string;
  events: Array<{ kind: string; priority: string; cause: string; reason: string | null }>;
  product: { sku: string } | null;
}

describe("alerts raised where the change happens", () => {
  let h: SyncHarness;
  let sku: string;
  let url: string;
  let secret: string;
  const q = (sql: string, params: unknown[] = []) => h.server.app.ownerPool.query(sql, params);

  const alertsOf = async (forSku: string): Promise<AlertNode[]> => {
    const res = await h.server.gql(ALERTS, { filter: { sku: forSku } });
    expect(res.errors).toBeUndefined();
    return (res.data as { alerts: { nodes: AlertNode[] } }).alerts.nodes;
  };
  const byTitle = (nodes: AlertNode[], prefix: string) => nodes.find((n) => n.title.startsWith(prefix));

  const sell = async (quantity: number, eventId: string, of = sku) => {
    const body = JSON.stringify(mfnQuantityChange(of, quantity, eventId));
    const res = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json", ...standardWebhookHeaders(secret, body) },
      body,
    });
    expect(res.status).toBe(200);
    return Date.now();
  };
  const drain = () => h.server.app.services.webhookIntake.drain();

  beforeAll(async () => {
    h = await startSyncHarness({ skus: 40, sandbox: { divergence: 0 } });
    const { rows } = await q(
      `SELECT s.sku, a.quantity FROM seller_inventory s
         JOIN product_listings a ON a.product_id = s.product_id AND a.platform = 'AMAZON' AND a.status = 'ACTIVE'
        WHERE s.fulfillment_channel = 'FBM' AND s.quantity > 20 AND a.quantity = s.quantity
          AND s.reserved_quantity = 0 AND s.status = 'ACTIVE'
        ORDER BY s.sku LIMIT 2`,
    );
    sku = rows[0]?.sku;
    const other = rows[1] as { sku: string; quantity: number } | undefined;
    await q("UPDATE seller_inventory SET is_bestseller = true WHERE sku = $1", [sku]);
    expect(sku).toBeDefined();
    const res = await h.server.gql(`{ platformConnections { kind webhook { url secret } } }`);
    const amazon = (
      res.data as { platformConnections: Array<{ kind: string; webhook: { url: string; secret: string } }> }
    ).platformConnections.find((c) => c.kind === "AMAZON")!;
    url = `${h.server.url}${new URL(amazon.webhook.url).pathname}`;
    secret = amazon.webhook.secret;
    // The owner asks for email at once; without SMTP_URL none can go out.
    const prefs = await h.server.gql(
      `mutation { updateNotificationPreferences(input: { emailMode: IMMEDIATE }) { userErrors { code } } }`,
    );
    expect(prefs.errors).toBeUndefined();
    // One sale of another item first, so the timing below is the path's, not the first request's start-up.
    await sell(other!.quantity - 1, "evt-warm-up", other!.sku);
    await h.server.app.services.webhookIntake.drain();
    await alertsOf(other!.sku);
  });
  afterAll(() => h?.close());

  it("raises a CRITICAL alert within a second of a signed webhook sale that sells out a bestseller", async () => {
    expect(byTitle(await alertsOf(sku), "Out of stock")).toBeUndefined();
    const started = Date.now();
    await sell(0, "evt-sold-out");
    let critical: AlertNode | undefined;
    while (!critical && Date.now() - started < 5000) {
      critical = (await alertsOf(sku)).find((n) => n.priority === "CRITICAL" && n.status === "OPEN");
      if (!critical) await new Promise((r) => setTimeout(r, 20));
    }
    // The alert commits with the sale: by the database's clock it exists within a second of the notification's
    // arrival. (The wall clock of this shared test machine only bounds it loosely.)
    const { rows } = await q(
      `SELECT e.status::text, extract(epoch FROM e.processed_at - e.received_at) * 1000 AS "processedMs",
              extract(epoch FROM a.created_at - e.received_at) * 1000 AS "alertMs"
         FROM webhook_events e, alerts a
        WHERE e.event_id = 'evt-sold-out' AND a.dedupe_key = $1`,
      [`OUT_OF_STOCK:AMAZON:${sku}`],
    );
    expect(rows[0].status).toBe("PROCESSED");
    expect(Number(rows[0].alertMs)).toBeGreaterThanOrEqual(0);
    expect(Number(rows[0].alertMs)).toBeLessThanOrEqual(Number(rows[0].processedMs));
    expect(Number(rows[0].processedMs)).toBeLessThan(1000);
    expect(Date.now() - started).toBeLessThan(5000);
    expect(critical).toMatchObject({ type: "OUT_OF_STOCK", product: { sku } });
    const open = (await alertsOf(sku)).filter((n) => n.status === "OPEN");
    expect(open.map((n) => [n.title, n.priority]).sort()).toEqual(
      expect.arrayContaining([
        [`Out of stock on AMAZON: ${sku}`, "CRITICAL"],
        [`Out of stock on every channel: ${sku}`, "CRITICAL"],
      ]),
    );
    expect(byTitle(open, "Out of stock on AMAZON")!.events).toEqual([
      { kind: "RAISED", priority: "CRITICAL", cause: "WEBHOOK", reason: `Out of stock on AMAZON: ${sku}` },
    ]);
  });

  it("keeps one open alert per cause when the same condition is seen again", async () => {
    const before = byTitle(await alertsOf(sku), "Out of stock on AMAZON")!;
    await sell(0, "evt-sold-out-again");
    await drain();
    const nodes = await alertsOf(sku);
    const amazon = nodes.filter((n) => n.title === `Out of stock on AMAZON: ${sku}`);
    expect(amazon).toHaveLength(1);
    expect(new Date(amazon[0]!.lastSeenAt).getTime()).toBeGreaterThan(new Date(before.lastSeenAt).getTime());
    expect(amazon[0]!.events).toHaveLength(1);
  });

  it("resolves the alert when a bulk update restocks the item, with the reason in its history", async () => {
    // The sale's partial sync (it carries the sale to Medusa) ends first: its own end re-checks the item.
    const { rows: running } = await q(
      `SELECT id FROM sync_jobs WHERE status IN ('PENDING', 'FETCHING', 'COMPARING', 'APPLYING')`,
    );
    for (const { id } of running as Array<{ id: string }>) await waitForJob(h.server, id);
    const res = await h.server.gql(BULK, { input: { updates: [{ sku, quantity: 50 }] } });
    expect(res.errors).toBeUndefined();
    const payload = (
      res.data as { bulkUpdateInventory: { job: { id: string } | null; userErrors: unknown[] } }
    ).bulkUpdateInventory;
    expect(payload.userErrors).toEqual([]);
    const overall = byTitle(await alertsOf(sku), "Out of stock on every channel")!;
    expect(overall).toMatchObject({
      status: "RESOLVED",
      resolutionReason: "Stock restored on every channel: 50 units available",
    });
    expect(overall.events.map((e) => [e.kind, e.cause])).toEqual([
      ["RAISED", "WEBHOOK"],
      ["RESOLVED", "BULK_UPDATE"],
    ]);
    // The listings follow once the bulk job has written them; its end re-evaluates them.
    if (payload.job) await waitForJob(h.server, fromGlobalId(payload.job.id));
    const amazon = byTitle(await alertsOf(sku), "Out of stock on AMAZON")!;
    expect(amazon.status).toBe("RESOLVED");
    expect(amazon.resolutionReason).toMatch(/^Stock restored on AMAZON: \d+ units available$/);
    expect(amazon.events.at(-1)).toMatchObject({ kind: "RESOLVED" });
  });

  it("re-opens the same alert, counted, when the bestseller sells out again", async () => {
    await sell(0, "evt-sold-out-third");
    await drain();
    const nodes = await alertsOf(sku);
    const overall = nodes.filter((n) => n.title === `Out of stock on every channel: ${sku}`);
    expect(overall).toHaveLength(1);
    expect(overall[0]).toMatchObject({
      status: "OPEN",
      priority: "CRITICAL",
      reopenedCount: 1,
      resolutionReason: null,
    });
    expect(overall[0]!.events.map((e) => e.kind)).toEqual(["RAISED", "RESOLVED", "REOPENED"]);
  });

  it("raises a HIGH alert for a conflict left open past the limit, closed with its conflict", async () => {
    const { rows } = await q(
      `INSERT INTO sync_conflicts (tenant_id, product_id, sku, type, field, values, strategy, status, created_at, updated_at)
       SELECT s.tenant_id, s.product_id, s.sku, 'PRICE', 'price', '{"AMAZON": "10.00", "MEDUSA": "12.00"}'::jsonb,
              'MANUAL', 'OPEN', now() - interval '30 hours', now()
         FROM seller_inventory s WHERE s.sku = $1
       RETURNING id`,
      [sku],
    );
    const conflictId = rows[0].id as string;
    const db = tenantDb(h.server.app.prisma, h.tenantId);
    const first = await db.transaction((tx) => raiseAgedConflictAlerts(tx, h.tenantId));
    expect(first.created).toBeGreaterThanOrEqual(1);
    // A second pass finds the alert open and raises nothing more.
    expect((await db.transaction((tx) => raiseAgedConflictAlerts(tx, h.tenantId))).created).toBe(0);
    const aged = (await alertsOf(sku)).find((n) => n.title.includes("open for"));
    expect(aged).toMatchObject({ type: "SYNC_CONFLICT", priority: "HIGH", status: "OPEN" });
    expect(aged!.events).toEqual([expect.objectContaining({ kind: "RAISED", cause: "SCHEDULE" })]);

    const globalId = toGlobalId("SyncConflict", conflictId);
    const ignored = await h.server.gql(
      `mutation($id: ID!) { ignoreConflict(id: $id) { userErrors { code } } }`,
      {
        id: globalId,
      },
    );
    expect(ignored.errors).toBeUndefined();
    const closed = (await alertsOf(sku)).find((n) => n.title.includes("open for"))!;
    expect(closed.status).toBe("RESOLVED");
    expect(closed.events.at(-1)).toMatchObject({ kind: "RESOLVED", cause: "RESOLUTION" });
  });

  it("checks every item's alerts again when the thresholds change: raised above the old line, resolved below the new", async () => {
    const { rows } = await q(
      `SELECT s.sku, s.available_quantity AS available FROM seller_inventory s
        WHERE s.available_quantity BETWEEN 15 AND 500 AND s.sku <> $1
        ORDER BY s.available_quantity, s.sku LIMIT 1`,
      [sku],
    );
    const item = rows[0] as { sku: string; available: number };
    expect(item).toBeDefined();
    const overall = async () => byTitle(await alertsOf(item.sku), "Low stock overall");
    expect(await overall()).toBeUndefined();
    const SET = `mutation($input: UpdatePlatformSyncSettingsInput!) {
      updatePlatformSyncSettings(input: $input) { userErrors { code } } }`;
    const set = async (lowStockThreshold: number) => {
      const res = await h.server.gql(SET, { input: { lowStockThreshold } });
      expect(res.errors).toBeUndefined();
      expect(res.data).toEqual({ updatePlatformSyncSettings: { userErrors: [] } });
    };

    await set(item.available);
    await expect.poll(async () => (await overall())?.status).toBe("OPEN");
    expect((await overall())!.events).toEqual([
      expect.objectContaining({ kind: "RAISED", priority: "MEDIUM", cause: "SETTINGS" }),
    ]);

    await set(item.available - 1);
    await expect.poll(async () => (await overall())?.status).toBe("RESOLVED");
    expect((await overall())!.events.map((e) => [e.kind, e.cause])).toEqual([
      ["RAISED", "SETTINGS"],
      ["RESOLVED", "SETTINGS"],
    ]);
    await set(10);
  });

  it("without SMTP_URL keeps notifications in the app and writes no email", async () => {
    const res = await h.server.gql(
      `{ notificationPreferences { emailMode emailAvailable } unreadNotificationCount
         notifications(first: 50) { nodes { priority title } } }`,
    );
    expect(res.errors).toBeUndefined();
    const data = res.data as {
      notificationPreferences: { emailMode: string; emailAvailable: boolean };
      unreadNotificationCount: number;
      notifications: { nodes: Array<{ priority: string; title: string }> };
    };
    expect(data.notificationPreferences).toEqual({ emailMode: "IMMEDIATE", emailAvailable: false });
    expect(data.notifications.nodes).toContainEqual({
      priority: "CRITICAL",
      title: `Out of stock on AMAZON: ${sku}`,
    });
    expect(data.unreadNotificationCount).toBeGreaterThan(0);
    expect((await q("SELECT count(*)::int AS n FROM mail_outbox")).rows[0].n).toBe(0);
  });
});
