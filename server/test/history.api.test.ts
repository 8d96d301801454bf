import type pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { toGlobalId } from "../src/graphql/global-id";
import { createOwnerPool } from "../src/platform/db";
import { startTestServer, type TestServer } from "./app";
import { asTenant, createTenant, insertItems } from "./factories";

const HISTORY = `query($filter: SyncHistoryFilter, $first: Int, $after: String) {
  syncHistory(filter: $filter, first: $first, after: $after) {
    totalCount
    pageInfo { hasNextPage endCursor }
    nodes { sku field oldValue newValue platform actorType actorId reason createdAt product { sku } job { id } }
  }
}`;

describe("the history query", () => {
  let server: TestServer;
  let pool: pg.Pool;
  let jobId: string;

  beforeAll(async () => {
    let tenantId = "";
    let otherId = "";
    let products = new Map<string, string>();
    server = await startTestServer(async (dbUrl) => {
      const p = createOwnerPool(dbUrl);
      const tenant = await createTenant(p, "demo");
      tenantId = tenant.tenantId;
      products = await insertItems(p, tenant, [
        { sku: "A-1", title: "A" },
        { sku: "B-2", title: "B" },
      ]);
      const other = await createTenant(p, "other");
      otherId = other.tenantId;
      await p.end();
    });
    pool = server.app.ownerPool;
    jobId = await asTenant(pool, tenantId, async (c) => {
      const job = await c.query<{ id: string }>(
        "INSERT INTO sync_jobs (type, trigger, updated_at) VALUES ('PARTIAL', 'BULK_UPDATE', now()) RETURNING id",
      );
      const rows: [string, string, string | null, string, unknown, unknown, string, number][] = [
        ["A-1", "quantity", null, "USER", 5, 3, "2026-01-01T00:00:00Z", 0],
        ["A-1", "price", null, "USER", "1.00", "2.00", "2026-01-02T00:00:00Z", 0],
        ["B-2", "quantity", "MEDUSA", "JOB", 4, 0, "2026-01-03T00:00:00Z", 1],
        ["A-1", "quantity", "AMAZON", "WEBHOOK", 3, 2, "2026-01-04T00:00:00Z", 1],
      ];
      for (const [sku, field, platform, actor, oldV, newV, at, withJob] of rows) {
        await c.query(
          `INSERT INTO sync_history (product_id, sku, job_id, actor_type, platform, field, old_value, new_value,
             reason, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'test', $9)`,
          [
            products.get(sku),
            sku,
            withJob ? job.rows[0]!.id : null,
            actor,
            platform,
            field,
            JSON.stringify(oldV),
            JSON.stringify(newV),
            at,
          ],
        );
      }
      return job.rows[0]!.id;
    });
    await asTenant(pool, otherId, (c) =>
      c.query(
        "INSERT INTO sync_history (sku, actor_type, field, new_value) VALUES ('A-1', 'USER', 'quantity', '1')",
      ),
    );
  });
  afterAll(() => server?.close());

  it("lists the tenant's changes newest first, with what they replaced and who made them", async () => {
    const res = await server.gql(HISTORY, {});
    expect(res.errors).toBeUndefined();
    const h = res.data!.syncHistory;
    expect(h.totalCount).toBe(4);
    expect(h.nodes.map((n: { sku: string; field: string }) => `${n.sku}:${n.field}`)).toEqual([
      "A-1:quantity",
      "B-2:quantity",
      "A-1:price",
      "A-1:quantity",
    ]);
    expect(h.nodes[0]).toMatchObject({
      oldValue: 3,
      newValue: 2,
      platform: "AMAZON",
      actorType: "WEBHOOK",
      product: { sku: "A-1" },
      job: { id: toGlobalId("SyncJob", jobId) },
    });
  });

  it("filters by SKU, job, platform, field and time, and pages with cursors", async () => {
    const count = async (filter: Record<string, unknown>) =>
      (await server.gql(HISTORY, { filter })).data!.syncHistory.totalCount;
    expect(await count({ sku: "A-1" })).toBe(3);
    expect(await count({ jobId: toGlobalId("SyncJob", jobId) })).toBe(2);
    expect(await count({ platform: "MEDUSA" })).toBe(1);
    expect(await count({ field: "price" })).toBe(1);
    expect(await count({ since: "2026-01-02T00:00:00Z" })).toBe(3);

    const page1 = (await server.gql(HISTORY, { first: 3 })).data!.syncHistory;
    expect(page1.pageInfo.hasNextPage).toBe(true);
    const page2 = (await server.gql(HISTORY, { first: 3, after: page1.pageInfo.endCursor })).data!
      .syncHistory;
    expect(page2.nodes).toHaveLength(1);
    expect(page2.nodes[0]).toMatchObject({ field: "quantity", oldValue: 5, newValue: 3 });
    expect(page2.pageInfo.hasNextPage).toBe(false);
  });

  it("refuses a malformed job id and pages beyond the limit", async () => {
    const bad = await server.gql(HISTORY, { filter: { jobId: "nope" } });
    expect(bad.errors?.[0]?.extensions?.code).toBe("INVALID_ID");
    const big = await server.gql(HISTORY, { first: 251 });
    expect(big.errors?.[0]?.extensions?.code).toBe("PAGE_SIZE_EXCEEDED");
  });
});
