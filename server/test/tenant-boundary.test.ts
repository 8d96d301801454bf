import { type Client, createClient } from "graphql-ws";
import type pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { toGlobalId } from "../src/graphql/global-id";
import { ALL_SCOPES } from "../src/platform/auth/scopes";
import { createOwnerPool } from "../src/platform/db";
import { startTestServer, type TestServer } from "./app";
import { apiKeyOf } from "./auth";
import { asTenant, createTenant, insertItems } from "./factories";
import { rootOperations } from "./schema-operations";

const MARKER = "BETA-SECRET";
const TENANT_TABLES = [
  "products",
  "seller_inventory",
  "product_listings",
  "platform_connections",
  "platform_sync_settings",
  "sync_jobs",
  "sync_job_items",
  "sync_conflicts",
  "alerts",
  "alert_events",
  "notifications",
  "notification_preferences",
  "sync_history",
  "memberships",
  "invitations",
  "api_keys",
];

/** Beta's rows, table by table, as one fingerprint (contents included). */
async function rowsOf(pool: pg.Pool, tenantId: string) {
  const out: Record<string, string> = {};
  for (const table of TENANT_TABLES) {
    const { rows } = await pool.query(
      `SELECT count(*)::int AS n, md5(coalesce(string_agg((to_jsonb(t) - 'last_used_at')::text, ',' ORDER BY t.id), '')) AS h
         FROM ${table} t WHERE tenant_id = $1`,
      [tenantId],
    );
    out[table] = `${rows[0].n}:${rows[0].h}`;
  }
  return out;
}

/**
 * Tenant A's user and API key, calling every root field with every one of tenant B's ids in every ID argument,
 * over HTTP and over graphql-ws: nothing of B comes back, and nothing of B changes.
 */
describe("the tenant boundary, through every root field", () => {
  let server: TestServer;
  let beta: Awaited<ReturnType<typeof createTenant>>;
  const betaIds: string[] = [];
  const betaRawIds: string[] = [];

  beforeAll(async () => {
    server = await startTestServer(async (dbUrl) => {
      const pool = createOwnerPool(dbUrl);
      try {
        const alpha = await createTenant(pool, "alpha");
        await insertItems(pool, alpha, [
          { sku: "ALPHA-1", title: "Alpha", listings: [{ platform: "AMAZON", quantity: 3, price: "5.00" }] },
        ]);
        beta = await createTenant(pool, "beta");
        const products = await insertItems(pool, beta, [
          {
            sku: `${MARKER}-1`,
            title: `${MARKER} item`,
            quantity: 4,
            listings: [
              { platform: "AMAZON", quantity: 4, price: "9.00" },
              { platform: "MEDUSA", quantity: 2, price: "9.50" },
            ],
          },
        ]);
        const productId = products.get(`${MARKER}-1`)!;
        await asTenant(pool, beta.tenantId, async (c) => {
          const job = await c.query<{ id: string }>(
            "INSERT INTO sync_jobs (type, status, updated_at) VALUES ('FULL', 'PENDING', now()) RETURNING id",
          );
          await c.query(
            `INSERT INTO sync_job_items (job_id, job_created_at, product_id, sku, platform, field, to_value, updated_at)
             VALUES ($1, (SELECT created_at FROM sync_jobs WHERE id = $1), $2, $3, 'MEDUSA', 'quantity', '4', now())`,
            [job.rows[0]!.id, productId, `${MARKER}-1`],
          );
          const conflict = await c.query<{ id: string }>(
            `INSERT INTO sync_conflicts (product_id, job_id, sku, type, field, values, strategy, updated_at)
             VALUES ($1, $2, $3, 'PRICE', 'price', '{"AMAZON":"9.00","MEDUSA":"9.50"}', 'MANUAL', now()) RETURNING id`,
            [productId, job.rows[0]!.id, `${MARKER}-1`],
          );
          await c.query(
            `INSERT INTO alerts (type, priority, title, message, product_id, conflict_id, updated_at)
             VALUES ('SYNC_CONFLICT', 'HIGH', $1, $1, $2, $3, now())`,
            [`${MARKER} conflict`, productId, conflict.rows[0]!.id],
          );
          await c.query(
            `INSERT INTO invitations (email, role, token_hash, expires_at) VALUES ('beta-invitee@example.com', 'EDITOR', 'h', now() + interval '1 day')`,
          );
        });
      } finally {
        await pool.end();
      }
    });
    await server.as("beta");
    await apiKeyOf(server.app, "beta", ["read_inventory"]);
    const types: [string, string][] = [
      ["InventoryItem", "seller_inventory"],
      ["Listing", "product_listings"],
      ["PlatformConnection", "platform_connections"],
      ["SyncJob", "sync_jobs"],
      ["SyncConflict", "sync_conflicts"],
      ["Alert", "alerts"],
      ["ApiKey", "api_keys"],
      ["TeamMember", "memberships"],
      ["Invitation", "invitations"],
    ];
    for (const [type, table] of types) {
      const { rows } = await server.app.ownerPool.query(`SELECT id FROM ${table} WHERE tenant_id = $1`, [
        beta.tenantId,
      ]);
      for (const { id } of rows) {
        betaIds.push(toGlobalId(type, id));
        betaRawIds.push(id);
      }
    }
    expect(betaIds.length).toBeGreaterThanOrEqual(10);
  });

  afterAll(async () => {
    await server?.close();
  });

  function leaks(text: string): string[] {
    return [MARKER, ...betaIds, ...betaRawIds].filter((s) => text.includes(s));
  }

  /**
   * Every non-public query (and mutation, unless `queriesOnly`), once per beta id in its ID arguments (once if
   * it has none).
   */
  function probes(queriesOnly = false) {
    const ops: ReturnType<typeof rootOperations> = [];
    for (const [i, betaId] of betaIds.entries()) {
      for (const op of rootOperations(server.app.schema, { depth: 2, id: () => betaId })) {
        if (op.rule?.kind === "public" || op.kind === "subscription") continue;
        if (queriesOnly && op.kind !== "query") continue;
        if (i === 0 || JSON.stringify(op.variables).includes(betaId)) ops.push(op);
      }
    }
    return ops;
  }

  // The user makes every call; the key (another way to the same tenant scoping) the reads.
  for (const who of ["user", "key"] as const) {
    it(`shows and changes nothing of tenant B to tenant A's ${who} over HTTP`, {
      timeout: 120_000,
    }, async () => {
      const headers =
        who === "user"
          ? await server.as("alpha")
          : (await apiKeyOf(server.app, "alpha", [...ALL_SCOPES])).headers;
      const before = await rowsOf(server.app.ownerPool, beta.tenantId);
      const leaked: string[] = [];
      const ops = probes(who === "key");
      expect(ops.length).toBeGreaterThan(who === "key" ? 40 : 100);
      for (const op of ops) {
        const res = await fetch(`${server.url}/graphql`, {
          method: "POST",
          headers: { "content-type": "application/json", ...headers },
          body: JSON.stringify({ query: op.document, variables: op.variables }),
        });
        const body = (await res.json()) as { data?: unknown };
        expect(res.status, op.field).toBeLessThan(500);
        const found = leaks(JSON.stringify(body.data ?? null));
        if (found.length) leaked.push(`${op.field}(${JSON.stringify(op.variables)}): ${found.join(", ")}`);
      }
      expect(leaked).toEqual([]);
      expect(await rowsOf(server.app.ownerPool, beta.tenantId)).toEqual(before);
    });
  }

  it("shows nothing of tenant B to tenant A's user over graphql-ws", { timeout: 120_000 }, async () => {
    const client: Client = createClient({
      url: `${server.url.replace(/^http/, "ws")}/graphql`,
      webSocketImpl: WebSocket,
      connectionParams: await server.as("alpha"),
      retryAttempts: 0,
    });
    const before = await rowsOf(server.app.ownerPool, beta.tenantId);
    try {
      const leaked: string[] = [];
      for (const op of probes(true)) {
        const result = await new Promise<unknown>((resolve) => {
          const results: unknown[] = [];
          client.subscribe(
            { query: op.document, variables: op.variables },
            { next: (r) => results.push(r.data), error: (e) => resolve(e), complete: () => resolve(results) },
          );
        });
        const found = leaks(JSON.stringify(result));
        if (found.length) leaked.push(`${op.field}: ${found.join(", ")}`);
      }
      expect(leaked).toEqual([]);
    } finally {
      await client.dispose();
    }
    expect(await rowsOf(server.app.ownerPool, beta.tenantId)).toEqual(before);
  });
});
