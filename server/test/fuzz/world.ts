import http from "node:http";
import type { AddressInfo } from "node:net";
import { expect } from "vitest";
import { seedTenant } from "../../src/modules/catalog/demo/seed";
import { createOwnerPool, tenantDb } from "../../src/platform/db";
import { startTestServer, type TestServer } from "../app";

/** Cases per property; FUZZ_RUNS=1000 for a long run. The default keeps `pnpm test` quick. */
export const FUZZ_RUNS = Number(process.env.FUZZ_RUNS ?? 6);
/** Fixed by default so a run is repeatable; FUZZ_SEED picks another. */
export const FUZZ_SEED = Number(process.env.FUZZ_SEED ?? 20261202);

export const FUZZ_TENANT = "demo";
export const BYSTANDER_TENANT = "bystander";

export interface Credentials {
  headers: Record<string, string>;
  connectionParams: Record<string, unknown>;
}

/**
 * What every fuzzed request carries to act as a tenant's owner: the one place where credentials are made (a
 * signed-in owner's `Authorization` header and `x-tenant`, and their connectionParams twin).
 */
export async function credentialsFor(server: TestServer, tenant: string): Promise<Credentials> {
  const headers = await server.as(tenant);
  return { headers, connectionParams: { ...headers } };
}

/** Real values of the fuzz tenant and its bystander, so hostile input also reaches rows that exist. */
export interface KnownValues {
  ids: string[];
  foreignIds: string[];
  skus: string[];
  cursors: string[];
}

export interface FuzzWorld {
  server: TestServer;
  credentials: Credentials;
  /** The fuzz tenant's webhook endpoints (paths on the server) and their signing secrets, by platform. */
  webhooks: Record<"AMAZON" | "MEDUSA", { path: string; secret: string }>;
  known: KnownValues;
  /** A digest of every tenant-owned row of each tenant, per table. */
  snapshot(): Promise<Record<string, Record<string, string>>>;
  close(): Promise<void>;
}

// Reads that pick up what the fuzz tenant holds: ids of every node type, SKUs and cursors.
const DISCOVERY = `{
  inventory(first: 5) { nodes { id sku listings { id } } pageInfo { endCursor } }
  byPrice: inventory(first: 2, orderBy: { field: PRICE, direction: DESC }) { pageInfo { endCursor } }
  alerts(first: 5) { nodes { id } pageInfo { endCursor } }
  conflicts(first: 5) { nodes { id } pageInfo { endCursor } }
  syncJobs(first: 5) { nodes { id } pageInfo { endCursor } }
  syncHistory(first: 2) { pageInfo { endCursor } }
  platformConnections { id }
}`;

function collect(value: unknown, key: string, into: Set<string>) {
  if (Array.isArray(value)) for (const v of value) collect(v, key, into);
  else if (value && typeof value === "object") {
    for (const [k, v] of Object.entries(value)) {
      if (k === key && typeof v === "string") into.add(v);
      else collect(v, key, into);
    }
  }
}

/**
 * The real server over a database holding the fuzz tenant and a bystander tenant (demo catalogs, connections
 * with credentials pointed at a local stub the egress policy is told to trust), with no workers, so data
 * changes only through the requests the fuzz sends.
 */
export async function startFuzzWorld(): Promise<FuzzWorld> {
  const stub = http.createServer((_req, res) =>
    res.writeHead(404, { "content-type": "application/json" }).end("{}"),
  );
  await new Promise<void>((resolve) => stub.listen(0, "127.0.0.1", resolve));
  const stubUrl = `http://127.0.0.1:${(stub.address() as AddressInfo).port}`;
  const tenantIds: Record<string, string> = {};
  const server = await startTestServer(async (dbUrl) => {
    const pool = createOwnerPool(dbUrl);
    tenantIds[FUZZ_TENANT] = (await seedTenant(pool, { slug: FUZZ_TENANT, name: "Fuzz", skus: 40 })).tenantId;
    tenantIds[BYSTANDER_TENANT] = (
      await seedTenant(pool, { slug: BYSTANDER_TENANT, name: "By", skus: 10 })
    ).tenantId;
    await pool.end();
    // A budget the fuzz cannot spend: throttling is tested elsewhere, here every case should reach the API.
    return {
      WORKERS: "false",
      EGRESS_ALLOWED_ORIGINS: stubUrl,
      USER_COST_LIMIT: "10000000",
      USER_COST_RESTORE: "1000000",
    };
  });
  for (const tenantId of Object.values(tenantIds)) {
    const db = tenantDb(server.app.prisma, tenantId);
    await db.transaction(async (tx) => {
      for (const c of await tx.platformConnection.findMany()) {
        const secret: Record<string, string> =
          c.kind === "AMAZON"
            ? {
                clientId: "fuzz",
                clientSecret: "fuzz",
                refreshToken: "fuzz",
                lwaEndpoint: `${stubUrl}/token`,
              }
            : { apiKey: "sk_fuzz" };
        await server.app.services.connections.storeCredentials(tx, c.id, secret, stubUrl);
      }
    });
  }

  const discover = async (tenant: string) => {
    const res = await server.gql(DISCOVERY, {}, (await credentialsFor(server, tenant)).headers);
    expect(res.errors).toBeUndefined();
    const ids = new Set<string>();
    const skus = new Set<string>();
    const cursors = new Set<string>();
    collect(res.data, "id", ids);
    collect(res.data, "sku", skus);
    collect(res.data, "endCursor", cursors);
    return { ids: [...ids], skus: [...skus], cursors: [...cursors] };
  };
  const own = await discover(FUZZ_TENANT);
  const bystander = await discover(BYSTANDER_TENANT);

  const { rows } = await server.app.ownerPool.query<{ table_name: string }>(
    `SELECT table_name FROM information_schema.columns
      WHERE table_schema = 'public' AND column_name = 'tenant_id' ORDER BY table_name`,
  );
  const digest = rows
    .map(
      ({ table_name: t }) =>
        `(SELECT md5(coalesce(string_agg(r::text, ',' ORDER BY r::text), '')) FROM "${t}" r WHERE tenant_id = $1) AS "${t}"`,
    )
    .join(", ");

  const credentials = await credentialsFor(server, FUZZ_TENANT);
  const endpoints = await server.gql(
    "{ platformConnections { kind webhook { url secret } } }",
    {},
    credentials.headers,
  );
  expect(endpoints.errors).toBeUndefined();
  const webhooks = Object.fromEntries(
    endpoints.data!.platformConnections.map(
      (c: { kind: string; webhook: { url: string; secret: string } }) => [
        c.kind,
        { path: new URL(c.webhook.url).pathname, secret: c.webhook.secret },
      ],
    ),
  ) as FuzzWorld["webhooks"];

  return {
    server,
    credentials,
    webhooks,
    known: { ...own, foreignIds: bystander.ids },
    async snapshot() {
      const out: Record<string, Record<string, string>> = {};
      for (const [slug, id] of Object.entries(tenantIds)) {
        out[slug] = (await server.app.ownerPool.query(`SELECT ${digest}`, [id])).rows[0];
      }
      return out;
    },
    async close() {
      await server.close();
      await new Promise((resolve) => stub.close(resolve));
    },
  };
}
