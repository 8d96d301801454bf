/**
 * `pnpm bench:tenants`: many tenants on auto-sync against the sandbox at the real SP-API usage plans, each with
 * its own Amazon seller account (its own budget), run by separate `pnpm worker` processes; says whether every
 * tenant was synced within its interval, how late the scheduler started jobs, and what the jobs cost.
 * Usage: pnpm bench:tenants [--tenants 1000] [--skus 1000] [--interval 5] [--intervals 2] [--workers 2]
 *        [--concurrency 8]
 */
import "reflect-metadata";
import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { buildApp } from "../src/app/boot";
import { seedTenants } from "../src/modules/catalog/demo/seed";
import { connectTenantToSandbox } from "../src/modules/connections/demo";
import { rescheduleTenant } from "../src/modules/sync";
import { loadConfig } from "../src/platform/config";
import {
  applyMigrations,
  createOwnerPool,
  MIGRATIONS_DIR,
  readMigrations,
  startEmbeddedPostgres,
} from "../src/platform/db";
import { freePort } from "../src/platform/net";
import { AMAZON_USAGE_PLANS } from "../src/sandbox/sandbox.runtime";
import { startSandbox } from "../src/sandbox/sandbox.server";

const { values } = parseArgs({
  options: {
    tenants: { type: "string", default: "1000" },
    skus: { type: "string", default: "1000" },
    interval: { type: "string", default: "5" },
    intervals: { type: "string", default: "2" },
    workers: { type: "string", default: "2" },
    concurrency: { type: "string", default: "8" },
  },
});
const TENANTS = Number(values.tenants);
const SKUS = Number(values.skus);
const INTERVAL_MIN = Number(values.interval);
const INTERVALS = Number(values.intervals);
const WORKERS = Number(values.workers);
const CONCURRENCY = Number(values.concurrency);
const SERVER_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const pct = (sorted: number[], p: number) =>
  sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((sorted.length - 1) * p))]! : Number.NaN;

const work = fs.mkdtempSync(path.join(os.tmpdir(), "bench-tenants-"));
fs.chmodSync(work, 0o755);
const db = await startEmbeddedPostgres({ dataDir: path.join(work, "pg"), port: await freePort() });
const migrations = readMigrations(MIGRATIONS_DIR);
await applyMigrations(db.url, migrations);
const pool = createOwnerPool(db.url, 4);

let t = Date.now();
// The first tenant comes from the demo generator, the others are bulk copies of it (own ids, same data).
const seeded = await seedTenants(pool, {
  skus: SKUS,
  tenants: Array.from({ length: TENANTS }, (_, i) => {
    const slug = `t${String(i).padStart(5, "0")}`;
    return { slug, name: slug };
  }),
  rebuildIndexes: true,
  onProgress: (done, total) => {
    if (done % 200 === 0 || done === total)
      console.log(`  seeded ${done}/${total} tenants, ${s(Date.now() - t)}`);
  },
});
const tenantIds = seeded.map((r) => r.tenantId);
// One Amazon seller account per tenant, so each has its own usage plan.
await pool.query(
  `UPDATE platform_connections c SET seller_id = 'A' || upper(substr(md5(t.slug), 1, 13))
     FROM tenants t WHERE c.tenant_id = t.id AND c.kind = 'AMAZON'`,
);
await pool.query("UPDATE platform_sync_settings SET auto_sync = true, sync_interval_minutes = $1", [
  INTERVAL_MIN,
]);
await pool.query("VACUUM (ANALYZE)");
const { rows: sellers } = await pool.query<{ tenant_id: string; seller_id: string; marketplace_id: string }>(
  "SELECT tenant_id, seller_id, marketplace_id FROM platform_connections WHERE kind = 'AMAZON'",
);
console.log(`seeded ${TENANTS} tenants of ${SKUS} SKUs in ${s(Date.now() - t)}`);

// The seeded history (old jobs, some left running) stays: the scheduler must not be held back by it.
// Every seller sees the demo catalog each tenant was seeded from, in step (no divergence): the cost measured is
// reading and comparing, which is what every auto-sync pays.
const sandbox = await startSandbox({
  port: 0,
  skus: SKUS,
  speedUp: 1,
  divergence: 0,
  sellerId: "A2BENCHMAINSELLER",
  sellers: sellers.map((r) => r.seller_id),
  marketplaceId: sellers[0]!.marketplace_id,
});
// The server and the workers share the key the credentials are sealed with, and each trusts the loopback sandbox.
const shared = {
  DATABASE_URL: db.url,
  CREDENTIALS_KEY: randomBytes(32).toString("base64"),
  EGRESS_ALLOWED_ORIGINS: sandbox.url,
};
const config = loadConfig({ ...process.env, ...shared, LOG_LEVEL: "warn", WORKERS: "false" });
const app = await buildApp({ url: db.url, config, migrations, database: "external" });
t = Date.now();
const sellerOf = new Map(sellers.map((r) => [r.tenant_id, r.seller_id]));
for (let i = 0; i < tenantIds.length; i += 20) {
  await Promise.all(
    tenantIds.slice(i, i + 20).map(async (tenantId) => {
      const base = sandbox.credentials.amazon;
      await connectTenantToSandbox(app.prisma, app.services.connections, tenantId, {
        url: sandbox.url,
        credentials: {
          ...sandbox.credentials,
          amazon: { ...base, refreshToken: `${base.refreshToken}:${sellerOf.get(tenantId)}` },
        },
      });
    }),
  );
}
const { rows: health } = await pool.query<{ status: string; n: number }>(
  "SELECT last_health_status::text AS status, count(*)::int AS n FROM platform_connections GROUP BY 1",
);
console.log(
  `connected ${TENANTS} tenants to the sandbox in ${s(Date.now() - t)} (${health.map((r) => `${r.status} ${r.n}`).join(", ")})`,
);
await app.services.connections.close();

const workers: ChildProcess[] = [];
await Promise.all(
  Array.from({ length: WORKERS }, () => {
    const child = spawn(process.execPath, ["--import", "tsx", "src/worker.ts"], {
      cwd: SERVER_DIR,
      env: {
        ...process.env,
        ...shared,
        LOG_LEVEL: "info",
        WORKER_CONCURRENCY: String(CONCURRENCY),
      },
      stdio: ["ignore", "pipe", "inherit"],
    });
    workers.push(child);
    return new Promise<void>((resolve) => {
      const onData = (d: Buffer) => {
        if (!String(d).includes('"msg":"ready:')) return;
        child.stdout!.off("data", onData);
        child.stdout!.resume();
        resolve();
      };
      child.stdout!.on("data", onData);
    });
  }),
);

// The schedules start now: each tenant's first run falls at its offset within the first interval.
sandbox.control.resetStats();
const started = Date.now();
for (const tenantId of tenantIds) await rescheduleTenant(app.services.sync, tenantId);
const runMs = INTERVALS * INTERVAL_MIN * 60_000;
console.log(`${WORKERS} workers x ${CONCURRENCY} jobs, interval ${INTERVAL_MIN} min, running ${s(runMs)}`);
const progress = setInterval(async () => {
  const { rows } = await pool.query<{ status: string; n: number }>(
    "SELECT status::text, count(*)::int AS n FROM sync_jobs WHERE created_at >= $1 GROUP BY 1 ORDER BY 1",
    [new Date(started)],
  );
  console.log(`  ${s(Date.now() - started)}: ${rows.map((r) => `${r.status} ${r.n}`).join(", ")}`);
}, 30_000);
await new Promise((r) => setTimeout(r, runMs));
clearInterval(progress);
const ended = Date.now();

interface Row {
  tenant_id: string;
  type: string;
  status: string;
  created_at: Date;
  started_at: Date | null;
  finished_at: Date | null;
  total_items: number;
}
const { rows: jobs } = await pool.query<Row>(
  `SELECT tenant_id, type::text, status::text, created_at, started_at, finished_at, total_items
     FROM sync_jobs WHERE trigger = 'SCHEDULE' AND created_at >= $1 ORDER BY created_at`,
  [new Date(started)],
);
const intervalMs = INTERVAL_MIN * 60_000;
// A tenant is in time when, in every whole interval since the start, one of its syncs finished successfully.
let inTime = 0;
let worstGap = 0;
for (const tenantId of tenantIds) {
  const done = jobs
    .filter((j) => j.tenant_id === tenantId && j.status === "SUCCEEDED" && j.finished_at)
    .map((j) => j.finished_at!.getTime());
  let ok = true;
  for (let k = 0; k < INTERVALS; k++) {
    const from = started + k * intervalMs;
    if (!done.some((f) => f >= from && f < from + intervalMs)) ok = false;
  }
  const marks = [started, ...done, ended];
  for (let i = 1; i < marks.length; i++) worstGap = Math.max(worstGap, marks[i]! - marks[i - 1]!);
  if (ok) inTime++;
}
const byType = (type: string) =>
  jobs
    .filter((j) => j.type === type && j.status === "SUCCEEDED" && j.started_at && j.finished_at)
    .map((j) => j.finished_at!.getTime() - j.started_at!.getTime())
    .sort((a, b) => a - b);
const waits = jobs
  .filter((j) => j.started_at)
  .map((j) => j.started_at!.getTime() - j.created_at.getTime())
  .sort((a, b) => a - b);
const stats = sandbox.control.stats();
const calls = Object.values(stats).reduce((n, x) => n + x.requests, 0);
const throttled = Object.values(stats).reduce((n, x) => n + x.throttled, 0);
const search = AMAZON_USAGE_PLANS.searchListingsItems!;
const fullFloor = (SKUS / 20 - search.burst) / search.rate;
const full = byType("FULL");
const incremental = byType("INCREMENTAL");
const statuses = new Map<string, number>();
for (const j of jobs) statuses.set(j.status, (statuses.get(j.status) ?? 0) + 1);

console.log(`
| What | Measured |
| --- | --- |
| Tenants synced successfully in every ${INTERVAL_MIN}-minute interval of the run | **${inTime} of ${TENANTS}** |
| Longest time a tenant went without a finished sync (start, syncs, end) | ${s(worstGap)} (interval ${s(intervalMs)}) |
| Scheduled jobs | ${jobs.length} (${[...statuses].map(([k, v]) => `${k} ${v}`).join(", ")}) |
| FULL job (first sync) p50 / p95 / max | ${s(pct(full, 0.5))} / ${s(pct(full, 0.95))} / ${s(full.at(-1) ?? Number.NaN)}; floor of ${SKUS / 20} searches at ${search.rate}/s after a burst of ${search.burst}: ${s(fullFloor * 1000)} |
| INCREMENTAL job p50 / p95 / max | ${s(pct(incremental, 0.5))} / ${s(pct(incremental, 0.95))} / ${s(incremental.at(-1) ?? Number.NaN)} |
| Queue wait, job created to started, p50 / p95 / max | ${s(pct(waits, 0.5))} / ${s(pct(waits, 0.95))} / ${s(waits.at(-1) ?? Number.NaN)} |
| Marketplace calls / throttled (429) | ${calls} / ${throttled} |`);

for (const child of workers) child.kill("SIGTERM");
await Promise.all(workers.map((c) => new Promise((r) => c.once("exit", r))));
await app.close();
await pool.end();
await sandbox.close();
await db.stop();
fs.rmSync(work, { recursive: true, force: true });
process.exit(0);
