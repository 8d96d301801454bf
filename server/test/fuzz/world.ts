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

export const WEBHOOK_SECRET = "fuzz-webhook-secret-0123456789";
export const FUZZ_TENANT = "demo";
export const BYSTANDER_TENANT = "bystander";

export interface Credentials {
  headers: Record<string, string>;
  connectionParams: Record<string, unknown>;
}

/**
 * What every fuzzed request carries to act as the fuzz tenant's caller: the one place where credentials are
 * added (an `Authorization` header and its connectionParams twin, once the API asks for them).
 */
export function credentialsFor(tenant: string): Credentials {
  return { headers: { "x-tenant": tenant }, connectionParams: { "x-tenant": tenant } };
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
    return { WORKERS: "false", WEBHOOK_SECRET, EGRESS_ALLOWED_ORIGINS: stubUrl };
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
    const res = await server.gql(DISCOVERY, {}, credentialsFor(tenant).headers);
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

  return {
    server,
    credentials: credentialsFor(FUZZ_TENANT),
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
