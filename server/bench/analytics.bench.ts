/**
 * `pnpm bench:analytics`: each part of the `analytics` query on a 100,000-SKU tenant with a year of history
 * (sync jobs every 30 minutes, alerts raised and resolved all year), seeded with generate_series. Times every
 * part as the application role under row-level security, over the last 30 and the last 365 days, read from the
 * daily rollups (as after a refresh) and, for comparison, with nothing rolled up (every day read live). The
 * current-stock parts are timed from the trigger-kept counters and read live, alternating sample by sample. Then
 * the counters' write cost: the same writes with the counter triggers enabled and disabled, in alternating rounds.
 * Usage: pnpm bench:analytics [--skus 100000] [--alerts 150000] [--samples 9] [--rounds 4] [--hold]
 */
import "reflect-metadata";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { compactStockCounters } from "../src/modules/analytics/analytics.counters";
import { resolvePeriod } from "../src/modules/analytics/analytics.period";
import { refreshTenantRollups } from "../src/modules/analytics/analytics.rollup";
import { AnalyticsReader, type StockSource } from "../src/modules/analytics/analytics.service";
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
    rounds: { type: "string", default: "4" },
    // Keeps the seeded database running after the figures (for EXPLAIN), until the process is interrupted.
    hold: { type: "boolean", default: false },
  },
});
const SKUS = Number(values.skus);
const ALERTS = Number(values.alerts);
const SAMPLES = Number(values.samples);
const ROUNDS = Number(values.rounds);
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
const STOCK_PARTS = new Set<Part | "all">(["products", "inventoryValue", "stockDistribution", "all"]);
interface Timing {
  p50: number;
  max: number;
}
const summary = (times: number[]): Timing => {
  times.sort((a, b) => a - b);
  return { p50: times[Math.floor(times.length / 2)]!, max: times[times.length - 1]! };
};

/** One part on a fresh reader in its own tenant transaction as the application role; milliseconds. */
async function once(period: AnalyticsPeriod, part: Part | "all", source: StockSource) {
  return withTenant(app, tenantId, async (c) => {
    const tenantDb = { tenantId, sql: async (q) => (await c.query(q.text, q.values)).rows } as TenantDb;
    const reader = new AnalyticsReader(tenantDb, resolvePeriod({ period }), new Date(), source);
    const t = process.hrtime.bigint();
    if (part === "all") for (const p of PARTS) await reader[p]();
    else await reader[part]();
    return Number(process.hrtime.bigint() - t) / 1e6;
  });
}

/** Times one part per sample from each source in turn (two warm-up rounds), so both see the same load. */
async function time(period: AnalyticsPeriod, part: Part | "all", sources: StockSource[]) {
  const times = new Map<StockSource, number[]>(sources.map((s) => [s, []]));
  for (let i = 0; i < SAMPLES + 2; i++) {
    for (const source of i % 2 === 0 ? sources : [...sources].reverse()) {
      const ms = await once(period, part, source);
      if (i >= 2) times.get(source)!.push(ms);
    }
  }
  return new Map([...times].map(([source, t]) => [source, summary(t)]));
}

const fmt = ({ p50, max }: Timing) => `${p50.toFixed(1)} / ${max.toFixed(1)}`;
const periods = [AnalyticsPeriod.LAST_30_DAYS, AnalyticsPeriod.LAST_365_DAYS];
const table = async (label: string, sources: StockSource[]) => {
  console.log(`\n${label}`);
  console.log(`| part | stock read from | ${periods.map((p) => `${p} p50 / max ms`).join(" | ")} |`);
  console.log(`|---|---|${periods.map(() => "---").join("|")}|`);
  for (const part of [...PARTS, "all" as const]) {
    const partSources = STOCK_PARTS.has(part) ? sources : (["counters"] as StockSource[]);
    const cells = new Map<StockSource, string[]>(partSources.map((s) => [s, []]));
    for (const period of periods) {
      const result = await time(period, part, partSources);
      for (const [source, timing] of result) cells.get(source)!.push(fmt(timing));
    }
    const name = part === "all" ? "all six parts, one after another" : part;
    for (const [source, row] of cells)
      console.log(`| ${name} | ${STOCK_PARTS.has(part) ? source : "(history)"} | ${row.join(" | ")} |`);
  }
};

console.log(
  `\n${SKUS.toLocaleString("en-US")} SKUs, ${SAMPLES} samples per cell, ${os.cpus().length} cores (shared), Node ${process.version}`,
);
await table("From the rollups (as after a refresh; today read live):", ["counters", "live"]);

// The counters' write cost: each kind of write timed with the counter triggers on and off, in alternating rounds.
const TRIGGERS: [string, string][] = [
  ["seller_inventory", "analytics_counters_insert"],
  ["seller_inventory", "analytics_counters_update"],
  ["seller_inventory", "analytics_counters_delete"],
  ["product_listings", "analytics_counters_insert"],
  ["product_listings", "analytics_counters_update"],
  ["product_listings", "analytics_counters_delete"],
  ["products", "analytics_counters_update"],
];
async function triggers(on: boolean) {
  for (const [table, trigger] of TRIGGERS)
    await owner.query(`ALTER TABLE ${table} ${on ? "ENABLE" : "DISABLE"} TRIGGER ${trigger}`);
}
const ids = await withTenant(app, tenantId, async (c) => {
  const items = await c.query<{ id: string; product_id: string }>(
    "SELECT id, product_id FROM seller_inventory ORDER BY sku",
  );
  const listings = await c.query<{ id: string; product_id: string; connection_id: string }>(
    "SELECT id, product_id, connection_id FROM product_listings ORDER BY sku, platform",
  );
  return { items: items.rows, listings: listings.rows };
});
let bump = 0;
/** A bulk update of 10,000 items and their listings in one transaction, as the bulk-update mutation writes them. */
async function bulkUpdate() {
  bump++;
  const items = ids.items.slice(0, 10_000);
  const products = new Set(items.map((i) => i.product_id));
  const listings = ids.listings.filter((l) => products.has(l.product_id));
  const t = process.hrtime.bigint();
  await withTenant(app, tenantId, async (c) => {
    await c.query(
      `UPDATE seller_inventory AS s SET quantity = v.quantity, price = v.price, status = 'ACTIVE', updated_at = now()
         FROM unnest($1::uuid[], $2::int[], $3::numeric[]) AS v(id, quantity, price) WHERE s.id = v.id`,
      [
        items.map((i) => i.id),
        items.map((_, n) => (n + bump) % 150),
        items.map((_, n) => 5 + ((n + bump) % 90)),
      ],
    );
    await c.query(
      `UPDATE product_listings AS l SET quantity = v.quantity, price = v.price, status = 'ACTIVE', updated_at = now()
         FROM unnest($1::uuid[], $2::int[], $3::numeric[]) AS v(id, quantity, price) WHERE l.id = v.id`,
      [
        listings.map((l) => l.id),
        listings.map((_, n) => (n + bump) % 150),
        listings.map((_, n) => 5 + ((n + bump) % 90)),
      ],
    );
  });
  return Number(process.hrtime.bigint() - t) / 1e6;
}
/**
 * A full sync's database writes: every listing and item confirmed from the platforms, page by page (500 products,
 * one transaction each) with the statements the sync's read phase runs, a tenth of the quantities changed.
 */
async function fullSync() {
  bump++;
  const byProduct = new Map<string, string[]>();
  for (const l of ids.listings) byProduct.set(l.product_id, [...(byProduct.get(l.product_id) ?? []), l.id]);
  const products = [...byProduct.keys()];
  const t = process.hrtime.bigint();
  for (let start = 0; start < products.length; start += 500) {
    const page = products.slice(start, start + 500);
    const listings = page.flatMap((p) => byProduct.get(p)!);
    await withTenant(app, tenantId, async (c) => {
      await c.query(
        `UPDATE product_listings l SET quantity = CASE WHEN v.n % 10 = $2 THEN l.quantity + 1 ELSE l.quantity END,
                last_confirmed_at = now(), last_synced_at = now(), updated_at = now()
           FROM unnest($1::uuid[]) WITH ORDINALITY AS v(id, n) WHERE l.id = v.id`,
        [listings, bump % 10],
      );
      await c.query(
        `UPDATE seller_inventory s SET quantity = CASE WHEN v.n % 10 = $2 THEN s.quantity + 1 ELSE s.quantity END,
                last_seen_at = now(), updated_at = now()
           FROM unnest($1::uuid[]) WITH ORDINALITY AS v(product_id, n) WHERE s.product_id = v.product_id`,
        [page, bump % 10],
      );
    });
  }
  return Number(process.hrtime.bigint() - t) / 1e6;
}
/** 200 webhook-sized writes: one item's quantity and its listings, each in its own transaction; the median. */
async function singleWrites() {
  bump++;
  const times: number[] = [];
  for (let n = 0; n < 200; n++) {
    const item = ids.items[(n * 499 + bump) % ids.items.length]!;
    const t = process.hrtime.bigint();
    await withTenant(app, tenantId, async (c) => {
      await c.query("UPDATE seller_inventory SET quantity = quantity + 1, updated_at = now() WHERE id = $1", [
        item.id,
      ]);
      await c.query(
        "UPDATE product_listings SET quantity = quantity + 1, updated_at = now() WHERE product_id = $1",
        [item.product_id],
      );
    });
    times.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  return summary(times).p50;
}
const writes: [string, () => Promise<number>, number][] = [
  ["bulk update: 10,000 items and their 16,000 listings, one transaction", bulkUpdate, ROUNDS],
  ["full sync's writes: every listing and item, 500 products a page", fullSync, Math.max(2, ROUNDS / 2)],
  ["webhook-sized write (one item and its listings), median of 200", singleWrites, ROUNDS],
];
console.log(`\nWrites with the counter triggers on and off, alternating rounds (median ms of ${ROUNDS}):`);
console.log("| write | triggers on | triggers off | overhead |");
console.log("|---|---|---|---|");
for (const [label, write, rounds] of writes) {
  const on: number[] = [];
  const off: number[] = [];
  for (let r = 0; r < rounds; r++) {
    for (const enabled of r % 2 === 0 ? [true, false] : [false, true]) {
      await triggers(enabled);
      (enabled ? on : off).push(await write());
    }
  }
  await triggers(true);
  const a = summary(on).p50;
  const b = summary(off).p50;
  console.log(`| ${label} | ${a.toFixed(1)} | ${b.toFixed(1)} | ${(((a - b) / b) * 100).toFixed(0)} % |`);
}
// The rounds with triggers off left the counters behind: recount them as the refresh's repair would.
started = Date.now();
const repaired = await refreshTenantRollups(app, tenantId);
console.log(
  `\nrefresh after the writes (rollups, then the counters checked: ${repaired} keys repaired) in ${seconds(started)} s`,
);
const deltaRows = await withTenant(app, tenantId, async (c) => {
  const { rows } = await c.query<{ n: number }>("SELECT count(*)::int AS n FROM analytics_stock_counters");
  return rows[0]!.n;
});
await withTenant(app, tenantId, async (c) => {
  for (let n = 0; n < 2_000; n++)
    await c.query("UPDATE seller_inventory SET quantity = quantity + 1 WHERE id = $1", [ids.items[n]!.id]);
});
const unfolded = summary(
  await (async () => {
    const t: number[] = [];
    for (let i = 0; i < SAMPLES; i++)
      t.push(await once(AnalyticsPeriod.LAST_30_DAYS, "products", "counters"));
    return t;
  })(),
);
started = Date.now();
await withTenant(app, tenantId, compactStockCounters);
const folded = summary(
  await (async () => {
    const t: number[] = [];
    for (let i = 0; i < SAMPLES; i++)
      t.push(await once(AnalyticsPeriod.LAST_30_DAYS, "products", "counters"));
    return t;
  })(),
);
console.log(
  `products from the counters: ${fmt(unfolded)} ms with ${deltaRows} + 2,000 unfolded delta rows, ${fmt(folded)} ms after folding them`,
);

await withTenant(owner, tenantId, (c) => c.query("DELETE FROM analytics_rollup_state"));
await table("Nothing rolled up (every day read from the jobs and alerts):", ["counters"]);

await app.end();
await owner.end();
await db.stop();
fs.rmSync(work, { recursive: true, force: true });
