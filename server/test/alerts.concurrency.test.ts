import type pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { evaluateItemAlerts } from "../src/modules/alerts";
import { createOwnerPool } from "../src/platform/db";
import { startTestServer, type TestServer } from "./app";
import { asTenant, createTenant, insertItems } from "./factories";

const SKU = "RACE-0001";

/**
 * Two writers evaluating one item's alerts at once: a sync's closing re-check reads the item while a bulk update
 * that restocked it has not committed yet. Whatever the order, the alert ends as the item's latest state says.
 */
describe("alert evaluation under concurrent writers", () => {
  let server: TestServer;
  let pool: pg.Pool;
  let tenantId: string;
  let productId: string;

  const overall = async () =>
    (
      await asTenant(pool, tenantId, (c) =>
        c.query<{ status: string; events: string[] }>(
          `SELECT a.status::text AS status,
                  array(SELECT e.kind::text || ':' || e.cause FROM alert_events e WHERE e.alert_id = a.id
                         ORDER BY e.created_at, e.id) AS events
             FROM alerts a WHERE a.dedupe_key = $1`,
          [`OUT_OF_STOCK:ALL:${SKU}`],
        ),
      )
    ).rows;

  /** A transaction of its own on a connection of its own, with the tenant set. */
  async function begin() {
    const client = await pool.connect();
    await client.query("BEGIN");
    await client.query("SELECT set_config('app.tenant_id', $1, true)", [tenantId]);
    const pid = (await client.query<{ pid: number }>("SELECT pg_backend_pid() AS pid")).rows[0]!.pid;
    return { client, pid };
  }

  /** Until the backend waits for a lock, or the work is done. */
  async function blockedOrDone(pid: number, work: Promise<unknown>) {
    let done = false;
    void work.finally(() => {
      done = true;
    });
    for (;;) {
      if (done) return "done";
      const { rows } = await pool.query(
        "SELECT 1 FROM pg_stat_activity WHERE pid = $1 AND wait_event_type = 'Lock'",
        [pid],
      );
      if (rows.length > 0) return "blocked";
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  beforeAll(async () => {
    server = await startTestServer();
    // Two open transactions and a watcher of their locks.
    pool = createOwnerPool(server.dbUrl, 4);
    const tenant = await createTenant(pool, "demo");
    tenantId = tenant.tenantId;
    productId = (await insertItems(pool, tenant, [{ sku: SKU, title: "Race", quantity: 0 }])).get(SKU)!;
    await asTenant(pool, tenantId, (c) => evaluateItemAlerts(c, tenantId, [productId], "WEBHOOK"));
    expect((await overall()).map((a) => a.status)).toEqual(["OPEN"]);
  });
  afterAll(async () => {
    await pool?.end();
    await server?.close();
  });

  it("keeps the alert a restock resolved when a re-check that began before the restock committed ends after it", async () => {
    // The bulk update: restocked and evaluated (the alert resolved), not yet committed.
    const bulk = await begin();
    const sync = await begin();
    try {
      await bulk.client.query("UPDATE seller_inventory SET quantity = 50 WHERE sku = $1", [SKU]);
      const bulkChanges = await evaluateItemAlerts(bulk.client, tenantId, [productId], "BULK_UPDATE");
      expect(bulkChanges.resolved).toBe(1);
      // The sync's closing re-check of the same item, meanwhile.
      const recheck = evaluateItemAlerts(sync.client, tenantId, [productId], "SYNC");
      recheck.catch(() => {});
      // It waits for the bulk update's transaction to end.
      expect(await blockedOrDone(sync.pid, recheck)).toBe("blocked");
      await bulk.client.query("COMMIT");
      await recheck;
      await sync.client.query("COMMIT");
    } finally {
      bulk.client.release();
      sync.client.release();
    }
    const [alert] = await overall();
    expect(alert).toEqual({ status: "RESOLVED", events: ["RAISED:WEBHOOK", "RESOLVED:BULK_UPDATE"] });
  });

  it("lets a restock that comes while a re-check holds the item wait for it, then resolve the alert", async () => {
    // Sold out again: the alert is open once more.
    await asTenant(pool, tenantId, async (c) => {
      await c.query("UPDATE seller_inventory SET quantity = 0 WHERE sku = $1", [SKU]);
      await evaluateItemAlerts(c, tenantId, [productId], "WEBHOOK");
    });
    expect((await overall())[0]!.status).toBe("OPEN");
    const sync = await begin();
    const bulk = await begin();
    try {
      await evaluateItemAlerts(sync.client, tenantId, [productId], "SYNC");
      // The stock itself can be written meanwhile; the restock's evaluation waits for the re-check.
      await bulk.client.query("UPDATE seller_inventory SET quantity = 50 WHERE sku = $1", [SKU]);
      const evaluation = evaluateItemAlerts(bulk.client, tenantId, [productId], "BULK_UPDATE");
      evaluation.catch(() => {});
      expect(await blockedOrDone(bulk.pid, evaluation)).toBe("blocked");
      await sync.client.query("COMMIT");
      expect((await evaluation).resolved).toBe(1);
      await bulk.client.query("COMMIT");
    } finally {
      bulk.client.release();
      sync.client.release();
    }
    const [alert] = await overall();
    expect(alert!.status).toBe("RESOLVED");
    expect(alert!.events.slice(-2)).toEqual(["REOPENED:WEBHOOK", "RESOLVED:BULK_UPDATE"]);
  });

  it("lets two writers of one item's rows each evaluate it, one after the other, without a deadlock", async () => {
    const a = await begin();
    const b = await begin();
    try {
      // Each holds the product FOR SHARE (the analytics counters) until it commits.
      await a.client.query("UPDATE seller_inventory SET quantity = 7 WHERE sku = $1", [SKU]);
      await b.client.query("UPDATE product_listings SET quantity = 7 WHERE sku = $1", [SKU]);
      await evaluateItemAlerts(a.client, tenantId, [productId], "BULK_UPDATE");
      const second = evaluateItemAlerts(b.client, tenantId, [productId], "WEBHOOK");
      second.catch(() => {});
      expect(await blockedOrDone(b.pid, second)).toBe("blocked");
      await a.client.query("COMMIT");
      await second;
      await b.client.query("COMMIT");
    } finally {
      a.client.release();
      b.client.release();
    }
  });
});
