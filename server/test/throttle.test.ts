import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createOwnerPool } from "../src/platform/db";
import { startServerOn, startTestServer, type TestServer } from "./app";
import { apiKeyOf } from "./auth";
import { createTenant, insertItems } from "./factories";

// A small budget that restores slowly, so a test can spend it: 60 points, 1 a second.
const ENV = { API_KEY_COST_LIMIT: "60", API_KEY_COST_RESTORE: "1" };
const PAGE = "{ inventory(first: 30) { nodes { sku } } }";

describe("query cost and the shared budget", () => {
  let server: TestServer;
  let second: TestServer;

  beforeAll(async () => {
    server = await startTestServer(
      async (dbUrl) => {
        const pool = createOwnerPool(dbUrl);
        try {
          const demo = await createTenant(pool, "demo");
          await insertItems(
            pool,
            demo,
            Array.from({ length: 30 }, (_, i) => ({
              sku: `SKU-${String(i).padStart(2, "0")}`,
              title: `Item ${i}`,
            })),
          );
        } finally {
          await pool.end();
        }
      },
      { env: ENV },
    );
    // A second server process on the same database, as when scaling out.
    second = await startServerOn(server.dbUrl, { env: ENV });
  });

  afterAll(async () => {
    await second?.close();
    await server?.close();
  });

  it("reports each response's requested and actual cost and the budget left, in extensions.cost", async () => {
    const key = await apiKeyOf(server.app, "demo", ["read_inventory"]);
    const res = await fetch(`${server.url}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json", ...key.headers },
      body: JSON.stringify({ query: "{ inventory(first: 30) { nodes { sku } } }" }),
    });
    const body = (await res.json()) as { extensions: { cost: unknown } };
    // One connection (1) and 30 items (1 each); all 30 came back.
    expect(body.extensions.cost).toEqual({
      requestedQueryCost: 31,
      actualQueryCost: 31,
      throttleStatus: { maximumAvailable: 60, currentlyAvailable: 29, restoreRate: 1 },
    });
  });

  it("gives back what a query did not spend", async () => {
    const key = await apiKeyOf(server.app, "demo", ["read_inventory"]);
    const res = await server.gql(
      '{ inventory(first: 30, filter: { search: "SKU-01" }) { nodes { sku } } }',
      {},
      key.headers,
    );
    expect(res.errors).toBeUndefined();
    // 31 asked for, 2 spent (the connection and one item): 29 given back, in the background.
    const level = async () =>
      Number(
        (
          await server.app.ownerPool.query("SELECT level FROM rate_buckets WHERE key = $1", [
            `cost:API_KEY:${key.id}`,
          ])
        ).rows[0].level,
      );
    await expect.poll(level).toBeGreaterThanOrEqual(58);
  });

  it("answers THROTTLED (HTTP 429, Retry-After) once the budget is spent, executing nothing, on every server process", async () => {
    const key = await apiKeyOf(server.app, "demo", ["read_inventory"]);
    const post = (url: string) =>
      fetch(`${url}/graphql`, {
        method: "POST",
        headers: { "content-type": "application/json", ...key.headers },
        body: JSON.stringify({ query: PAGE }),
      });
    expect((await post(server.url)).status).toBe(200);
    const refused = await post(server.url);
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    const body = (await refused.json()) as { data?: unknown; errors: { extensions: Record<string, any> }[] };
    expect(body.data).toBeUndefined();
    expect(body.errors[0]!.extensions.code).toBe("THROTTLED");
    expect(body.errors[0]!.extensions.cost).toMatchObject({
      requestedQueryCost: 31,
      throttleStatus: { maximumAvailable: 60, restoreRate: 1 },
    });
    // The other process draws on the same bucket: scaling out does not multiply a client's budget.
    expect((await post(second.url)).status).toBe(429);
  });

  it("refuses a query that could cost more than a whole budget with MAX_COST_EXCEEDED, taking nothing", async () => {
    const key = await apiKeyOf(server.app, "demo", ["read_inventory"]);
    const res = await server.gql("{ inventory(first: 100) { nodes { sku } } }", {}, key.headers);
    expect(res.status).toBe(400);
    expect(res.errors?.[0]?.extensions?.code).toBe("MAX_COST_EXCEEDED");
    expect((await server.gql(PAGE, {}, key.headers)).status).toBe(200);
  });
});
