/**
 * Export benchmark: GET /exports/inventory.csv of every seeded SKU (keyset batches through Prisma inside the
 * tenant's transaction, csv-stringify, formula escaping) against a baseline that streams the same rows and
 * columns with a plain `COPY (SELECT ...) TO STDOUT WITH CSV` on a bare route of the same server. Both are read
 * over HTTP by this process; time, bytes, rows and the peak growth of the process's RSS and heap are measured.
 * Usage: pnpm bench:exports [--skus 100000] [--runs 3]
 */
import "reflect-metadata";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { to as copyTo } from "pg-copy-streams";
import { buildApp } from "../src/app/boot";
import { seedTenant } from "../src/modules/catalog/demo/seed";
import { newApiKey } from "../src/modules/identity/secrets";
import { loadConfig } from "../src/platform/config";
import {
  applyMigrations,
  createOwnerPool,
  MIGRATIONS_DIR,
  readMigrations,
  startEmbeddedPostgres,
} from "../src/platform/db";
import { freePort } from "../src/platform/net";

const { values } = parseArgs({
  options: {
    skus: { type: "string", default: "100000" },
    runs: { type: "string", default: "3" },
  },
});
const SKUS = Number(values.skus);
const RUNS = Number(values.runs);
const TENANT = "bench";

const work = fs.mkdtempSync(path.join(os.tmpdir(), "bench-exports-"));
fs.chmodSync(work, 0o755);
const db = await startEmbeddedPostgres({ dataDir: path.join(work, "pg"), port: await freePort() });
const migrations = readMigrations(MIGRATIONS_DIR);
await applyMigrations(db.url, migrations);

const seedPool = createOwnerPool(db.url, 4);
let started = Date.now();
const { tenantId } = await seedTenant(seedPool, { slug: TENANT, name: "Benchmark", skus: SKUS });
await seedPool.query("ANALYZE");
const key = newApiKey();
await seedPool.query(
  `INSERT INTO api_keys (tenant_id, name, prefix, key_hash, scopes) VALUES ($1, 'bench', $2, $3, $4)`,
  [tenantId, key.prefix, key.hash, ["read_exports", "read_inventory"]],
);
const thresholds = await seedPool.query<{ low: number; out: number }>(
  `SELECT low_stock_threshold AS low, out_of_stock_threshold AS out FROM platform_sync_settings
   WHERE tenant_id = $1`,
  [tenantId],
);
await seedPool.end();
console.log(`seeded ${SKUS} SKUs in ${((Date.now() - started) / 1000).toFixed(1)} s`);
const low = thresholds.rows[0]?.low ?? 10;
const out = thresholds.rows[0]?.out ?? 0;

const config = loadConfig({ ...process.env, DATABASE_URL: db.url, LOG_LEVEL: "warn" });
const app = await buildApp({ url: db.url, config, migrations, database: "external" });

// The same rows and columns as the export, in its default order (title, then id), under row-level security.
const COPY_SQL = `COPY (
  SELECT id, sku, asin, title, brand, category, fulfillment_channel, quantity, reserved_quantity,
         available_quantity, inbound_quantity, unfulfillable_quantity,
         CASE WHEN available_quantity <= ${out} THEN 'OUT_OF_STOCK'
              WHEN available_quantity <= ${low} THEN 'LOW_STOCK' ELSE 'IN_STOCK' END AS stock_level,
         price, currency, status, condition, is_bestseller, sales_rank, last_seen_at, created_at, updated_at
  FROM seller_inventory ORDER BY title, id
) TO STDOUT WITH (FORMAT csv, HEADER)`;

app.http.get("/baseline/copy", async (_request, reply) => {
  const client = await app.pool.connect();
  await client.query("BEGIN");
  await client.query("SELECT set_config('app.tenant_id', $1, true)", [tenantId]);
  const stream = client.query(copyTo(COPY_SQL));
  const done = (error?: Error) => {
    void client
      .query(error ? "ROLLBACK" : "COMMIT")
      .catch(() => {})
      .finally(() => client.release());
  };
  stream.on("end", () => done());
  stream.on("error", (error) => done(error));
  return reply.type("text/csv; charset=utf-8").send(stream);
});
await app.http.listen({ port: 0, host: "127.0.0.1" });
const { port } = app.http.server.address() as { port: number };
const base = `http://127.0.0.1:${port}`;
const auth = { authorization: `Bearer ${key.secret}`, "x-tenant": TENANT };

interface Measure {
  ms: number;
  bytes: number;
  lines: number;
  rssMb: number;
  heapMb: number;
}

const gc = (globalThis as { gc?: () => void }).gc;

/** Reads one download to its end, counting bytes and lines, sampling memory every 5 ms meanwhile. */
async function measure(url: string, headers: Record<string, string>): Promise<Measure> {
  gc?.();
  await new Promise((r) => setTimeout(r, 200));
  const before = process.memoryUsage();
  let rss = before.rss;
  let heap = before.heapUsed;
  const sampler = setInterval(() => {
    const m = process.memoryUsage();
    rss = Math.max(rss, m.rss);
    heap = Math.max(heap, m.heapUsed);
  }, 5);
  started = performance.now();
  const res = await fetch(url, { headers });
  if (!res.ok || !res.body) throw new Error(`${url}: ${res.status} ${await res.text()}`);
  let bytes = 0;
  let lines = 0;
  for await (const chunk of res.body as AsyncIterable<Uint8Array>) {
    bytes += chunk.length;
    for (let i = 0; i < chunk.length; i++) if (chunk[i] === 10) lines++;
    const m = process.memoryUsage();
    rss = Math.max(rss, m.rss);
    heap = Math.max(heap, m.heapUsed);
  }
  const ms = performance.now() - started;
  clearInterval(sampler);
  const mb = (n: number) => n / 1024 / 1024;
  return { ms, bytes, lines, rssMb: mb(rss - before.rss), heapMb: mb(heap - before.heapUsed) };
}

const exportUrl = `${base}/exports/inventory.csv`;
const copyUrl = `${base}/baseline/copy`;
// Warm both paths (plans, JIT, connections) before measuring.
await measure(exportUrl, auth);
await measure(copyUrl, {});

const results: { export: Measure[]; copy: Measure[] } = { export: [], copy: [] };
for (let run = 0; run < RUNS; run++) {
  results.export.push(await measure(exportUrl, auth));
  results.copy.push(await measure(copyUrl, {}));
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const summary = (name: string, ms: Measure[]) => {
  const time = median(ms.map((m) => m.ms));
  const rows = ms[0]!.lines - 1;
  return {
    name,
    rows,
    mb: ms[0]!.bytes / 1024 / 1024,
    time,
    rowsPerSecond: rows / (time / 1000),
    rss: Math.max(...ms.map((m) => m.rssMb)),
    heap: Math.max(...ms.map((m) => m.heapMb)),
    times: ms.map((m) => (m.ms / 1000).toFixed(2)).join(", "),
  };
};
const exp = summary("GET /exports/inventory.csv", results.export);
const copy = summary("COPY (SELECT ...) TO STDOUT", results.copy);

console.log(
  `\n${SKUS} SKUs, ${RUNS} runs each (median time), ${os.cpus().length} cores, Node ${process.version}`,
);
console.log(
  "| path | rows | size | time (median) | rows/s | peak RSS growth | peak heap growth | runs (s) |",
);
console.log("| --- | --- | --- | --- | --- | --- | --- | --- |");
for (const s of [exp, copy]) {
  console.log(
    `| ${s.name} | ${s.rows} | ${s.mb.toFixed(1)} MiB | ${(s.time / 1000).toFixed(2)} s | ${s.rowsPerSecond.toFixed(0)} | ` +
      `${s.rss.toFixed(1)} MiB | ${s.heap.toFixed(1)} MiB | ${s.times} |`,
  );
}
console.log(`export / COPY time: ${(exp.time / copy.time).toFixed(2)}x`);
if (exp.rows !== SKUS || copy.rows !== SKUS) {
  console.error(`expected ${SKUS} rows on both sides; got ${exp.rows} and ${copy.rows}`);
  process.exitCode = 1;
}

await app.close();
await db.stop();
fs.rmSync(work, { recursive: true, force: true });
