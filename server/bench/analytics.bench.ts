/**
 * `pnpm bench:analytics`: each part of the `analytics` query on a 100,000-SKU tenant with a year of history
 * (sync jobs every 30 minutes, alerts raised and resolved all year), seeded with generate_series. Times every
 * part as the application role under row-level security, over the last 30 and the last 365 days, read from the
 * daily rollups (as after a refresh) and, for comparison, with nothing rolled up (every day read live).
 * Usage: pnpm bench:analytics [--skus 100000] [--alerts 150000] [--samples 9] [--hold]
 */
import "reflect-metadata";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { resolvePeriod } from "../src/modules/analytics/analytics.period";
import { refreshTenantRollups } from "../src/modules/analytics/analytics.rollup";
import { AnalyticsReader } from "../src/modules/analytics/analytics.service";
import { AnalyticsPeriod } from "../src/modules/analytics/analytics.types";
import {
  applyMigrations,
  createAppPool,
  createOwnerPool,
  MIGRATIONS_DIR,
  readMigrations,
  startEmbeddedPostgres,
  type TenantDb,
  withTenant,
} from "../src/platform/db";
import { freePort } from "../src/platform/net";

const { values } = parseArgs({
  options: {
    skus: { type: "string", default: "100000" },
    alerts: { type: "string", default: "150000" },
    samples: { type: "string", default: "9" },
    // Keeps the seeded database running after the figures (for EXPLAIN), until the process is interrupted.
    hold: { type: "boolean", default: false },
  },
});
const SKUS = Number(values.skus);
const ALERTS = Number(values.alerts);
const SAMPLES = Number(values.samples);
const JOBS = 365 * 48;

const work = fs.mkdtempSync(path.join(os.tmpdir(), "bench-analytics-"));
fs.chmodSync(work, 0o755);
const db = await startEmbeddedPostgres({ dataDir: path.join(work, "pg"), port: await freePort() });
await applyMigrations(db.url, readMigrations(MIGRATIONS_DIR));
const owner = createOwnerPool(db.url, 2);
const app = createAppPool(db.url, 2);
const seconds = (since: number) => ((Date.now() - since) / 1000).toFixed(1);

let started = Date.now();
const { rows } = await owner.query<{ id: string }>(
  "INSERT INTO tenants (slug, name, updated_at) VALUES ('bench', 'Bench', now()) RETURNING id",
);
const tenantId = rows[0]!.id;
await withTenant(owner, tenantId, async (c) => {
  const conn = await c.query<{ id: string; kind: string }>(
    `INSERT INTO platform_connections (kind, name, priority, updated_at)
     VALUES ('AMAZON', 'Amazon US', 1, now()), ('MEDUSA', 'Medusa Store', 2, now()) RETURNING id, kind`,
  );
  const amazon = conn.rows.find((r) => r.kind === "AMAZON")!.id;
  const medusa = conn.rows.find((r) => r.kind === "MEDUSA")!.id;
  await c.query(
    `INSERT INTO products (sku, title, brand, category, cost, updated_at)
     SELECT 'SKU-' || lpad(g::text, 6, '0'), 'Item ' || g, 'Brand ' || (g % 40), 'Category ' || (g % 25),
            CASE WHEN g % 50 = 0 THEN NULL ELSE round((2 + (g % 997) / 20.0)::numeric, 2) END, now()
       FROM generate_series(1, $1) g`,
    [SKUS],
  );
  await c.query(
    `INSERT INTO seller_inventory (product_id, connection_id, sku, asin, title, fulfillment_channel, quantity,
       reserved_quantity, price, status, is_bestseller, updated_at)
     SELECT p.id, $1, p.sku, 'B0' || lpad(n::text, 8, '0'), p.title,
            (CASE WHEN n % 3 = 0 THEN 'FBA' ELSE 'FBM' END)::"FulfillmentChannel", (n * 7) % 200, n % 5,
            CASE WHEN n % 40 = 0 THEN NULL ELSE round((5 + (n % 1999) / 10.0)::numeric, 2) END,
            (CASE WHEN n % 17 = 0 THEN 'INACTIVE' ELSE 'ACTIVE' END)::"ListingStatus", n % 100 = 0, now()
       FROM (SELECT id, sku, title, substr(sku, 5)::int AS n FROM products) p`,
    [amazon],
  );
  await c.query(
    `INSERT INTO product_listings (product_id, connection_id, platform, sku, quantity, price, status, updated_at)
     SELECT s.product_id, $1, 'AMAZON', s.sku, s.quantity, s.price, s.status, now() FROM seller_inventory s`,
    [amazon],
  );
  await c.query(
    `INSERT INTO product_listings (product_id, connection_id, platform, sku, quantity, price, status, updated_at)
     SELECT s.product_id, $1, 'MEDUSA', s.sku, greatest(s.quantity - 2, 0), s.price * 1.05,
            (CASE WHEN n % 23 = 0 THEN 'SUPPRESSED' ELSE 'ACTIVE' END)::"ListingStatus", now()
       FROM (SELECT product_id, sku, quantity, price, substr(sku, 5)::int AS n FROM seller_inventory) s
      WHERE n % 5 < 3`,
    [medusa],
  );
  // A job every 30 minutes for a year: mostly incremental, a full one every 6 hours, some failed or cancelled.
  await c.query(
    `INSERT INTO sync_jobs (type, status, trigger, processed_items, updated_items, failed_items, conflict_count,
       platform_results, started_at, finished_at, created_at, updated_at)
     SELECT type::"SyncJobType", status::"SyncJobStatus", 'SCHEDULE', items, items / 10, failed, conflicts,
            jsonb_build_object(
              'AMAZON', jsonb_build_object('read', items, 'updated', items / 10, 'failed', failed, 'conflicts', conflicts),
              'MEDUSA', jsonb_build_object('read', items * 3 / 5, 'updated', items / 20, 'failed', failed / 2,
                                           'conflicts', conflicts / 2)),
            at + interval '1 second', at + interval '1 second' + make_interval(secs => ms / 1000.0), at, at
       FROM (SELECT now() - g * interval '30 minutes' AS at,
                    CASE WHEN g % 12 = 0 THEN 'FULL' WHEN g % 7 = 0 THEN 'PARTIAL' ELSE 'INCREMENTAL' END AS type,
                    CASE WHEN g % 25 = 0 THEN 'FAILED' WHEN g % 61 = 0 THEN 'CANCELLED' ELSE 'SUCCEEDED' END AS status,
                    CASE WHEN g % 12 = 0 THEN $1 ELSE 50 + g % 500 END AS items,
                    CASE WHEN g % 25 = 0 THEN 20 + g % 30 ELSE g % 3 END AS failed,
                    g % 17 AS conflicts,
                    CASE WHEN g % 12 = 0 THEN 60000 + (g % 100) * 900 ELSE 800 + (g % 97) * 40 END AS ms
               FROM generate_series(1, $2) g) j`,
    [SKUS, JOBS],
  );
  // Alerts all year; nine in ten resolved within three days.
  await c.query(
    `INSERT INTO alerts (type, priority, status, title, message, created_at, resolved_at, updated_at)
     SELECT (ARRAY['LOW_STOCK','OUT_OF_STOCK','SYNC_CONFLICT','PRICE_VARIANCE','SYNC_ERROR'])[1 + g % 5]::"AlertType",
            (ARRAY['CRITICAL','HIGH','MEDIUM','LOW'])[1 + (g / 5) % 4]::"AlertPriority",
            (CASE WHEN g % 10 = 0 THEN 'OPEN' ELSE 'RESOLVED' END)::"AlertStatus", 'Alert', 'bench', at,
            CASE WHEN g % 10 = 0 THEN NULL ELSE least(now(), at + (g % 72) * interval '1 hour') END, at
       FROM (SELECT g, now() - random() * interval '365 days' AS at FROM generate_series(1, $1) g) a`,
    [ALERTS],
  );
});
for (const table of ["products", "seller_inventory", "product_listings", "sync_jobs", "alerts"]) {
  await owner.query(`VACUUM (ANALYZE) ${table}`);
}
console.log(
  `seeded ${SKUS.toLocaleString("en-US")} SKUs, ${JOBS.toLocaleString("en-US")} jobs and ${ALERTS.toLocaleString("en-US")} alerts in ${seconds(started)} s`,
);

started = Date.now();
await refreshTenantRollups(app, tenantId);
for (const table of ["analytics_sync_daily", "analytics_platform_daily", "analytics_alert_daily"]) {
  await owner.query(`VACUUM (ANALYZE) ${table}`);
}
console.log(`first refresh of the rollups (a whole year) in ${seconds(started)} s`);
started = Date.now();
await refreshTenantRollups(app, tenantId);
console.log(`a later refresh (the last days and today's value) in ${seconds(started)} s`);
if (values.hold) {
  console.log(`holding: ${db.url} (tenant ${tenantId}); interrupt to stop`);
  await new Promise<void>((resolve) => process.once("SIGINT", () => resolve()));
}

type Part = "products" | "inventoryValue" | "stockDistribution" | "alerts" | "sync" | "platforms";
const PARTS: Part[] = ["products", "inventoryValue", "stockDistribution", "alerts", "sync", "platforms"];

/** Times one part per sample, each on a fresh reader in its own tenant transaction as the application role. */
async function time(period: AnalyticsPeriod, part: Part | "all") {
  const times: number[] = [];
  for (let i = 0; i < SAMPLES + 2; i++) {
    await withTenant(app, tenantId, async (c) => {
      const tenantDb = { tenantId, sql: async (q) => (await c.query(q.text, q.values)).rows } as TenantDb;
      const reader = new AnalyticsReader(tenantDb, resolvePeriod({ period }));
      const t = process.hrtime.bigint();
      if (part === "all") for (const p of PARTS) await reader[p]();
      else await reader[part]();
      if (i >= 2) times.push(Number(process.hrtime.bigint() - t) / 1e6); // two warm-up rounds
    });
  }
  times.sort((a, b) => a - b);
  return { p50: times[Math.floor(times.length / 2)]!, max: times[times.length - 1]! };
}

const fmt = ({ p50, max }: { p50: number; max: number }) => `${p50.toFixed(1)} / ${max.toFixed(1)}`;
const periods = [AnalyticsPeriod.LAST_30_DAYS, AnalyticsPeriod.LAST_365_DAYS];
const table = async (label: string) => {
  console.log(`\n${label}`);
  console.log(`| part | ${periods.map((p) => `${p} p50 / max ms`).join(" | ")} |`);
  console.log(`|---|${periods.map(() => "---").join("|")}|`);
  for (const part of [...PARTS, "all" as const]) {
    const cells = [];
    for (const period of periods) cells.push(fmt(await time(period, part)));
    console.log(`| ${part === "all" ? "all six parts, one after another" : part} | ${cells.join(" | ")} |`);
  }
};

console.log(
  `\n${SKUS.toLocaleString("en-US")} SKUs, ${SAMPLES} samples per cell, ${os.cpus().length} cores (shared), Node ${process.version}`,
);
await table("From the rollups (as after a refresh; today read live):");
await withTenant(owner, tenantId, (c) => c.query("DELETE FROM analytics_rollup_state"));
await table("Nothing rolled up (every day read from the jobs and alerts):");

await app.end();
await owner.end();
await db.stop();
fs.rmSync(work, { recursive: true, force: true });
