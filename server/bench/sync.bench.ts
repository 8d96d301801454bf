/**
 * `pnpm bench:sync`: a FULL sync of 20,000 SKUs on Amazon and Medusa through the sandbox at the real SP-API usage
 * plans (speed-up 1), against the least time those limits allow for the calls the job had to make; the engine's
 * own time; and how long a sale takes to reach the other platform while the sync runs and after it: the sandbox
 * posts Amazon's signed notification to the connection's webhook URL (Medusa's event is posted signed as a Medusa
 * subscriber would), and the clock stops when the other platform shows the lower quantity.
 * Usage: pnpm bench:sync [--skus 20000] [--sales 3]
 */
import "reflect-metadata";
import { randomUUID } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { buildApp } from "../src/app/boot";
import { seedTenant } from "../src/modules/catalog/demo/seed";
import { connectTenantToSandbox } from "../src/modules/connections/demo";
import { startSync } from "../src/modules/sync";
import { loadConfig } from "../src/platform/config";
import {
  applyMigrations,
  createOwnerPool,
  MIGRATIONS_DIR,
  readMigrations,
  startEmbeddedPostgres,
  tenantDb,
} from "../src/platform/db";
import { freePort } from "../src/platform/net";
import { AMAZON_USAGE_PLANS } from "../src/sandbox/sandbox.runtime";
import { startSandbox } from "../src/sandbox/sandbox.server";
import { standardWebhookHeaders } from "../test/webhook-signing";

const { values } = parseArgs({
  options: { skus: { type: "string", default: "20000" }, sales: { type: "string", default: "3" } },
});
const SKUS = Number(values.skus);
const SALES = Number(values.sales);
const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

const work = fs.mkdtempSync(path.join(os.tmpdir(), "bench-sync-"));
fs.chmodSync(work, 0o755);
const db = await startEmbeddedPostgres({ dataDir: path.join(work, "pg"), port: await freePort() });
const migrations = readMigrations(MIGRATIONS_DIR);
await applyMigrations(db.url, migrations);
const seedPool = createOwnerPool(db.url, 4);
const t = Date.now();
const { tenantId } = await seedTenant(seedPool, { slug: "bench", name: "Benchmark", skus: SKUS });
await seedPool.query("ANALYZE");
const { rows } = await seedPool.query<{ seller_id: string; marketplace_id: string }>(
  "SELECT seller_id, marketplace_id FROM platform_connections WHERE tenant_id = $1 AND kind = 'AMAZON'",
  [tenantId],
);
await seedPool.end();
console.log(`seeded ${SKUS} SKUs in ${s(Date.now() - t)}`);

const sandbox = await startSandbox({
  port: 0,
  skus: SKUS,
  speedUp: 1,
  sellerId: rows[0]!.seller_id,
  marketplaceId: rows[0]!.marketplace_id,
});
const config = loadConfig({
  ...process.env,
  DATABASE_URL: db.url,
  LOG_LEVEL: "warn",
  DEFAULT_TENANT: "bench",
});
const app = await buildApp({ url: db.url, config, migrations, database: "external" });
await app.http.listen({ port: 0, host: "127.0.0.1" });
const origin = `http://127.0.0.1:${(app.http.server.address() as { port: number }).port}`;
await connectTenantToSandbox(app.prisma, app.services.connections, tenantId, {
  url: sandbox.url,
  credentials: sandbox.credentials,
});
const runtime = app.services.sync;
const tdb = tenantDb(app.prisma, tenantId);
const webhookOf = async (kind: "AMAZON" | "MEDUSA") => {
  const connection = await tdb.client.platformConnection.findFirstOrThrow({ where: { kind } });
  const endpoint = await app.services.webhookEndpoints.ensure(tdb, connection.id);
  const current = endpoint.secrets.find((x) => x.expiresAt === null)!;
  return { url: `${origin}/webhooks/${endpoint.id}`, secret: app.services.webhookEndpoints.reveal(current) };
};
const amazonHook = await webhookOf("AMAZON");
const medusaHook = await webhookOf("MEDUSA");
interface JobState {
  status: string;
  total_items: number;
  updated_items: number;
  conflict_count: number;
  failed_items: number;
}
const jobState = async (id: string) =>
  (await app.ownerPool.query<JobState>("SELECT * FROM sync_jobs WHERE id = $1", [id])).rows[0]!;

sandbox.control.resetStats();
sandbox.state.writes.clear();
const started = Date.now();
const { job } = await startSync(runtime, tdb, { type: "FULL" });
console.log(`full sync ${job.id} started`);

// Sales on one platform, carried to the other by the webhook: time from the sale until the other platform shows it.
const inStep = [...sandbox.state.amazon.values()].filter((a) => {
  const m = sandbox.state.medusa.get(a.sku);
  const level = m?.levels[0];
  return (
    a.channel === "FBM" &&
    a.status === "ACTIVE" &&
    a.quantity > 3 &&
    level &&
    level.stocked - level.reserved === a.quantity
  );
});
let nextSale = 0;
const answerTimes: number[] = [];
async function sell(fromAmazon: boolean): Promise<number> {
  const a = inStep[nextSale++ * 7]!;
  const m = sandbox.state.medusa.get(a.sku)!;
  const level = m.levels[0]!;
  const sold = Date.now();
  if (fromAmazon) {
    // The sandbox posts its LISTINGS_ITEM_MFN_QUANTITY_CHANGE to the Amazon connection's URL, signed.
    sandbox.control.notifyTo(amazonHook);
    const delivered = sandbox.control.deliveries().length;
    sandbox.control.simulateSale("amazon", a.sku, 1);
    sandbox.control.notifyTo(undefined);
    await sandbox.control.deliveredCount(delivered + 1);
    answerTimes.push(Date.now() - sold);
  } else {
    sandbox.control.simulateSale("medusa", a.sku, 1);
    const body = JSON.stringify({
      id: `evt_${randomUUID()}`,
      name: "inventory-level.updated",
      data: { sku: a.sku, stocked_quantity: level.stocked, reserved_quantity: level.reserved },
    });
    const res = await fetch(medusaHook.url, {
      method: "POST",
      headers: { "content-type": "application/json", ...standardWebhookHeaders(medusaHook.secret, body) },
      body,
    });
    if (!res.ok) throw new Error(`the webhook answered ${res.status}: ${await res.text()}`);
    answerTimes.push(Date.now() - sold);
  }
  const target = fromAmazon ? a.quantity : level.stocked - level.reserved;
  const reached = () => (fromAmazon ? level.stocked - level.reserved === target : a.quantity === target);
  const deadline = Date.now() + 120_000;
  while (!reached() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  const ms = Date.now() - sold;
  console.log(
    `sale on ${fromAmazon ? "Amazon" : "Medusa"} (${a.sku}) reached the other platform in ${s(ms)}${reached() ? "" : " (NOT REACHED)"}`,
  );
  return ms;
}
const saleTimes: number[] = [];
const idleSaleTimes: number[] = [];
const sales = (async () => {
  for (let i = 0; i < SALES; i++) {
    await new Promise((r) => setTimeout(r, 20_000));
    saleTimes.push(await sell(i % 2 === 1));
  }
})();

let fetchEnded = 0;
let applyStarted = 0;
let readStats: Record<string, { requests: number; throttled: number; ok: number }> = {};
let final: JobState;
for (;;) {
  final = await jobState(job.id);
  if (!fetchEnded && final.status === "COMPARING") fetchEnded = Date.now();
  if (!applyStarted && final.status === "APPLYING") {
    applyStarted = Date.now();
    readStats = JSON.parse(JSON.stringify(sandbox.control.stats()));
  }
  if (["SUCCEEDED", "FAILED", "CANCELLED"].includes(final.status)) break;
  await new Promise((r) => setTimeout(r, 100));
}
const total = Date.now() - started;
await sales;
// And with nothing else running.
for (let i = 0; i < 2 * SALES; i++) idleSaleTimes.push(await sell(i % 2 === 0));
const allStats = sandbox.control.stats();

// The floor: reads limited by their buckets (searches 20 listings each, FBA summaries 50 SKUs each), then each
// feed's processing time in sequence (decreases first, then the rest), plus the compare-and-set re-reads.
const plan = AMAZON_USAGE_PLANS;
const bucket = (calls: number, op: string) => Math.max(0, (calls - plan[op]!.burst) / plan[op]!.rate) * 1000;
const readSearch = readStats.searchListingsItems?.ok ?? 0;
const readFba = readStats.getInventorySummaries?.ok ?? 0;
const readFloor = Math.max(
  bucket(readSearch, "searchListingsItems"),
  bucket(readFba, "getInventorySummaries"),
);
const { rows: feeds } = await app.ownerPool.query<{ n: number }>(
  `SELECT count(*)::int AS n FROM sync_job_items WHERE job_id = $1 AND platform = 'AMAZON'
    GROUP BY (field = 'quantity' AND (to_value)::numeric < (from_value)::numeric)`,
  [job.id],
);
const timing = sandbox.config.feedTiming;
// Fewer than 50 writes go out one patchListingsItem each (5/s); 50 or more as one feed, bound by its processing time.
const feedFloor =
  feeds
    .filter((f) => f.n >= 50)
    .reduce((sum, f) => sum + timing.queuedMs + timing.baseMs + timing.perMessageMs * f.n, 0) +
  bucket(
    feeds.filter((f) => f.n < 50).reduce((sum, f) => sum + f.n, 0),
    "patchListingsItem",
  );
const writeSearch = (allStats.searchListingsItems?.ok ?? 0) - readSearch;
const applyFloor = Math.max(feedFloor, (writeSearch / plan.searchListingsItems!.rate) * 1000);
const floor = readFloor + applyFloor;
const compareMs = applyStarted - fetchEnded;
const applyMs = Date.now() - applyStarted;

const lines = [
  `FULL sync of ${SKUS.toLocaleString("en-US")} SKUs, Amazon + Medusa, sandbox at speed-up 1 (real SP-API usage plans), ${os.cpus().length} cores`,
  "",
  "| What | Measured | Minimum the limits allow | Ratio (min / measured) |",
  "| --- | --- | --- | --- |",
  `| Whole job (${final.status}, ${final.total_items} products, ${final.updated_items} writes, ${final.conflict_count} conflicts, ${final.failed_items} failed) | ${s(total)} | ${s(floor)} | ${(floor / total).toFixed(2)} |`,
  `| Fetch: ${readSearch} searchListingsItems + ${readFba} getInventorySummaries calls | ${s(fetchEnded - started)} | ${s(readFloor)} | ${(readFloor / (fetchEnded - started)).toFixed(2)} |`,
  `| Compare and plan (engine only) | ${s(compareMs)} | - | ${((compareMs * 1000) / SKUS).toFixed(0)} µs per SKU |`,
  `| Apply: ${feeds.map((f) => f.n).join(" + ")} Amazon writes, ${writeSearch} compare-and-set searches | ${s(applyMs)} | ${s(applyFloor)} | ${(applyFloor / applyMs).toFixed(2)} |`,
  `| A sale carried by its webhook to the other platform during the sync, ${saleTimes.length} samples | ${saleTimes.map(s).join(", ")} | - | - |`,
  `| The same with nothing else running, ${idleSaleTimes.length} samples | ${idleSaleTimes.map(s).join(", ")} | - | - |`,
  `| The webhook's answer to the sender (sale to 200), every sample | ${answerTimes.map((ms) => `${ms} ms`).join(", ")} | - | - |`,
  "",
  `Throttled by the sandbox: ${
    Object.entries(allStats)
      .filter(([, v]) => v.throttled > 0)
      .map(([k, v]) => `${k} ${v.throttled}`)
      .join(", ") || "none"
  }`,
];
const { rows: failures } = await app.ownerPool.query<{
  sku: string;
  platform: string;
  error_code: string;
  error: string;
}>(
  "SELECT sku, platform::text, error_code, error FROM sync_job_items WHERE job_id = $1 AND status = 'FAILED'",
  [job.id],
);
for (const f of failures) lines.push(`Failed: ${f.platform} ${f.sku} ${f.error_code}: ${f.error}`);
console.log(`\n${lines.join("\n")}`);

await app.close();
await sandbox.close();
await db.stop();
fs.rmSync(work, { recursive: true, force: true });
process.exit(0);
