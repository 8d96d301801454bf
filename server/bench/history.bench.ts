/**
 * `pnpm bench:history`: history partitioned by month against the same rows in one plain table. Loads
 * 10 million history rows across 100 tenants over 13 months, then times what the history API asks the database
 * for an item's timeline (one SKU of one tenant, last 30 days: the first page and its count) and a tenant's
 * latest changes, through row-level security as the application role, on both tables.
 * Usage: pnpm bench:history [--rows 10000000] [--tenants 100] [--skus 1000] [--samples 300]
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { ensureHistoryPartitions } from "../src/modules/history/history.partitions";
import {
  applyMigrations,
  createOwnerPool,
  MIGRATIONS_DIR,
  readMigrations,
  startEmbeddedPostgres,
  withTenant,
} from "../src/platform/db";
import { freePort } from "../src/platform/net";

const { values } = parseArgs({
  options: {
    rows: { type: "string", default: "10000000" },
    tenants: { type: "string", default: "100" },
    skus: { type: "string", default: "1000" },
    samples: { type: "string", default: "300" },
  },
});
const ROWS = Number(values.rows);
const TENANTS = Number(values.tenants);
const SKUS = Number(values.skus);
const SAMPLES = Number(values.samples);
const CHUNK = 1_000_000;
const DAY = 86_400_000;

const work = fs.mkdtempSync(path.join(os.tmpdir(), "bench-history-"));
fs.chmodSync(work, 0o755);
const db = await startEmbeddedPostgres({ dataDir: path.join(work, "pg"), port: await freePort() });
await applyMigrations(db.url, readMigrations(MIGRATIONS_DIR));
const pool = createOwnerPool(db.url, 4);

const seconds = (since: number) => ((Date.now() - since) / 1000).toFixed(1);
let started = Date.now();
const { rows: tenants } = await pool.query<{ id: string }>(
  `INSERT INTO tenants (slug, name, updated_at)
   SELECT 'bench-' || g, 'Bench ' || g, now() FROM generate_series(1, $1) g RETURNING id`,
  [TENANTS],
);
await ensureHistoryPartitions(pool, new Date(Date.now() - 400 * DAY));
for (let done = 0; done < ROWS; done += CHUNK) {
  const n = Math.min(CHUNK, ROWS - done);
  // Spread evenly over tenants and SKUs, at random instants of the last 13 months.
  await pool.query(
    `INSERT INTO sync_history (tenant_id, sku, actor_type, field, old_value, new_value, reason, created_at)
     SELECT t.ids[1 + (g % $2)], 'SKU-' || lpad(((g / $2) % $3)::text, 5, '0'), 'JOB', 'quantity',
            to_jsonb(g % 97), to_jsonb(g % 89), 'bench', now() - random() * interval '395 days'
       FROM generate_series($1::bigint, $1::bigint + $4 - 1) g, (SELECT $5::uuid[] AS ids) t`,
    [done, TENANTS, SKUS, n, tenants.map((t) => t.id)],
  );
  console.log(`  ${(done + n).toLocaleString("en-US")} rows (${seconds(started)} s)`);
}
console.log(`loaded ${ROWS.toLocaleString("en-US")} partitioned rows in ${seconds(started)} s`);

// The baseline: the same rows in one plain table with the same indexes, policy and grants.
started = Date.now();
await pool.query(`
  CREATE TABLE sync_history_flat AS SELECT * FROM sync_history;
  ALTER TABLE sync_history_flat ADD PRIMARY KEY (id, created_at);
  CREATE INDEX ON sync_history_flat (tenant_id, created_at DESC, id DESC);
  CREATE INDEX ON sync_history_flat (tenant_id, sku, created_at DESC, id DESC);
  CREATE INDEX ON sync_history_flat (product_id, created_at DESC);
  ALTER TABLE sync_history_flat ENABLE ROW LEVEL SECURITY;
  ALTER TABLE sync_history_flat FORCE ROW LEVEL SECURITY;
  CREATE POLICY tenant_isolation ON sync_history_flat USING (tenant_id = app_current_tenant());
  GRANT SELECT ON sync_history_flat TO inventory_app;`);
await pool.query("VACUUM ANALYZE sync_history");
await pool.query("VACUUM ANALYZE sync_history_flat");
console.log(`copied to the plain baseline table and analysed in ${seconds(started)} s`);

interface Timing {
  p50: number;
  p95: number;
  max: number;
}
/** Runs one query per sample as the application role in the sample's tenant; times the statements alone. */
async function time(table: string, query: (table: string) => string[], params: (i: number) => unknown[]) {
  const times: number[] = [];
  for (let i = 0; i < SAMPLES; i++) {
    const tenant = tenants[i % tenants.length]!.id;
    await withTenant(pool, tenant, async (c) => {
      await c.query("SET LOCAL ROLE inventory_app");
      const t = process.hrtime.bigint();
      for (const sql of query(table)) await c.query(sql, params(i));
      times.push(Number(process.hrtime.bigint() - t) / 1e6);
    });
  }
  times.sort((a, b) => a - b);
  return {
    p50: times[Math.floor(SAMPLES * 0.5)]!,
    p95: times[Math.floor(SAMPLES * 0.95)]!,
    max: times[times.length - 1]!,
  } satisfies Timing;
}

const since = () => new Date(Date.now() - 30 * DAY);
const sku = (i: number) => `SKU-${String((i * 7919) % SKUS).padStart(5, "0")}`;
const scenarios = [
  {
    name: "one SKU, last 30 days: page of 50 + count",
    query: (t: string) => [
      `SELECT * FROM ${t} WHERE sku = $1 AND created_at >= $2 ORDER BY created_at DESC, id DESC LIMIT 51`,
      `SELECT count(*) FROM ${t} WHERE sku = $1 AND created_at >= $2`,
    ],
    params: (i: number) => [sku(i), since()],
  },
  {
    name: "one SKU, all history: page of 50",
    query: (t: string) => [
      `SELECT * FROM ${t} WHERE sku = $1 AND created_at >= $2 ORDER BY created_at DESC, id DESC LIMIT 51`,
    ],
    params: (i: number) => [sku(i), new Date(0)],
  },
  {
    name: "tenant's latest 50 changes",
    query: (t: string) => [
      `SELECT * FROM ${t} WHERE created_at >= $1 ORDER BY created_at DESC, id DESC LIMIT 51`,
    ],
    params: () => [new Date(0)],
  },
];

const fmt = (t: Timing) => `${t.p50.toFixed(2)} / ${t.p95.toFixed(2)} / ${t.max.toFixed(2)}`;
console.log(
  `\n${ROWS.toLocaleString("en-US")} rows, ${TENANTS} tenants, ${SKUS} SKUs each, ${SAMPLES} samples, ${os.cpus().length} cores, Node ${process.version}`,
);
console.log("| query | partitioned p50 / p95 / max ms | plain table p50 / p95 / max ms |");
console.log("|---|---|---|");
for (const s of scenarios) {
  await time("sync_history", s.query, s.params); // warm both caches first
  await time("sync_history_flat", s.query, s.params);
  const partitioned = await time("sync_history", s.query, s.params);
  const flat = await time("sync_history_flat", s.query, s.params);
  console.log(`| ${s.name} | ${fmt(partitioned)} | ${fmt(flat)} |`);
}

const partitions = await pool.query<{ n: number }>(
  "SELECT count(*)::int AS n FROM pg_inherits WHERE inhparent = 'sync_history'::regclass",
);
console.log(`\n${partitions.rows[0]!.n} monthly partitions`);
await pool.end();
await db.stop();
fs.rmSync(work, { recursive: true, force: true });
