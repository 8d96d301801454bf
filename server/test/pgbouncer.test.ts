import { createClient } from "graphql-ws";
import pg from "pg";
import { to as copyTo } from "pg-copy-streams";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import WebSocket from "ws";
import { createOwnerPool } from "../src/platform/db";
import { untransacted } from "../src/platform/db/client";
import { QUEUE_SCHEMA } from "../src/platform/queue";
import { createTenant, insertItems } from "./factories";
import { type RunningBouncer, startPgBouncer } from "./pgbouncer";
import { type SyncHarness, startJob, startSyncHarness, waitForJob } from "./sync-harness";

const MARKER = "BETA-SECRET";
const INVENTORY = `query { inventory(first: 250) { nodes { sku quantity title } } }`;
const UPDATE = `mutation($input: BulkUpdateInventoryInput!) {
  bulkUpdateInventory(input: $input) { results { sku status errors { code } } userErrors { code } }
}`;

/**
 * The server with every pool behind a real PgBouncer in transaction mode (a few server connections shared by
 * all of them), and only its session connection (LISTEN, job locks) straight to PostgreSQL.
 */
describe("behind PgBouncer in transaction mode", () => {
  let bouncer: RunningBouncer;
  let h: SyncHarness;
  let beta: Awaited<ReturnType<typeof createTenant>>;

  beforeAll(async () => {
    bouncer = await startPgBouncer(inject("pgAdminUrl"), 4);
    h = await startSyncHarness({ skus: 200, server: { pooledUrl: bouncer.urlFor } });
    const pool = createOwnerPool(h.server.dbUrl);
    try {
      beta = await createTenant(pool, "beta");
      await insertItems(pool, beta, [{ sku: `${MARKER}-1`, title: `${MARKER} item`, quantity: 4 }]);
    } finally {
      await pool.end();
    }
  }, 180_000);

  afterAll(async () => {
    await h?.close();
    await bouncer?.stop();
  });

  it("refuses a role chosen at connection start, as PgBouncer does in production", async () => {
    const client = new pg.Client({
      connectionString: bouncer.urlFor(h.server.dbUrl),
      options: "-c role=inventory_app",
    });
    await expect(client.connect()).rejects.toThrow(/unsupported startup parameter/);
    await client.end().catch(() => {});
  });

  it("runs each pool's statements as its role on shared server connections, and leaves no role behind", async () => {
    const { app } = h.server;
    const ask = (pool: pg.Pool, inTransaction: boolean) =>
      inTransaction
        ? pool.connect().then(async (c) => {
            try {
              await c.query("BEGIN");
              const { rows } = await c.query<{ u: string }>("SELECT current_user AS u");
              await c.query("COMMIT");
              return rows[0]!.u;
            } finally {
              c.release();
            }
          })
        : pool.query<{ u: string }>("SELECT current_user AS u").then((r) => r.rows[0]!.u);
    const pools = [
      [app.pool, "inventory_app"],
      [app.authPool, "inventory_auth"],
      [app.ownerPool, "postgres"],
    ] as const;
    // 60 clients' statements, interleaved, over the pooler's 4 server connections for this database.
    const asked = await Promise.all(
      Array.from({ length: 60 }, (_, i) => {
        const [pool, role] = pools[i % 3]!;
        return ask(pool, i % 2 === 0).then((got) => ({ got, role }));
      }),
    );
    for (const { got, role } of asked) expect(got).toBe(role);
    // Prisma's calls outside a transaction (each then sent in one of its own), and in one, too.
    const wrapped = untransacted.count;
    expect(await app.prisma.$queryRaw<{ u: string }[]>`SELECT current_user AS u`).toEqual([
      { u: "inventory_app" },
    ]);
    expect(untransacted.count).toBe(wrapped + 1);
    expect(
      await app.prisma.$transaction((tx) => tx.$queryRaw<{ u: string }[]>`SELECT current_user AS u`),
    ).toEqual([{ u: "inventory_app" }]);
    // A failed statement outside a transaction leaves none open behind it.
    await expect(app.pool.query("SELECT 1 / 0")).rejects.toThrow(/division by zero/);
    const after = await Promise.all([1, 2, 3, 4].map(() => ask(app.pool, false)));
    expect(after).toEqual(Array(4).fill("inventory_app"));
    // A COPY stream in a transaction (pipelining, used for statements sent alone, would refuse it).
    const c = await app.pool.connect();
    try {
      await c.query("BEGIN");
      const chunks: Buffer[] = [];
      for await (const chunk of c.query(copyTo("COPY (SELECT current_user) TO STDOUT"))) chunks.push(chunk);
      await c.query("COMMIT");
      expect(Buffer.concat(chunks).toString()).toBe("inventory_app\n");
    } finally {
      c.release();
    }
    const servers = await bouncer.admin("SHOW SERVERS");
    const dbName = new URL(h.server.dbUrl).pathname.slice(1);
    expect(servers.filter((s) => s.database === dbName).length).toBeLessThanOrEqual(4);
  }, 60_000);

  it("reads and writes each tenant's rows over GraphQL and shows neither the other's", async () => {
    const demo = await h.server.as("demo");
    const betaUser = await h.server.as("beta");
    const written = await h.server.gql(
      UPDATE,
      { input: { updates: [{ sku: `${MARKER}-1`, quantity: 9 }], platforms: [] } },
      betaUser,
    );
    expect(written.errors).toBeUndefined();
    expect(written.data!.bulkUpdateInventory.results).toEqual([
      { sku: `${MARKER}-1`, status: "APPLIED", errors: [] },
    ]);
    const betaSees = await h.server.gql(INVENTORY, {}, betaUser);
    expect(betaSees.data!.inventory.nodes).toEqual([
      { sku: `${MARKER}-1`, quantity: 9, title: `${MARKER} item` },
    ]);

    const demoSees = await h.server.gql(INVENTORY, {}, demo);
    expect(demoSees.errors).toBeUndefined();
    expect(demoSees.data!.inventory.nodes.length).toBeGreaterThan(100);
    expect(JSON.stringify(demoSees.data)).not.toContain(MARKER);
    // Demo's write of beta's SKU finds nothing to change; beta's row keeps its value.
    const hijack = await h.server.gql(
      UPDATE,
      { input: { updates: [{ sku: `${MARKER}-1`, quantity: 0 }], platforms: [] } },
      demo,
    );
    expect(hijack.data!.bulkUpdateInventory.results[0].status).toBe("FAILED");
    const { rows } = await h.server.app.ownerPool.query<{ quantity: number }>(
      "SELECT quantity FROM seller_inventory WHERE tenant_id = $1",
      [beta.tenantId],
    );
    expect(rows).toEqual([{ quantity: 9 }]);
  }, 60_000);

  it("runs sync jobs through pg-boss against the sandbox, with their events on a subscription", async () => {
    const ws = createClient({
      url: `${h.server.url.replace(/^http/, "ws")}/graphql`,
      webSocketImpl: WebSocket,
      connectionParams: await h.server.as("demo"),
      retryAttempts: 0,
    });
    const events: { id: string; status: string }[] = [];
    let subscribed!: () => void;
    const ready = new Promise<void>((r) => {
      subscribed = r;
    });
    const unsubscribe = ws.subscribe<{ syncJobsUpdated: { id: string; status: string } }>(
      { query: "subscription { syncJobsUpdated { id status } }" },
      {
        next: (r) => r.data && events.push(r.data.syncJobsUpdated),
        error: () => {},
        complete: () => {},
      },
    );
    ws.on("connected", () => setTimeout(subscribed, 200));
    try {
      await ready;
      await h.server.app.services.pubSub.listening();
      const full = await startJob(h.server, { type: "FULL" });
      expect((await waitForJob(h.server, full.id)).status).toBe("SUCCEEDED");
      const deadline = Date.now() + 10_000;
      while (!events.some((e) => e.status === "SUCCEEDED") && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 50));
      expect(events.map((e) => e.status)).toContain("SUCCEEDED");

      // A sale on Medusa reaches Amazon in the sandbox through an incremental sync.
      const sku = [...h.sandbox.state.amazon].find(([s, a]) => {
        const level = h.sandbox.state.medusa.get(s)?.levels[0];
        return (
          a.channel === "FBM" &&
          a.status === "ACTIVE" &&
          level &&
          level.stocked - level.reserved === a.quantity &&
          a.quantity > 5
        );
      })?.[0];
      expect(sku).toBeDefined();
      const before = h.sandbox.state.amazon.get(sku!)!.quantity;
      h.sandbox.control.simulateSale("medusa", sku!, 2);
      const incremental = await startJob(h.server, { type: "INCREMENTAL" });
      expect((await waitForJob(h.server, incremental.id)).status).toBe("SUCCEEDED");
      expect(h.sandbox.state.amazon.get(sku!)!.quantity).toBe(before - 2);

      // Both went through the queue and are completed there (a moment after the job's own row says so).
      const states = async () =>
        (
          await h.server.app.ownerPool.query<{ state: string }>(
            `SELECT state::text FROM ${QUEUE_SCHEMA}.job WHERE data->>'jobId' = ANY($1)`,
            [[full.id, incremental.id]],
          )
        ).rows.map((r) => r.state);
      const settled = Date.now() + 10_000;
      while ((await states()).some((s) => s !== "completed") && Date.now() < settled)
        await new Promise((r) => setTimeout(r, 50));
      expect(await states()).toEqual(["completed", "completed"]);
    } finally {
      unsubscribe();
      await ws.dispose();
    }
    // The pooler carried the traffic: many transactions on few server connections.
    const stats = await bouncer.admin("SHOW STATS");
    const ours = stats.find((s) => s.database === new URL(h.server.dbUrl).pathname.slice(1));
    expect(Number(ours?.total_xact_count)).toBeGreaterThan(100);
  }, 180_000);
});
