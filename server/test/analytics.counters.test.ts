import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  AnalyticsReader,
  compactAllStockCounters,
  refreshAllRollups,
  refreshTenantRollups,
  type StockSource,
  stockCounterDrift,
} from "../src/modules/analytics";
import { resolvePeriod } from "../src/modules/analytics/analytics.period";
import { createAppPool, createOwnerPool, type TenantDb } from "../src/platform/db";
import { createTestDatabase } from "./database";
import { asTenant, createTenant } from "./factories";

type Tenant = Awaited<ReturnType<typeof createTenant>>;

describe("analytics stock counters", () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let owner: pg.Pool;
  let app: pg.Pool;
  let shop: Tenant;
  let other: Tenant;

  /** The stock parts of the analytics query as the resolver answers them, from the counters or read live. */
  async function stockParts(tenantId: string, source: StockSource) {
    return asTenant(app, tenantId, async (c) => {
      const db = { tenantId, sql: async (q) => (await c.query(q.text, q.values)).rows } as TenantDb;
      const reader = new AnalyticsReader(
        db,
        resolvePeriod({ from: null, to: null, period: null }),
        new Date(),
        source,
      );
      return {
        products: await reader.products(),
        inventoryValue: await reader.inventoryValue(),
        stockDistribution: await reader.stockDistribution(),
      };
    });
  }

  /** The counters agree with a full recount, and the answers from them with the answers read live. */
  async function expectExact(tenant: Tenant = shop) {
    expect(await asTenant(app, tenant.tenantId, stockCounterDrift)).toBe(0);
    const [counted, live] = await Promise.all([
      stockParts(tenant.tenantId, "counters"),
      stockParts(tenant.tenantId, "live"),
    ]);
    expect(counted).toEqual(live);
    return counted;
  }

  const stale = (tenantId: string) =>
    asTenant(app, tenantId, async (c) => {
      const { rows } = await c.query("SELECT 1 FROM analytics_stock_counters WHERE scope = 'STALE'");
      return rows.length > 0;
    });

  /** `n` products with their seller inventory (a third FBA), an Amazon listing each and a Medusa one for half. */
  async function seed(tenant: Tenant, n: number, prefix: string) {
    await asTenant(app, tenant.tenantId, async (c) => {
      await c.query(
        `INSERT INTO products (sku, title, cost, updated_at)
         SELECT $2 || g, 'Item ' || g, CASE WHEN g % 7 = 0 THEN NULL ELSE (g % 50) + 0.25 END, now()
           FROM generate_series(1, $1) g`,
        [n, prefix],
      );
      await c.query(
        `INSERT INTO seller_inventory (product_id, sku, title, fulfillment_channel, quantity, reserved_quantity, price,
                                       status, updated_at)
         SELECT id, sku, title, (CASE WHEN n % 3 = 0 THEN 'FBA' ELSE 'FBM' END)::"FulfillmentChannel", n * 2, n % 3,
                CASE WHEN n % 11 = 0 THEN NULL ELSE (n % 90) + 0.99 END,
                (CASE WHEN n % 13 = 0 THEN 'INACTIVE' ELSE 'ACTIVE' END)::"ListingStatus", now()
           FROM (SELECT id, sku, title, substr(sku, length($1) + 1)::int AS n FROM products WHERE sku LIKE $1 || '%') p`,
        [prefix],
      );
      await c.query(
        `INSERT INTO product_listings (product_id, connection_id, platform, sku, quantity, price, status, updated_at)
         SELECT product_id, $1, 'AMAZON', sku, quantity, price, status, now() FROM seller_inventory WHERE sku LIKE $2 || '%'`,
        [tenant.connections.AMAZON, prefix],
      );
      await c.query(
        `INSERT INTO product_listings (product_id, connection_id, platform, sku, quantity, price, status, updated_at)
         SELECT product_id, $1, 'MEDUSA', sku, greatest(quantity - 1, 0), 4.5, 'ACTIVE', now()
           FROM seller_inventory WHERE sku LIKE $2 || '%' AND substr(sku, length($2) + 1)::int % 2 = 0`,
        [tenant.connections.MEDUSA, prefix],
      );
    });
  }

  beforeAll(async () => {
    database = await createTestDatabase();
    owner = createOwnerPool(database.url, 2);
    app = createAppPool(database.url, 8);
    shop = await createTenant(owner, "counted");
    other = await createTenant(owner, "elsewhere");
    await seed(shop, 300, "C-");
    await seed(other, 40, "O-");
  });

  afterAll(async () => {
    await app?.end();
    await owner?.end();
    await database?.drop();
  });

  it("counts inserted stock exactly as the live aggregates do, per tenant", async () => {
    const parts = await expectExact();
    expect(parts.products.totalItems).toBe(300);
    expect(parts.products.byPlatform.map((p) => [p.platform, p.items, p.listings])).toEqual([
      ["AMAZON", 300, 300],
      ["MEDUSA", 150, 150],
    ]);
    expect((await expectExact(other)).products.totalItems).toBe(40);
  });

  it("stays exact through single-row and bulk updates of quantity, price, status, channel and cost", async () => {
    await asTenant(app, shop.tenantId, async (c) => {
      await c.query("UPDATE seller_inventory SET quantity = 77, reserved_quantity = 5 WHERE sku = 'C-10'");
      await c.query("UPDATE seller_inventory SET price = NULL WHERE sku = 'C-12'");
      await c.query(
        "UPDATE seller_inventory SET status = 'SUPPRESSED', fulfillment_channel = 'FBA' WHERE sku = 'C-14'",
      );
      await c.query("UPDATE product_listings SET quantity = 0, status = 'INACTIVE' WHERE sku = 'C-16'");
      await c.query("UPDATE products SET cost = NULL WHERE sku = 'C-20'");
      await c.query("UPDATE products SET cost = 3.10 WHERE sku = 'C-21'");
    });
    await expectExact();
    await asTenant(app, shop.tenantId, async (c) => {
      // Bulk: every row in one statement, each trigger runs once.
      await c.query("UPDATE seller_inventory SET quantity = quantity + 3, price = coalesce(price, 1) * 1.1");
      await c.query("UPDATE product_listings SET quantity = quantity + 1 WHERE platform = 'MEDUSA'");
      await c.query(
        "UPDATE products SET cost = CASE WHEN cost IS NULL THEN 2 WHEN cost > 30 THEN NULL ELSE cost + 1 END",
      );
      await c.query("UPDATE seller_inventory SET last_seen_at = now()");
    });
    await expectExact();
  });

  it("stays exact when items and listings come and go, and when a connection takes its listings", async () => {
    await asTenant(app, shop.tenantId, async (c) => {
      await c.query(
        "DELETE FROM product_listings WHERE platform = 'MEDUSA' AND sku IN ('C-2', 'C-4', 'C-6')",
      );
      await c.query("DELETE FROM seller_inventory WHERE sku IN ('C-8', 'C-9')");
      // A second seller SKU for a product that has listings, and a Medusa listing for one that had none.
      await c.query(
        `INSERT INTO seller_inventory (product_id, sku, title, quantity, price, updated_at)
         SELECT product_id, 'C-3-B', 'Second', 9, 2.5, now() FROM seller_inventory WHERE sku = 'C-3'`,
      );
      await c.query(
        `INSERT INTO product_listings (product_id, connection_id, platform, sku, quantity, price, updated_at)
         SELECT product_id, $1, 'MEDUSA', sku, 4, 8.5, now() FROM seller_inventory WHERE sku IN ('C-3', 'C-5')`,
        [shop.connections.MEDUSA],
      );
      // Moves an item to another product.
      await c.query(
        `UPDATE seller_inventory SET product_id = (SELECT product_id FROM seller_inventory WHERE sku = 'C-7')
          WHERE sku = 'C-11'`,
      );
    });
    await expectExact();
    await asTenant(app, shop.tenantId, (c) =>
      c.query("DELETE FROM platform_connections WHERE id = $1", [shop.connections.MEDUSA]),
    );
    const parts = await expectExact();
    expect(parts.products.byPlatform.map((p) => p.platform)).toEqual(["AMAZON"]);
    expect(await stale(shop.tenantId)).toBe(false);
  });

  it("stays exact under concurrent writers changing the same products' costs, quantities and listings", async () => {
    const medusa = await asTenant(app, shop.tenantId, async (c) => {
      const { rows } = await c.query<{ id: string }>(
        `INSERT INTO platform_connections (kind, name, priority, updated_at) VALUES ('MEDUSA', 'Medusa 2', 3, now())
         RETURNING id`,
      );
      return rows[0]!.id;
    });
    // Writers of overlapping rows in two statements each can deadlock on the rows themselves; PostgreSQL then
    // aborts one, and like any client it runs its transaction again (its deltas went with the rollback).
    const retryingDeadlocks = async (write: () => Promise<void>) => {
      for (let attempt = 1; ; attempt++) {
        try {
          return await write();
        } catch (error) {
          if ((error as { code?: string }).code !== "40P01" || attempt === 5) throw error;
        }
      }
    };
    const writers = Array.from({ length: 24 }, (_, i) =>
      retryingDeadlocks(() =>
        asTenant(app, shop.tenantId, async (c) => {
          const lo = (i % 6) * 40;
          const range = [`C-${lo}`, `C-${lo + 60}`];
          const hold = () => c.query("SELECT pg_sleep(0.01 * (random() * 3))");
          switch (i % 4) {
            case 0:
              await c.query(
                "UPDATE seller_inventory SET quantity = quantity + $3 WHERE sku BETWEEN $1 AND $2",
                [...range, i],
              );
              await hold();
              await c.query(
                "UPDATE seller_inventory SET price = coalesce(price, 0) + 1 WHERE sku BETWEEN $1 AND $2",
                range,
              );
              break;
            case 1:
              // A catalog edit: one product's cost in its own transaction, while its items' quantities change.
              await c.query("UPDATE products SET cost = coalesce(cost, 1) * 2 WHERE sku = $1", [
                `C-${lo + 5 + i}`,
              ]);
              await hold();
              break;
            case 2:
              await c.query(
                `INSERT INTO product_listings (product_id, connection_id, platform, sku, quantity, price, updated_at)
               SELECT product_id, $3, 'MEDUSA', sku || '-' || $4, 1, 1, now() FROM seller_inventory
                WHERE sku BETWEEN $1 AND $2 AND sku LIKE '%1'
               ON CONFLICT (connection_id, product_id) DO NOTHING`,
                [...range, medusa, i],
              );
              await hold();
              await c.query(
                "UPDATE product_listings SET quantity = quantity + 1 WHERE sku BETWEEN $1 AND $2",
                range,
              );
              break;
            default:
              // Second seller SKUs for products that have listings, then (later writers) some of them removed.
              if (i < 12)
                await c.query(
                  `INSERT INTO seller_inventory (product_id, sku, title, quantity, price, updated_at)
                 SELECT product_id, sku || '-x' || $3, 'Extra', 3, 1.25, now() FROM seller_inventory
                  WHERE sku BETWEEN $1 AND $2 AND sku LIKE '%1'`,
                  [...range, i],
                );
              else await c.query("DELETE FROM seller_inventory WHERE sku LIKE $1", [`%-x${i - 12}`]);
              await hold();
              await c.query(
                "UPDATE seller_inventory SET reserved_quantity = 1 WHERE sku BETWEEN $1 AND $2",
                range,
              );
          }
        }),
      ),
    );
    await Promise.all(writers);
    await expectExact();
  });

  it("folds the delta rows into one per key without changing the sums", async () => {
    const rows = () =>
      asTenant(app, shop.tenantId, async (c) => {
        const { rows } = await c.query<{ n: number }>(
          "SELECT count(*)::int AS n FROM analytics_stock_counters",
        );
        return rows[0]!.n;
      });
    const before = await rows();
    expect(await compactAllStockCounters(owner, app, 30)).toBeGreaterThanOrEqual(1);
    const after = await rows();
    expect(after).toBeLessThan(before);
    expect(after).toBeLessThanOrEqual(3 * 2 * 5 + 2 * 5 + 2);
    await expectExact();
  });

  it("reads live while a deleted product's cascade left the counters stale, until the refresh recounts them", async () => {
    await asTenant(app, shop.tenantId, (c) => c.query("DELETE FROM products WHERE sku IN ('C-30', 'C-31')"));
    expect(await stale(shop.tenantId)).toBe(true);
    const [counted, live] = await Promise.all([
      stockParts(shop.tenantId, "counters"),
      stockParts(shop.tenantId, "live"),
    ]);
    expect(counted).toEqual(live);
    expect(await refreshTenantRollups(app, shop.tenantId)).toBeGreaterThan(0);
    expect(await stale(shop.tenantId)).toBe(false);
    await expectExact();
  });

  it("reads live after one statement wrote items with their listings (as the demo seed does), until recounted", async () => {
    await asTenant(app, shop.tenantId, (c) =>
      c.query(
        `WITH p AS (INSERT INTO products (sku, title, cost, updated_at) VALUES ('C-ONE', 'One', 2, now()) RETURNING id),
              s AS (INSERT INTO seller_inventory (product_id, sku, title, quantity, price, updated_at)
                    SELECT id, 'C-ONE', 'One', 4, 3, now() FROM p)
         INSERT INTO product_listings (product_id, connection_id, platform, sku, quantity, price, updated_at)
         SELECT id, $1, 'AMAZON', 'C-ONE', 4, 3, now() FROM p`,
        [shop.connections.AMAZON],
      ),
    );
    expect(await stale(shop.tenantId)).toBe(true);
    const [counted, live] = await Promise.all([
      stockParts(shop.tenantId, "counters"),
      stockParts(shop.tenantId, "live"),
    ]);
    expect(counted).toEqual(live);
    expect(await refreshTenantRollups(app, shop.tenantId)).toBeGreaterThan(0);
    await expectExact();
  });

  it("finds and repairs counters that drifted, and leaves right ones alone", async () => {
    await owner.query(
      "UPDATE analytics_stock_counters SET units = units + 5 WHERE tenant_id = $1 AND scope = 'ITEM'",
      [other.tenantId],
    );
    expect(await asTenant(app, other.tenantId, stockCounterDrift)).toBeGreaterThan(0);
    const round = await refreshAllRollups(owner, app);
    expect(round).toEqual({ tenants: 2, repaired: [other.tenantId] });
    await expectExact(other);
    await expectExact();
  });

  it("keeps each tenant's counters to itself and lets a tenant go with its stock", async () => {
    const seen = await asTenant(app, shop.tenantId, async (c) => {
      const { rows } = await c.query<{ tenant_id: string }>(
        "SELECT DISTINCT tenant_id FROM analytics_stock_counters",
      );
      return rows.map((r) => r.tenant_id);
    });
    expect(seen).toEqual([shop.tenantId]);
    const gone = await createTenant(owner, "gone");
    await seed(gone, 5, "G-");
    await owner.query("DELETE FROM tenants WHERE id = $1", [gone.tenantId]);
    const { rows } = await owner.query("SELECT 1 FROM analytics_stock_counters WHERE tenant_id = $1", [
      gone.tenantId,
    ]);
    expect(rows).toEqual([]);
  });

  it("lists every tenant for the refresh when the owner cannot bypass row-level security", async () => {
    await owner.query(`DO $$ BEGIN
      IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'plain_owner') THEN
        CREATE ROLE plain_owner NOLOGIN NOSUPERUSER NOBYPASSRLS;
      END IF; END $$`);
    await owner.query("GRANT USAGE ON SCHEMA public TO plain_owner");
    await owner.query("GRANT SELECT ON tenants, analytics_stock_counters TO plain_owner");
    const plain = new pg.Pool({ connectionString: database.url, max: 1, options: "-c role=plain_owner" });
    try {
      // Without the maintenance role the tenants are hidden: the refresh would have found none.
      expect((await refreshAllRollups(plain, app)).tenants).toBe(0);
      await owner.query("GRANT inventory_maintenance TO plain_owner");
      expect(await refreshAllRollups(plain, app)).toEqual({ tenants: 2, repaired: [] });
      await asTenant(app, shop.tenantId, (c) =>
        c.query("UPDATE seller_inventory SET quantity = quantity + 1 WHERE sku LIKE 'C-1%'"),
      );
      expect(await compactAllStockCounters(plain as pg.Pool, app, 0)).toBe(2);
    } finally {
      await plain.end();
      await owner.query("REVOKE inventory_maintenance FROM plain_owner");
    }
    await expectExact();
  });
});
