import type pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createOwnerPool } from "../src/platform/db";
import { startTestServer, type TestServer } from "./app";
import { asTenant, createTenant, insertItems } from "./factories";

/** Counts every statement the application role's connections send. */
function countStatements(pool: pg.Pool) {
  const counter = { n: 0 };
  const wrapped = new WeakSet<pg.PoolClient>();
  pool.on("acquire", (client) => {
    if (wrapped.has(client)) return;
    wrapped.add(client);
    const query = client.query.bind(client) as (...args: unknown[]) => unknown;
    (client as unknown as { query: (...args: unknown[]) => unknown }).query = (...args: unknown[]) => {
      counter.n++;
      return query(...args);
    };
  });
  return counter;
}

const QUERY = `query($first: Int!) {
  inventory(first: $first) {
    totalCount
    nodes {
      id sku stockLevel
      product { cost attributes }
      listings { platform quantity price connection { name lastHealthStatus } }
      openConflicts { type values job { status } }
      openAlerts { type priority }
    }
  }
}`;

describe("inventory page loading", () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer(async (dbUrl) => {
      const pool = createOwnerPool(dbUrl);
      const tenant = await createTenant(pool, "demo");
      const ids = await insertItems(
        pool,
        tenant,
        Array.from({ length: 120 }, (_, i) => ({
          sku: `N1-${String(i).padStart(3, "0")}`,
          title: `Item ${String(i).padStart(3, "0")}`,
          listings: [
            { platform: "AMAZON" as const, quantity: 5, price: "9.99" },
            { platform: "MEDUSA" as const, quantity: 6, price: "10.99" },
          ],
        })),
      );
      await asTenant(pool, tenant.tenantId, async (c) => {
        const job = await c.query<{ id: string }>(
          "INSERT INTO sync_jobs (type, status, updated_at) VALUES ('FULL', 'SUCCEEDED', now()) RETURNING id",
        );
        for (const productId of ids.values()) {
          await c.query(
            `INSERT INTO sync_conflicts (product_id, job_id, sku, type, field, values, strategy, updated_at)
             VALUES ($1, $2, 'x', 'QUANTITY', 'quantity', '{"AMAZON":5,"MEDUSA":6}', 'MANUAL', now())`,
            [productId, job.rows[0]!.id],
          );
          await c.query(
            `INSERT INTO alerts (type, priority, title, message, product_id, updated_at)
             VALUES ('LOW_STOCK', 'MEDIUM', 'Low stock', 'Low', $1, now())`,
            [productId],
          );
        }
      });
      await pool.end();
    });
  });

  afterAll(() => server?.close());

  it("runs the same number of SQL statements for 100 items as for 10 (no N+1)", async () => {
    const counter = countStatements(server.app.pool);
    await server.gql(QUERY, { first: 1 }); // warm the tenant cache and the pool

    counter.n = 0;
    const small = await server.gql(QUERY, { first: 10 });
    const forTen = counter.n;

    counter.n = 0;
    const large = await server.gql(QUERY, { first: 100 });
    const forHundred = counter.n;

    expect(small.errors).toBeUndefined();
    expect(large.errors).toBeUndefined();
    expect(large.data!.inventory.nodes).toHaveLength(100);
    expect(large.data!.inventory.nodes[99].listings).toHaveLength(2);
    expect(large.data!.inventory.nodes[99].openConflicts[0].job.status).toBe("SUCCEEDED");
    expect(forTen).toBeGreaterThan(0);
    expect(forHundred).toBe(forTen);
    // page, count, settings, products, listings, connections, conflicts, jobs, alerts: each one
    // transaction of four statements (BEGIN, set tenant, query, COMMIT).
    expect(forHundred).toBeLessThanOrEqual(9 * 4);
  });
});
