import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase } from "../../../../test/database";
import { demoDifferences, generateDemoCatalog } from "./generator";
import { seedTenant, seedTenants } from "./seed";

const SKUS = 2000;
const NOW = new Date("2026-11-24T12:00:00.000Z");

let database: Awaited<ReturnType<typeof createTestDatabase>>;
let pool: pg.Pool;
let tenantId: string;
let ownerId: string;
const progress: [number, number][] = [];

/** Runs a query as the application role in a transaction scoped to one tenant, so row-level security applies. */
async function tenantQuery<R extends pg.QueryResultRow>(
  tenant: string,
  sql: string,
  params: unknown[] = [],
): Promise<R[]> {
  const client = await pool.connect();
  try {
    await client.query("BEGIN");
    await client.query("SET LOCAL ROLE inventory_app");
    await client.query("SELECT set_config('app.tenant_id', $1, true)", [tenant]);
    const { rows } = await client.query<R>(sql, params);
    await client.query("COMMIT");
    return rows;
  } finally {
    client.release();
  }
}

const q = <R extends pg.QueryResultRow>(sql: string, params: unknown[] = []) =>
  tenantQuery<R>(tenantId, sql, params);

async function countBy(table: string, column: string): Promise<Record<string, number>> {
  const rows = await q<{ key: string; n: number }>(
    `SELECT ${column}::text AS key, count(*)::int AS n FROM ${table} GROUP BY 1`,
  );
  return Object.fromEntries(rows.map((r) => [r.key, r.n]));
}

beforeAll(async () => {
  database = await createTestDatabase();
  pool = new pg.Pool({ connectionString: database.url, max: 3 });
  const owner = await pool.query<{ id: string }>(
    "INSERT INTO users (email, name, updated_at) VALUES ('owner@demo.example.com', 'Demo Owner', now()) RETURNING id",
  );
  ownerId = owner.rows[0]!.id;
  const result = await seedTenant(pool, {
    ownerId,
    slug: "demo",
    name: "Demo Store",
    skus: SKUS,
    now: NOW,
    batchSize: 700,
    amazonEndpoint: "http://127.0.0.1:4100/amazon",
    medusaEndpoint: "http://127.0.0.1:4100/medusa",
    onProgress: (done, total) => progress.push([done, total]),
  });
  expect(result.created).toBe(true);
  tenantId = result.tenantId;
});

afterAll(async () => {
  await pool?.end();
  await database?.drop();
});

describe("seedTenant", () => {
  it("writes every SKU to the catalog, Amazon inventory and listings", async () => {
    const catalog = generateDemoCatalog({ skus: SKUS });
    const [counts] = await q<{ products: number; inventory: number; amazon: number; medusa: number }>(
      `SELECT (SELECT count(*)::int FROM products) AS products,
              (SELECT count(*)::int FROM seller_inventory) AS inventory,
              (SELECT count(*)::int FROM product_listings WHERE platform = 'AMAZON') AS amazon,
              (SELECT count(*)::int FROM product_listings WHERE platform = 'MEDUSA') AS medusa`,
    );
    expect(counts).toEqual({
      products: SKUS,
      inventory: SKUS,
      amazon: SKUS,
      medusa: catalog.filter((p) => p.medusa).length,
    });
    const [first] = await q<{
      sku: string;
      asin: string;
      price: string;
      available: number;
      quantity: number;
    }>(
      `SELECT sku, asin, price::text, available_quantity AS available, quantity - reserved_quantity AS quantity
         FROM seller_inventory WHERE sku = $1`,
      [catalog[0]!.sku],
    );
    expect(first).toMatchObject({ asin: catalog[0]!.asin, price: catalog[0]!.amazon.price });
    expect(first!.available).toBe(first!.quantity);
  });

  it("reports progress up to the total", () => {
    expect(progress[0]).toEqual([0, SKUS]);
    expect(progress.at(-1)).toEqual([SKUS, SKUS]);
    expect(progress.length).toBeGreaterThan(2);
  });

  it("makes the given user the owner, and creates the settings and both connections", async () => {
    const members = await q<{ role: string; user_id: string }>("SELECT role::text, user_id FROM memberships");
    expect(members).toEqual([{ role: "OWNER", user_id: ownerId }]);
    const [settings] = await q("SELECT * FROM platform_sync_settings");
    expect(settings).toMatchObject({
      auto_sync: true,
      sync_interval_minutes: 30,
      conflict_strategy: "SOURCE_WINS",
      low_stock_threshold: 10,
      out_of_stock_threshold: 0,
      max_price_variance_pct: "5.00",
    });
    const connections = await q(
      "SELECT kind::text, name, priority, region, marketplace_id, seller_id, endpoint, last_health_status::text FROM platform_connections ORDER BY priority",
    );
    expect(connections).toEqual([
      {
        kind: "AMAZON",
        name: "Amazon US",
        priority: 1,
        region: "NA",
        marketplace_id: "ATVPDKIKX0DER",
        seller_id: "A2DEMOSELLER01",
        endpoint: "http://127.0.0.1:4100/amazon",
        last_health_status: "UNKNOWN",
      },
      {
        kind: "MEDUSA",
        name: "Medusa Store",
        priority: 2,
        region: null,
        marketplace_id: null,
        seller_id: null,
        endpoint: "http://127.0.0.1:4100/medusa",
        last_health_status: "UNKNOWN",
      },
    ]);
  });

  it("leaves only finished sync jobs, in every outcome, with an error on the failed ones", async () => {
    // A seeded running job would never end: no queue entry, no worker.
    expect(Object.keys(await countBy("sync_jobs", "status")).sort()).toEqual([
      "CANCELLED",
      "FAILED",
      "SUCCEEDED",
    ]);
    const failed = await q<{ error: string | null; finished_at: Date | null }>(
      "SELECT error, finished_at FROM sync_jobs WHERE status = 'FAILED'",
    );
    for (const job of failed) {
      expect(job.error).toBeTruthy();
      expect(job.finished_at).not.toBeNull();
    }
    const failedItems = await q<{ n: number }>(
      `SELECT count(*)::int AS n FROM sync_job_items i JOIN sync_jobs j ON j.id = i.job_id
        WHERE j.status = 'FAILED' AND i.status = 'FAILED' AND i.error_code IS NOT NULL`,
    );
    expect(failedItems[0]!.n).toBeGreaterThan(0);
  });

  it("counts a job's updates exactly as its history records them", async () => {
    const rows = await q<{ status: string; updated_items: number; history: number; items: number }>(
      `SELECT j.status::text, j.updated_items,
              (SELECT count(*)::int FROM sync_history h WHERE h.job_id = j.id) AS history,
              (SELECT count(*)::int FROM sync_job_items i WHERE i.job_id = j.id AND i.status = 'APPLIED') AS items
         FROM sync_jobs j`,
    );
    for (const row of rows) {
      expect(row.history).toBe(row.updated_items);
      expect(row.items).toBe(row.updated_items);
    }
    expect(rows.filter((r) => r.status === "SUCCEEDED").some((r) => r.history > 0)).toBe(true);
  });

  it("derives open and ignored conflicts from what the listings disagree about today", async () => {
    const catalog = generateDemoCatalog({ skus: SKUS });
    const expected = catalog.flatMap((p) => demoDifferences(p).map((d) => `${p.sku}|${d.type}`)).sort();
    const rows = await q<{
      sku: string;
      type: string;
      values: Record<string, unknown>;
      amazon: unknown;
      medusa: unknown;
    }>(
      `SELECT c.sku, c.type::text, c.values,
              CASE c.field WHEN 'price' THEN to_jsonb(a.price::text) WHEN 'quantity' THEN to_jsonb(a.quantity)
                           ELSE to_jsonb(a.status::text) END AS amazon,
              CASE c.field WHEN 'price' THEN to_jsonb(m.price::text) WHEN 'quantity' THEN to_jsonb(m.quantity)
                           ELSE to_jsonb(m.status::text) END AS medusa
         FROM sync_conflicts c
         JOIN product_listings a ON a.product_id = c.product_id AND a.platform = 'AMAZON'
         JOIN product_listings m ON m.product_id = c.product_id AND m.platform = 'MEDUSA'
        WHERE c.status IN ('OPEN', 'IGNORED')`,
    );
    expect(rows.map((r) => `${r.sku}|${r.type}`).sort()).toEqual(expected);
    for (const row of rows) expect(row.values).toEqual({ AMAZON: row.amazon, MEDUSA: row.medusa });
  });

  it("leaves conflicts in every status, resolved ones with their resolution and a history row", async () => {
    expect(Object.keys(await countBy("sync_conflicts", "status")).sort()).toEqual([
      "IGNORED",
      "OPEN",
      "RESOLVED",
    ]);
    expect(Object.keys(await countBy("sync_conflicts", "type")).sort()).toEqual([
      "PRICE",
      "QUANTITY",
      "STATUS",
    ]);
    const resolved = await q<{
      resolved_value: unknown;
      amazon: unknown;
      medusa_today: unknown;
      history: number;
      resolved_at: Date | null;
    }>(
      `SELECT c.resolved_value, c.values -> 'AMAZON' AS amazon, c.resolved_at,
              CASE c.field WHEN 'price' THEN to_jsonb(m.price::text) WHEN 'quantity' THEN to_jsonb(m.quantity)
                           ELSE to_jsonb(m.status::text) END AS medusa_today,
              (SELECT count(*)::int FROM sync_history h
                WHERE h.product_id = c.product_id AND h.field = c.field AND h.new_value = c.resolved_value) AS history
         FROM sync_conflicts c
         JOIN product_listings m ON m.product_id = c.product_id AND m.platform = 'MEDUSA'
        WHERE c.status = 'RESOLVED'`,
    );
    expect(resolved.length).toBeGreaterThan(0);
    for (const c of resolved) {
      // Settled in Amazon's favour, so Medusa shows the resolved value today.
      expect(c.resolved_value).toEqual(c.amazon);
      expect(c.medusa_today).toEqual(c.resolved_value);
      expect(c.resolved_at).not.toBeNull();
      expect(c.history).toBeGreaterThanOrEqual(1);
    }
    const strategies = await countBy("sync_conflicts", "strategy");
    expect(Object.keys(strategies)).toEqual(["SOURCE_WINS"]);
  });

  it("raises alerts of every type, priority and status, each with a dedupe key", async () => {
    expect(Object.keys(await countBy("alerts", "type")).sort()).toEqual(
      [
        "LOW_STOCK",
        "OUT_OF_STOCK",
        "PRICE_VARIANCE",
        "STALE_DATA",
        "SYNC_CONFLICT",
        "SYNC_ERROR",
        "UNCONFIRMED_WRITE",
      ].sort(),
    );
    expect(Object.keys(await countBy("alerts", "priority")).sort()).toEqual([
      "CRITICAL",
      "HIGH",
      "LOW",
      "MEDIUM",
    ]);
    expect(Object.keys(await countBy("alerts", "status")).sort()).toEqual([
      "ACKNOWLEDGED",
      "OPEN",
      "RESOLVED",
    ]);
    const [missing] = await q<{ n: number }>(
      "SELECT count(*)::int AS n FROM alerts WHERE dedupe_key IS NULL",
    );
    expect(missing!.n).toBe(0);
    const duplicates = await q(
      `SELECT dedupe_key FROM alerts WHERE status <> 'RESOLVED' GROUP BY dedupe_key HAVING count(*) > 1`,
    );
    expect(duplicates).toEqual([]);
  });

  it("marks out of stock on a bestseller critical and nothing else", async () => {
    const rows = await q<{ type: string; bestseller: boolean; available: number }>(
      `SELECT a.type::text, s.is_bestseller AS bestseller, s.available_quantity AS available
         FROM alerts a JOIN seller_inventory s ON s.product_id = a.product_id WHERE a.priority = 'CRITICAL'`,
    );
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) expect(row).toEqual({ type: "OUT_OF_STOCK", bestseller: true, available: 0 });
  });

  it("raises price variance alerts only beyond the 5 % limit", async () => {
    const rows = await q<{ pct: number }>(
      `SELECT (payload ->> 'variancePct')::float AS pct FROM alerts WHERE type = 'PRICE_VARIANCE'`,
    );
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) expect(row.pct).toBeGreaterThan(5);
  });

  it("does nothing for a slug that exists", async () => {
    const again = await seedTenant(pool, { slug: "demo", name: "Demo Store", skus: 10 });
    expect(again).toEqual({ tenantId, created: false });
    const [row] = await q<{ n: number }>("SELECT count(*)::int AS n FROM products");
    expect(row!.n).toBe(SKUS);
  });

  it("creates a tenant once when two seeders race for the same slug", async () => {
    const options = { slug: "race", name: "Race", skus: 50, now: NOW };
    const [a, b] = await Promise.all([seedTenant(pool, options), seedTenant(pool, options)]);
    expect([a.created, b.created].sort()).toEqual([false, true]);
    expect(a.tenantId).toBe(b.tenantId);
    const rows = await tenantQuery<{ n: number }>(a.tenantId, "SELECT count(*)::int AS n FROM products");
    expect(rows[0]!.n).toBe(50);
  });

  it("writes identical content for the same seed in another tenant, invisible to the first", async () => {
    const other = await seedTenant(pool, { slug: "copy", name: "Copy", skus: 300, now: NOW });
    expect(other.created).toBe(true);
    const content = `SELECT s.sku, s.asin, s.price::text, s.quantity, s.status::text, p.attributes
                       FROM seller_inventory s JOIN products p ON p.id = s.product_id`;
    const theirs = await tenantQuery<{ sku: string }>(other.tenantId, `${content} ORDER BY s.sku`);
    expect(theirs).toHaveLength(300);
    const mine = await q(`${content} WHERE s.sku = ANY($1) ORDER BY s.sku`, [theirs.map((r) => r.sku)]);
    expect(theirs).toEqual(mine);
    const [isolated] = await q<{ n: number }>("SELECT count(*)::int AS n FROM products");
    expect(isolated!.n).toBe(SKUS);
  });

  it("seeds through row-level security as a role that cannot bypass it", async () => {
    const admin = await pool.connect();
    try {
      await admin.query(`DO $$ BEGIN
        IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'demo_seeder') THEN
          CREATE ROLE demo_seeder NOLOGIN NOSUPERUSER NOBYPASSRLS;
        END IF; END $$`);
      await admin.query("GRANT USAGE ON SCHEMA public TO demo_seeder");
      await admin.query("GRANT SELECT, INSERT ON ALL TABLES IN SCHEMA public TO demo_seeder");
    } finally {
      admin.release();
    }
    const restricted = new pg.Pool({
      connectionString: database.url,
      max: 1,
      options: "-c role=demo_seeder",
    });
    try {
      const first = await seedTenant(restricted, {
        slug: "restricted",
        name: "Restricted",
        skus: 120,
        now: NOW,
      });
      expect(first.created).toBe(true);
      const second = await seedTenant(restricted, {
        slug: "restricted",
        name: "Restricted",
        skus: 120,
        now: NOW,
      });
      expect(second).toEqual({ tenantId: first.tenantId, created: false });
      const rows = await tenantQuery<{ n: number }>(
        first.tenantId,
        "SELECT count(*)::int AS n FROM product_listings",
      );
      expect(rows[0]!.n).toBeGreaterThan(120);
    } finally {
      await restricted.end();
    }
  });

  it("seeds many tenants in bulk as copies of the generated one, each with its own ids", async () => {
    const indexes = "SELECT count(*)::int AS n FROM pg_indexes WHERE tablename = 'seller_inventory'";
    const [before] = (await pool.query<{ n: number }>(indexes)).rows;
    const results = await seedTenants(pool, {
      skus: 200,
      now: NOW,
      chunk: 2,
      rebuildIndexes: true,
      tenants: ["bulk-a", "bulk-b", "bulk-c", "copy"].map((slug) => ({ slug, name: slug })),
    });
    expect(results.map((r) => r.created)).toEqual([true, true, true, false]);
    expect(results[3]!.tenantId).toBe(
      (await pool.query("SELECT id FROM tenants WHERE slug = 'copy'")).rows[0].id,
    );
    expect((await pool.query<{ n: number }>(indexes)).rows[0]).toEqual(before);

    const content = `SELECT (SELECT json_agg(x ORDER BY x.sku) FROM (
                        SELECT s.sku, s.price::text, s.quantity, s.available_quantity, p.attributes
                          FROM seller_inventory s JOIN products p ON p.id = s.product_id) x) AS catalog,
                       (SELECT json_agg(x ORDER BY x.t) FROM (SELECT type::text || status::text || title AS t
                          FROM alerts) x) AS alerts,
                       (SELECT json_agg(x ORDER BY x.t) FROM (SELECT type::text || status::text ||
                          total_items || coalesce(error, '') AS t FROM sync_jobs) x) AS jobs,
                       (SELECT count(*)::int FROM product_listings) AS listings,
                       (SELECT count(*)::int FROM sync_conflicts) AS conflicts,
                       (SELECT count(*)::int FROM sync_history) AS history,
                       (SELECT count(*)::int FROM sync_job_items) AS items`;
    // Every reference, in a column, a dedupe key or a JSON payload, stays inside the tenant it was copied into.
    const dangling = `SELECT (SELECT count(*)::int FROM alerts a WHERE a.job_id IS NOT NULL
                                AND NOT EXISTS (SELECT 1 FROM sync_jobs j WHERE j.id = a.job_id)) +
                             (SELECT count(*)::int FROM alerts a WHERE a.payload ? 'jobId'
                                AND NOT EXISTS (SELECT 1 FROM sync_jobs j WHERE j.id::text = a.payload ->> 'jobId')) +
                             (SELECT count(*)::int FROM alerts a WHERE a.dedupe_key LIKE 'SYNC_ERROR:%'
                                AND NOT EXISTS (SELECT 1 FROM sync_jobs j WHERE a.dedupe_key = 'SYNC_ERROR:' || j.id)) +
                             (SELECT count(*)::int FROM product_listings l
                                WHERE NOT EXISTS (SELECT 1 FROM products p WHERE p.id = l.product_id)
                                   OR NOT EXISTS (SELECT 1 FROM platform_connections c WHERE c.id = l.connection_id)) +
                             (SELECT count(*)::int FROM sync_history h WHERE h.job_id IS NOT NULL
                                AND NOT EXISTS (SELECT 1 FROM sync_jobs j WHERE j.id = h.job_id)) AS n`;
    const [template] = await tenantQuery(results[0]!.tenantId, content);
    expect(template!.catalog).toHaveLength(200);
    const [withPayload] = await tenantQuery<{ n: number }>(
      results[0]!.tenantId,
      "SELECT count(*)::int AS n FROM alerts WHERE payload ? 'jobId'",
    );
    expect(withPayload!.n).toBeGreaterThan(0);
    for (const { tenantId: id } of results.slice(0, 3)) {
      expect(await tenantQuery(id, content)).toEqual([template]);
      expect(await tenantQuery(id, dangling)).toEqual([{ n: 0 }]);
    }
    const [shared] = (
      await pool.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM products a JOIN products b ON a.id = b.id AND a.tenant_id <> b.tenant_id`,
      )
    ).rows;
    expect(shared!.n).toBe(0);
  });
});
