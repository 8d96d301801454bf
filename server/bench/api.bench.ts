/**
 * Inventory query benchmark: GraphQL against a baseline that reads the same rows with Prisma and returns
 * them as JSON on a bare route of the same server, over 100,000 seeded SKUs.
 * Usage: pnpm bench:api [--skus 100000] [--duration 10] [--connections 10]
 */
import "reflect-metadata";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import autocannon from "autocannon";
import { buildApp } from "../src/app/boot";
import { encodeCursor } from "../src/graphql/pagination";
import { inventorySort, inventoryWhere } from "../src/modules/catalog";
import { seedTenant } from "../src/modules/catalog/demo/seed";
import { newApiKey } from "../src/modules/identity/secrets";
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

const { values } = parseArgs({
  options: {
    skus: { type: "string", default: "100000" },
    duration: { type: "string", default: "10" },
    connections: { type: "string", default: "10" },
  },
});
const SKUS = Number(values.skus);
const DURATION = Number(values.duration);
const CONNECTIONS = Number(values.connections);
const TENANT = "bench";

const work = fs.mkdtempSync(path.join(os.tmpdir(), "bench-api-"));
fs.chmodSync(work, 0o755);
const db = await startEmbeddedPostgres({ dataDir: path.join(work, "pg"), port: await freePort() });
const migrations = readMigrations(MIGRATIONS_DIR);
await applyMigrations(db.url, migrations);

const seedPool = createOwnerPool(db.url, 4);
let started = Date.now();
const { tenantId } = await seedTenant(seedPool, { slug: TENANT, name: "Benchmark", skus: SKUS });
await seedPool.query("ANALYZE");
await seedPool.end();
console.log(`seeded ${SKUS} SKUs in ${((Date.now() - started) / 1000).toFixed(1)} s`);

const config = loadConfig({
  ...process.env,
  DATABASE_URL: db.url,
  LOG_LEVEL: "warn",
  DEFAULT_TENANT: TENANT,
  // The load is one partner's key: a budget no benchmark run spends, so only speed is measured.
  API_KEY_COST_LIMIT: "10000000",
  API_KEY_COST_RESTORE: "1000000",
});
const app = await buildApp({ url: db.url, config, migrations, database: "external" });
const tenant = tenantDb(app.prisma, tenantId);

// Every request authenticates, as a partner's tool does: with an API key that may read the inventory.
const key = newApiKey();
await app.ownerPool.query(
  `INSERT INTO api_keys (tenant_id, name, prefix, key_hash, scopes) VALUES ($1, 'bench', $2, $3, $4)`,
  [tenantId, key.prefix, key.hash, ["read_inventory"]],
);
const { tokens } = await app.services.identity.openSession(
  await app.services.identity.ensureMember(tenantId, {
    email: "bench@bench.test",
    name: "Bench",
    password: newApiKey().secret,
    role: "VIEWER",
  }),
  { ip: "127.0.0.1", userAgent: "bench" },
);
const AUTH = { authorization: `Bearer ${key.secret}` };

/** What authentication adds to one request: the median of many calls of the step every request makes. */
async function authenticationCost(header: string, calls = 20_000) {
  const first = process.hrtime.bigint();
  await app.services.authenticator.authenticate(header, undefined);
  const cold = Number(process.hrtime.bigint() - first) / 1e6;
  const times: number[] = [];
  for (let i = 0; i < calls; i++) {
    const t = process.hrtime.bigint();
    const outcome = await app.services.authenticator.authenticate(header, undefined);
    times.push(Number(process.hrtime.bigint() - t) / 1e6);
    if (!outcome?.ok) throw new Error("the benchmark's credential was refused");
  }
  times.sort((a, b) => a - b);
  return { cold, p50: times[calls >> 1]!, p99: times[Math.floor(calls * 0.99)]! };
}
const thresholds = { lowStockThreshold: 10, outOfStockThreshold: 0 };

// The cursor of the 50,000th item in title order: a deep page.
const deepIndex = Math.floor(SKUS / 2);
const [deepRow] = await tenant.client.sellerInventory.findMany({
  orderBy: [{ title: "asc" }, { id: "asc" }],
  skip: deepIndex - 1,
  take: 1,
});
const titleSort = inventorySort(null);
const deepCursor = encodeCursor({ k: titleSort.key, v: titleSort.value(deepRow!), id: deepRow!.id });
const searchFilter = { search: "anker", stockLevel: ["IN_STOCK" as const, "LOW_STOCK" as const] };
// What a person usually types: a SKU.
const skuFilter = { search: deepRow!.sku.toLowerCase() };

/** The first 50 matches of a filter with their listings, and the count, read with Prisma directly. */
async function searchBaseline(filter: object) {
  const where = await inventoryWhere(tenant, filter as never, thresholds);
  const [rows, count] = await Promise.all([
    tenant.client.sellerInventory.findMany({
      where,
      orderBy: [{ title: "asc" }, { id: "asc" }],
      take: 50,
      include: { product: { include: { listings: true } } },
    }),
    tenant.client.sellerInventory.count({ where }),
  ]);
  return { rows, count };
}

interface Scenario {
  name: string;
  graphql: { query: string; variables: Record<string, unknown> };
  /** The same rows read with Prisma directly. */
  baseline: () => Promise<unknown>;
}

const ITEM_FIELDS =
  "sku title brand quantity availableQuantity price status listings { platform quantity price status }";
const scenarios: Scenario[] = [
  {
    name: "first 100 with listings",
    graphql: { query: `{ inventory(first: 100) { nodes { ${ITEM_FIELDS} } } }`, variables: {} },
    baseline: () =>
      tenant.client.sellerInventory.findMany({
        orderBy: [{ title: "asc" }, { id: "asc" }],
        take: 100,
        include: { product: { include: { listings: true } } },
      }),
  },
  {
    name: "broad search (~3% of SKUs), 50",
    graphql: {
      query: `query($f: InventoryFilter) { inventory(first: 50, filter: $f) { totalCount nodes { ${ITEM_FIELDS} } } }`,
      variables: { f: searchFilter },
    },
    baseline: () => searchBaseline(searchFilter),
  },
  {
    name: "search for one SKU, 50",
    graphql: {
      query: `query($f: InventoryFilter) { inventory(first: 50, filter: $f) { totalCount nodes { ${ITEM_FIELDS} } } }`,
      variables: { f: skuFilter },
    },
    baseline: () => searchBaseline(skuFilter),
  },
  {
    name: `deep page (after item ${deepIndex})`,
    graphql: {
      query: `query($a: String) { inventory(first: 100, after: $a) { nodes { ${ITEM_FIELDS} } } }`,
      variables: { a: deepCursor },
    },
    baseline: () =>
      tenant.client.sellerInventory.findMany({
        orderBy: [{ title: "asc" }, { id: "asc" }],
        cursor: { id: deepRow!.id },
        skip: 1,
        take: 100,
        include: { product: { include: { listings: true } } },
      }),
  },
];

scenarios.forEach((s, i) => {
  app.http.get(`/baseline/${i}`, async () => s.baseline());
});
await app.http.listen({ port: 0, host: "127.0.0.1" });
const { port } = app.http.server.address() as { port: number };
const base = `http://127.0.0.1:${port}`;

async function load(request: autocannon.Options) {
  const result = await autocannon({ connections: CONNECTIONS, duration: DURATION, ...request });
  if (result.non2xx > 0 || result.errors > 0) {
    throw new Error(`${request.url}: ${result.non2xx} non-2xx responses, ${result.errors} errors`);
  }
  return result;
}

for (const [name, filter] of [
  ["broad search", searchFilter],
  ["SKU search", skuFilter],
] as const) {
  const where = await inventoryWhere(tenant, filter as never, thresholds);
  console.log(
    `${name} ${JSON.stringify(filter)} matches ${await tenant.client.sellerInventory.count({ where })} items`,
  );
}

// Check both sides answer before measuring them.
for (const [i, s] of scenarios.entries()) {
  const gql = await fetch(`${base}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json", ...AUTH },
    body: JSON.stringify(s.graphql),
  });
  const body = (await gql.json()) as { errors?: unknown };
  if (body.errors) throw new Error(`${s.name}: ${JSON.stringify(body.errors)}`);
  if (!(await fetch(`${base}/baseline/${i}`)).ok) throw new Error(`${s.name}: baseline failed`);
}

const rows: string[] = [];
const fmt = (n: number) => n.toFixed(1).padStart(8);
console.log(
  `\n${CONNECTIONS} connections, ${DURATION} s per run, ${os.cpus().length} cores, Node ${process.version}`,
);
for (const [i, s] of scenarios.entries()) {
  started = Date.now();
  const gql = await load({
    url: `${base}/graphql`,
    method: "POST",
    headers: { "content-type": "application/json", ...AUTH },
    body: JSON.stringify(s.graphql),
  });
  const raw = await load({ url: `${base}/baseline/${i}` });
  const ratio = gql.requests.average / raw.requests.average;
  rows.push(
    `| ${s.name} | ${gql.requests.average.toFixed(0)} | ${gql.latency.p50} / ${gql.latency.p97_5} / ${gql.latency.p99} | ` +
      `${raw.requests.average.toFixed(0)} | ${raw.latency.p50} / ${raw.latency.p99} | ${ratio.toFixed(2)} |`,
  );
  console.log(
    `${s.name.padEnd(34)} GraphQL ${fmt(gql.requests.average)} req/s  p50 ${gql.latency.p50} ms  p97.5 ${gql.latency.p97_5} ms (>= p95)  p99 ${gql.latency.p99} ms`,
  );
  console.log(
    `${"".padEnd(34)} baseline${fmt(raw.requests.average)} req/s  p50 ${raw.latency.p50} ms  p99 ${raw.latency.p99} ms   ratio ${ratio.toFixed(2)} (target >= 0.5, p95 < 50 ms)`,
  );
}
console.log(
  "\n| scenario | GraphQL req/s | GraphQL p50 / p97.5 / p99 ms | baseline req/s | baseline p50 / p99 ms | ratio |",
);
console.log("|---|---|---|---|---|---|");
for (const r of rows) console.log(r);

console.log("\nAuthentication alone (the step every request runs before its resolvers), ms:");
console.log("| credential | first call (cold cache) | p50 | p99 |");
console.log("|---|---|---|---|");
for (const [name, header] of [
  ["API key (isk_…)", AUTH.authorization],
  ["session access token (JWT)", `Bearer ${tokens.accessToken}`],
] as const) {
  const cost = await authenticationCost(header);
  console.log(`| ${name} | ${cost.cold.toFixed(3)} | ${cost.p50.toFixed(4)} | ${cost.p99.toFixed(4)} |`);
}

await app.close();
await db.stop();
fs.rmSync(work, { recursive: true, force: true });
