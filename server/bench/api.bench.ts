/**
 * Inventory API benchmark, side by side in one run over 100,000 seeded SKUs: the GraphQL API, a raw-SQL
 * baseline (one hand-written statement per scenario under the same role and tenant setting, answering the
 * same JSON on a bare route) and, with `--peer postgraphile`, PostGraphile 4 over the same tables as the same
 * non-owner role with the tenant set per request. All answer the same rows (checked first); the rounds are
 * interleaved so that a busy moment of the machine falls on all of them alike.
 * The script runs with NODE_ENV=production and the young generation `pnpm start` gives the server
 * (`--max-semi-space-size=64`), as a deployment does (graphql-js then skips its development checks).
 * Usage: pnpm bench:api [--skus 100000] [--duration 5] [--rounds 2] [--connections 10] [--peer postgraphile]
 *   [--data DIR] [--only 0,2] [--sides graphql,raw]
 * `--data DIR` keeps the database in DIR and reuses it on the next run (seeding 100,000 SKUs takes minutes);
 * `--only` runs the scenarios at those indexes, `--sides` only those sides (a profile of one side, say).
 */
import "reflect-metadata";
import fs from "node:fs";
import http from "node:http";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import { isDeepStrictEqual, parseArgs } from "node:util";
import autocannon from "autocannon";
import { buildApp } from "../src/app/boot";
import { encodeCursor } from "../src/graphql/pagination";
import { inventorySort } from "../src/modules/catalog";
import { seedTenant } from "../src/modules/catalog/demo/seed";
import { newApiKey } from "../src/modules/identity/secrets";
import { loadConfig } from "../src/platform/config";
import {
  applyMigrations,
  createAppPool,
  createOwnerPool,
  MIGRATIONS_DIR,
  readMigrations,
  startEmbeddedPostgres,
  withTenant,
} from "../src/platform/db";
import { freePort } from "../src/platform/net";

const { values } = parseArgs({
  options: {
    skus: { type: "string", default: "100000" },
    duration: { type: "string", default: "5" },
    rounds: { type: "string", default: "2" },
    connections: { type: "string", default: "10" },
    peer: { type: "string" },
    data: { type: "string" },
    only: { type: "string" },
    sides: { type: "string" },
  },
});
const SKUS = Number(values.skus);
const DURATION = Number(values.duration);
const ROUNDS = Number(values.rounds);
const CONNECTIONS = Number(values.connections);
const PEER = values.peer;
if (PEER !== undefined && PEER !== "postgraphile") throw new Error("--peer knows only postgraphile");
const TENANT = "bench";
// Every side gets the same number of database connections.
const POOL_SIZE = 10;

const work = values.data ? path.resolve(values.data) : fs.mkdtempSync(path.join(os.tmpdir(), "bench-api-"));
fs.mkdirSync(work, { recursive: true });
fs.chmodSync(work, 0o755);
const db = await startEmbeddedPostgres({ dataDir: path.join(work, "pg"), port: await freePort() });
const migrations = readMigrations(MIGRATIONS_DIR);
await applyMigrations(db.url, migrations);

const ownerPool = createOwnerPool(db.url, 4);
const started = Date.now();
const { tenantId, created } = await seedTenant(ownerPool, { slug: TENANT, name: "Benchmark", skus: SKUS });
if (created) {
  await ownerPool.query("VACUUM (ANALYZE)");
  console.log(`seeded ${SKUS} SKUs and vacuumed in ${((Date.now() - started) / 1000).toFixed(1)} s`);
} else {
  const {
    rows: [held],
  } = await withTenant(ownerPool, tenantId, (c) =>
    c.query<{ n: number }>("SELECT count(*)::int AS n FROM seller_inventory"),
  );
  if (held?.n !== SKUS) throw new Error(`${work} holds ${held?.n} SKUs, not --skus ${SKUS}`);
  console.log(`reusing the ${SKUS} SKUs seeded in ${work}`);
}

const config = loadConfig({
  ...process.env,
  DATABASE_URL: db.url,
  LOG_LEVEL: "warn",
  DEFAULT_TENANT: TENANT,
  DB_POOL_SIZE: String(POOL_SIZE),
  // The load is one partner's key: a budget no benchmark run spends, so only speed is measured.
  API_KEY_COST_LIMIT: "10000000",
  API_KEY_COST_RESTORE: "1000000",
});
const app = await buildApp({ url: db.url, config, migrations, database: "external" });

// Every request authenticates, as a partner's tool does: with an API key that may read the inventory.
const key = newApiKey();
await ownerPool.query(
  `INSERT INTO api_keys (tenant_id, name, prefix, key_hash, scopes) VALUES ($1, 'bench', $2, $3, $4)`,
  [tenantId, key.prefix, key.hash, ["read_inventory", "read_analytics"]],
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

// The 50,000th item in title order: a deep page starts after it.
const deepIndex = Math.floor(SKUS / 2);
const {
  rows: [deepRow],
} = await withTenant(ownerPool, tenantId, (c) =>
  c.query<{ id: string; sku: string; title: string }>(
    "SELECT id, sku, title FROM seller_inventory WHERE tenant_id = $1 ORDER BY title, id OFFSET $2 LIMIT 1",
    [tenantId, deepIndex - 1],
  ),
);
if (!deepRow) throw new Error("the tenant has fewer SKUs than the deep page needs");
const titleSort = inventorySort(null);
const deepCursor = encodeCursor({ k: titleSort.key, v: deepRow.title, id: deepRow.id });
const BROAD = "anker";
// What a person usually types: a SKU.
const SKU = deepRow.sku.toLowerCase();

const ITEM_FIELDS =
  "sku title brand quantity availableQuantity price status listings { platform quantity price status }";
const PEER_ITEM_FIELDS =
  "sku title brand quantity availableQuantity price status productByProductId { productListingsByProductId(orderBy: [PLATFORM_ASC, ID_ASC]) { nodes { platform quantity price status } } }";

// The raw baseline's JSON: what GraphQL answers, built by PostgreSQL in the statement itself.
const ITEM_JSON = `json_build_object('sku', s.sku, 'title', s.title, 'brand', s.brand, 'quantity', s.quantity,
  'availableQuantity', s.available_quantity, 'price', s.price::text, 'status', s.status,
  'listings', (SELECT coalesce(json_agg(json_build_object('platform', l.platform, 'quantity', l.quantity,
    'price', l.price::text, 'status', l.status) ORDER BY l.platform, l.id), '[]'::json)
    FROM product_listings l WHERE l.product_id = s.product_id))`;
const rawPage = (where: string, take: number, counted: boolean) => `
  SELECT json_build_object('data', json_build_object('inventory', json_build_object(
    ${counted ? `'totalCount', (SELECT count(*) FROM seller_inventory s WHERE ${where}),` : ""}
    'nodes', (SELECT coalesce(json_agg(${ITEM_JSON} ORDER BY s.title, s.id), '[]'::json)
      FROM (SELECT * FROM seller_inventory s WHERE ${where} ORDER BY s.title, s.id LIMIT ${take}) s))))::text AS body`;
const SEARCH = "s.id IN (SELECT inventory_search_ids($1, 2147483647))";

interface Scenario {
  name: string;
  graphql: { query: string; variables: Record<string, unknown> };
  raw: { sql: string; params: unknown[] };
  /** PostGraphile's query, and how to read its answer as the API's; none where it has no such query. */
  peer?: { query: string; variables: Record<string, unknown>; nodes(data: PeerData): PeerNode[] };
  counted: boolean;
}

type PeerNode = Record<string, unknown> & {
  productByProductId: { productListingsByProductId: { nodes: unknown[] } };
};
type PeerData = Record<string, { totalCount?: number; nodes: PeerNode[] }>;

const scenarios: Scenario[] = [
  {
    name: "first 100 with listings and totalCount",
    graphql: { query: `{ inventory(first: 100) { totalCount nodes { ${ITEM_FIELDS} } } }`, variables: {} },
    raw: { sql: rawPage("TRUE", 100, true), params: [] },
    peer: {
      query: `{ all: allSellerInventories(first: 100, orderBy: [TITLE_ASC, ID_ASC]) { totalCount nodes { ${PEER_ITEM_FIELDS} } } }`,
      variables: {},
      nodes: (d) => d.all!.nodes,
    },
    counted: true,
  },
  {
    name: "broad search (~3% of SKUs), 50",
    graphql: {
      query: `query($f: InventoryFilter) { inventory(first: 50, filter: $f) { totalCount nodes { ${ITEM_FIELDS} } } }`,
      variables: { f: { search: BROAD, stockLevel: ["IN_STOCK", "LOW_STOCK"] } },
    },
    // In stock or low is more than the out-of-stock threshold (0 here).
    raw: { sql: rawPage(`${SEARCH} AND s.available_quantity > 0`, 50, true), params: [BROAD] },
    peer: {
      query: `query($p: String!) { all: benchSearchInventory(pattern: $p, minAvailable: 0, first: 50) { totalCount nodes { ${PEER_ITEM_FIELDS} } } }`,
      variables: { p: BROAD },
      nodes: (d) => d.all!.nodes,
    },
    counted: true,
  },
  {
    name: "search for one SKU, 50",
    graphql: {
      query: `query($f: InventoryFilter) { inventory(first: 50, filter: $f) { totalCount nodes { ${ITEM_FIELDS} } } }`,
      variables: { f: { search: SKU } },
    },
    raw: { sql: rawPage(SEARCH, 50, true), params: [SKU] },
    peer: {
      query: `query($p: String!) { all: benchSearchInventory(pattern: $p, first: 50) { totalCount nodes { ${PEER_ITEM_FIELDS} } } }`,
      variables: { p: SKU },
      nodes: (d) => d.all!.nodes,
    },
    counted: true,
  },
  {
    name: `deep page (after item ${deepIndex}), 100`,
    graphql: {
      query: `query($a: String) { inventory(first: 100, after: $a) { nodes { ${ITEM_FIELDS} } } }`,
      variables: { a: deepCursor },
    },
    raw: {
      sql: rawPage("s.title >= $1 AND (s.title > $1 OR s.id > $2::uuid)", 100, false),
      params: [deepRow.title, deepRow.id],
    },
    peer: {
      query: `query($a: Cursor) { all: allSellerInventories(first: 100, after: $a, orderBy: [TITLE_ASC, ID_ASC]) { nodes { ${PEER_ITEM_FIELDS} } } }`,
      variables: {},
      nodes: (d) => d.all!.nodes,
    },
    counted: false,
  },
  {
    // The dashboard's overview: the current stock from the trigger-kept counters (PostGraphile has no such query).
    name: "analytics: stock by channel and items by status",
    graphql: {
      query:
        "{ analytics { products { totalItems byStatus { status count } } stockDistribution { channel items units availableUnits valueAtPrice valueAtCost } } }",
      variables: {},
    },
    raw: {
      sql: `WITH c AS (
          SELECT channel, status, sum(items) AS items, sum(units) AS units, sum(available_units) AS available_units,
                 sum(value_at_price) AS value_at_price, sum(value_at_cost) AS value_at_cost
            FROM analytics_stock_counters WHERE scope = 'ITEM' GROUP BY 1, 2),
        st AS (SELECT status::text AS status, sum(items)::int AS n FROM c GROUP BY 1 HAVING sum(items) <> 0),
        ch AS (SELECT channel::text AS channel, sum(items) AS items, sum(units) AS units,
                 sum(available_units) AS available_units, sum(value_at_price) AS value_at_price,
                 sum(value_at_cost) AS value_at_cost FROM c GROUP BY 1)
        SELECT json_build_object('data', json_build_object('analytics', json_build_object(
          'products', json_build_object('totalItems', (SELECT coalesce(sum(n), 0)::int FROM st),
            'byStatus', (SELECT coalesce(json_agg(json_build_object('status', status, 'count', n) ORDER BY status), '[]'::json) FROM st)),
          'stockDistribution', (SELECT json_agg(json_build_object('channel', k, 'items', coalesce(ch.items, 0)::int,
              'units', coalesce(ch.units, 0)::float8, 'availableUnits', coalesce(ch.available_units, 0)::float8,
              'valueAtPrice', coalesce(ch.value_at_price, 0)::numeric(18, 2)::text,
              'valueAtCost', coalesce(ch.value_at_cost, 0)::numeric(18, 2)::text) ORDER BY k)
            FROM unnest(ARRAY['FBA', 'FBM']) k LEFT JOIN ch ON ch.channel = k))))::text AS body`,
      params: [],
    },
    counted: false,
  },
];

const deepScenario = scenarios.find((s) => s.name.startsWith("deep page"))!;

// The raw baseline: the application role, the tenant set in a transaction, one statement, its text sent.
const rawPool = createAppPool(db.url, POOL_SIZE);
// The database stops at the end with the pool idle; a connection it closes then is no failure.
rawPool.on("error", () => {});
const raw = http.createServer((req, res) => {
  const scenario = scenarios[Number(req.url?.slice(1))];
  if (!scenario) return void res.writeHead(404).end();
  withTenant(rawPool, tenantId, (c) => c.query<{ body: string }>(scenario.raw.sql, scenario.raw.params)).then(
    ({ rows }) => res.writeHead(200, { "content-type": "application/json" }).end(rows[0]!.body),
    (error: Error) => res.writeHead(500).end(error.message),
  );
});

async function startPeer(): Promise<string> {
  // The peer searches through the same security-definer function; the function is the benchmark's own.
  await ownerPool.query(`
    CREATE OR REPLACE FUNCTION bench_search_inventory(pattern text, min_available int) RETURNS SETOF seller_inventory
      LANGUAGE sql STABLE AS $$
      SELECT * FROM seller_inventory
       WHERE id IN (SELECT inventory_search_ids(pattern, 2147483647))
         AND (min_available IS NULL OR available_quantity > min_available)
       ORDER BY title, id $$;
    GRANT EXECUTE ON FUNCTION bench_search_inventory(text, int) TO inventory_app`);
  const require = createRequire(import.meta.url);
  const { postgraphile } = require("postgraphile") as typeof import("postgraphile");
  const peerPool = createOwnerPool(db.url, POOL_SIZE);
  const handler = postgraphile(peerPool, "public", {
    pgSettings: { role: "inventory_app", "app.tenant_id": tenantId },
    disableDefaultMutations: true,
    disableQueryLog: true,
    retryOnInitFail: false,
    graphqlRoute: "/graphql",
  });
  const server = http.createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  closers.push(async () => {
    server.close();
    await peerPool.end();
  });
  return `http://127.0.0.1:${(server.address() as { port: number }).port}/graphql`;
}

const closers: (() => Promise<void>)[] = [];
await app.http.listen({ port: 0, host: "127.0.0.1" });
await new Promise<void>((resolve) => raw.listen(0, "127.0.0.1", resolve));
const graphqlUrl = `http://127.0.0.1:${(app.http.server.address() as { port: number }).port}/graphql`;
const rawUrl = `http://127.0.0.1:${(raw.address() as { port: number }).port}`;
const peerUrl = PEER ? await startPeer() : undefined;

async function post(url: string, body: object, headers: Record<string, string> = {}) {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify(body),
  });
  const json = (await response.json()) as { data?: unknown; errors?: unknown };
  if (!response.ok || json.errors)
    throw new Error(`${url}: ${JSON.stringify(json.errors ?? response.status)}`);
  return json.data;
}

if (peerUrl) {
  const data = (await post(peerUrl, {
    query: `{ all: allSellerInventories(first: 1, offset: ${deepIndex - 1}, orderBy: [TITLE_ASC, ID_ASC]) { edges { cursor node { id } } } }`,
  })) as { all: { edges: { cursor: string; node: { id: string } }[] } };
  deepScenario.peer!.variables = { a: data.all.edges[0]!.cursor };
}

// The same rows from every side before anything is measured.
for (const [i, s] of scenarios.entries()) {
  const api = (await post(graphqlUrl, s.graphql, AUTH)) as {
    inventory: { totalCount?: number; nodes: unknown[] };
  };
  const baseline = (JSON.parse(await (await fetch(`${rawUrl}/${i}`)).text()) as { data: typeof api }).data;
  if (!isDeepStrictEqual(api, baseline)) {
    throw new Error(
      `${s.name}: the raw baseline answers other rows\n${JSON.stringify(api).slice(0, 600)}\n${JSON.stringify(baseline).slice(0, 600)}`,
    );
  }
  if (!api.inventory) {
    console.log(`${s.name}: the same from GraphQL and raw SQL`);
    continue;
  }
  if (peerUrl && s.peer) {
    const peer = (await post(peerUrl, s.peer)) as PeerData;
    const nodes = s.peer.nodes(peer).map(({ productByProductId, ...item }) => ({
      ...item,
      listings: productByProductId.productListingsByProductId.nodes,
    }));
    const count = s.counted ? { totalCount: peer.all!.totalCount } : {};
    if (!isDeepStrictEqual(api.inventory, { ...count, nodes })) {
      throw new Error(`${s.name}: PostGraphile answers other rows`);
    }
  }
  console.log(
    `${s.name}: ${api.inventory.nodes.length} items${s.counted ? ` of ${api.inventory.totalCount}` : ""}, the same from every side`,
  );
}

type Side = "graphql" | "raw" | "peer";
const allSides: Side[] = peerUrl ? ["graphql", "peer", "raw"] : ["graphql", "raw"];
const sides = allSides.filter((side) => !values.sides || values.sides.split(",").includes(side));
const chosen = values.only ? new Set(values.only.split(",").map(Number)) : undefined;
const request = (s: Scenario, i: number, side: Side): autocannon.Options =>
  side === "graphql"
    ? {
        url: graphqlUrl,
        method: "POST",
        headers: { "content-type": "application/json", ...AUTH },
        body: JSON.stringify(s.graphql),
      }
    : side === "peer"
      ? {
          url: peerUrl!,
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ query: s.peer!.query, variables: s.peer!.variables }),
        }
      : { url: `${rawUrl}/${i}` };

interface Tally {
  requests: number;
  seconds: number;
  p50: number[];
  p97_5: number[];
  p99: number[];
}
const tallies = new Map<string, Tally>();
console.log(
  `\n${CONNECTIONS} connections, ${ROUNDS} rounds of ${DURATION} s per scenario and side, ${os.cpus().length} cores, Node ${process.version}`,
);
for (let round = 1; round <= ROUNDS; round++) {
  for (const [i, s] of scenarios.entries()) {
    if (chosen && !chosen.has(i)) continue;
    for (const side of sides) {
      if (side === "peer" && !s.peer) continue;
      const result = await autocannon({
        connections: CONNECTIONS,
        duration: DURATION,
        ...request(s, i, side),
      });
      if (result.non2xx > 0 || result.errors > 0) {
        throw new Error(`${s.name} (${side}): ${result.non2xx} non-2xx responses, ${result.errors} errors`);
      }
      const key = `${i}:${side}`;
      const t = tallies.get(key) ?? { requests: 0, seconds: 0, p50: [], p97_5: [], p99: [] };
      t.requests += result.requests.total;
      t.seconds += result.duration;
      t.p50.push(result.latency.p50);
      t.p97_5.push(result.latency.p97_5);
      t.p99.push(result.latency.p99);
      tallies.set(key, t);
      console.log(`round ${round} ${s.name} ${side}: ${result.requests.average.toFixed(0)} req/s`);
    }
  }
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const rate = (i: number, side: Side) => {
  const t = tallies.get(`${i}:${side}`);
  return t ? t.requests / t.seconds : Number.NaN;
};
const latency = (i: number, side: Side) => {
  const t = tallies.get(`${i}:${side}`);
  if (!t) return "-";
  return `${mean(t.p50).toFixed(1)} / ${mean(t.p97_5).toFixed(1)} / ${mean(t.p99).toFixed(1)}`;
};
console.log(
  `\nreq/s over all rounds; latency p50 / p97.5 / p99 in ms (autocannon's, the mean over rounds; p97.5 >= p95)`,
);
console.log(
  peerUrl
    ? "| scenario | GraphQL req/s | GraphQL ms | PostGraphile req/s | PostGraphile ms | raw SQL req/s | raw SQL ms | GraphQL / PostGraphile | GraphQL / raw |\n|---|---|---|---|---|---|---|---|---|"
    : "| scenario | GraphQL req/s | GraphQL ms | raw SQL req/s | raw SQL ms | GraphQL / raw |\n|---|---|---|---|---|---|",
);
for (const [i, s] of scenarios.entries()) {
  if (chosen && !chosen.has(i)) continue;
  if (sides.length < allSides.length) {
    console.log(
      `| ${s.name} | ${sides.map((side) => `${side} ${rate(i, side).toFixed(0)} req/s, ${latency(i, side)}`).join(" | ")} |`,
    );
    continue;
  }
  const cells = [s.name, rate(i, "graphql").toFixed(0), latency(i, "graphql")];
  if (peerUrl) cells.push(s.peer ? rate(i, "peer").toFixed(0) : "-", latency(i, "peer"));
  cells.push(rate(i, "raw").toFixed(0), latency(i, "raw"));
  if (peerUrl) cells.push(s.peer ? (rate(i, "graphql") / rate(i, "peer")).toFixed(2) : "-");
  cells.push((rate(i, "graphql") / rate(i, "raw")).toFixed(2));
  console.log(`| ${cells.join(" | ")} |`);
}

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

for (const close of closers) await close();
raw.close();
await rawPool.end();
await ownerPool.end();
await app.close();
await db.stop();
if (!values.data) fs.rmSync(work, { recursive: true, force: true });
