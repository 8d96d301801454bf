import type pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { toGlobalId } from "../src/graphql/global-id";
import { createOwnerPool } from "../src/platform/db";
import { startTestServer, type TestServer } from "./app";
import { asTenant, createTenant, insertItems } from "./factories";

const CONFLICT = "id status resolvedValue resolution resolvedAt resolvedBy";
const RESOLVE = `mutation($id: ID!, $resolution: ConflictResolutionInput!) {
  resolveConflict(id: $id, resolution: $resolution) {
    conflict { ${CONFLICT} } job { id trigger } userErrors { field code message }
  }
}`;
const RESOLVE_MANY = `mutation($ids: [ID!], $filter: ResolveConflictsFilter, $strategy: ConflictStrategy!) {
  resolveConflicts(ids: $ids, filter: $filter, strategy: $strategy) {
    conflicts { ${CONFLICT} } job { id trigger } hasMore userErrors { field code message }
  }
}`;
const IGNORE = `mutation($id: ID!) { ignoreConflict(id: $id) { conflict { ${CONFLICT} } userErrors { field code } } }`;

type Values = Record<string, string | number>;

describe("resolving conflicts over GraphQL", () => {
  let server: TestServer;
  let pool: pg.Pool;
  let tenantId: string;
  let otherId: string;
  let products: Map<string, string>;
  let otherProducts: Map<string, string>;

  async function conflict(sku: string, type: string, values: Values, tenant = tenantId, ids = products) {
    const field = type.toLowerCase();
    return asTenant(pool, tenant, async (c) => {
      const { rows } = await c.query<{ id: string }>(
        `INSERT INTO sync_conflicts (product_id, sku, type, field, values, strategy, updated_at)
         VALUES ($1, $2, $3, $4, $5, 'MANUAL', now()) RETURNING id`,
        [ids.get(sku), sku, type, field, JSON.stringify(values)],
      );
      const id = rows[0]!.id;
      await c.query(
        `INSERT INTO alerts (type, priority, title, message, product_id, conflict_id, updated_at)
         VALUES ('SYNC_CONFLICT', 'HIGH', 'Conflict', $1, $2, $3, now())`,
        [`${sku} ${field}`, ids.get(sku), id],
      );
      return { rowId: id, id: toGlobalId("SyncConflict", id) };
    });
  }
  const item = async (sku: string) =>
    (
      await pool.query(
        "SELECT quantity, price::text AS price, status::text AS status FROM seller_inventory WHERE tenant_id = $1 AND sku = $2",
        [tenantId, sku],
      )
    ).rows[0];
  const jobItems = async (globalJobId: string) =>
    (
      await pool.query(
        "SELECT sku, platform::text, field, from_value, to_value FROM sync_job_items WHERE job_id = $1 ORDER BY sku, platform",
        [Buffer.from(globalJobId, "base64url").toString().split(":")[1]],
      )
    ).rows;
  const alertStatus = async (conflictRowId: string) =>
    (await pool.query("SELECT status::text, resolved_by FROM alerts WHERE conflict_id = $1", [conflictRowId]))
      .rows[0];
  const codes = (errors: { field: string[]; code: string }[]) =>
    errors.map((e) => `${e.field.join(".")}:${e.code}`);

  beforeAll(async () => {
    server = await startTestServer(async (dbUrl) => {
      const p = createOwnerPool(dbUrl);
      const tenant = await createTenant(p, "demo");
      tenantId = tenant.tenantId;
      const listings = (q: number, price: string) => [
        { platform: "AMAZON" as const, quantity: q, price },
        { platform: "MEDUSA" as const, quantity: q, price },
      ];
      products = await insertItems(
        p,
        tenant,
        ["P1", "P2", "P3", "Q1", "S1", "M1", "M2", "M3", "X1", "I1"].map((sku) => ({
          sku,
          title: sku,
          quantity: 10,
          price: "19.99",
          listings: listings(10, "19.99"),
        })),
      );
      const fba = await insertItems(p, tenant, [
        {
          sku: "F1",
          title: "F1",
          quantity: 10,
          price: "19.99",
          fulfillment: "FBA",
          listings: listings(10, "19.99"),
        },
        {
          sku: "A1",
          title: "A1",
          quantity: 10,
          price: "19.99",
          listings: [
            { platform: "AMAZON" as const, quantity: 10, price: "19.99" },
            { platform: "MEDUSA" as const, quantity: 10, price: "19.99", status: "DELETED" as const },
          ],
        },
      ]);
      for (const [sku, id] of fba) products.set(sku, id);
      const other = await createTenant(p, "other");
      otherId = other.tenantId;
      otherProducts = await insertItems(p, other, [{ sku: "P1", title: "theirs" }]);
      await p.end();
    });
    pool = server.app.ownerPool;
  });
  afterAll(() => server?.close());

  it("resolves a price conflict to the source platform's value under SOURCE_WINS, writing where it differs", async () => {
    const c = await conflict("P1", "PRICE", { AMAZON: "19.99", MEDUSA: "21.50" });
    const me = (await server.user("demo")).id;
    const out = (await server.gql(RESOLVE, { id: c.id, resolution: { strategy: "SOURCE_WINS" } })).data!
      .resolveConflict;
    expect(out.userErrors).toEqual([]);
    expect(out.conflict).toMatchObject({
      status: "RESOLVED",
      resolvedValue: "19.99",
      resolution: { strategy: "SOURCE_WINS", winner: "AMAZON", value: "19.99", by: `USER:${me}` },
      resolvedBy: `USER:${me}`,
    });
    expect(out.job.trigger).toBe("RESOLUTION");
    expect(await jobItems(out.job.id)).toEqual([
      { sku: "P1", platform: "MEDUSA", field: "price", from_value: "21.50", to_value: "19.99" },
    ]);
    expect(await alertStatus(c.rowId)).toEqual({ status: "RESOLVED", resolved_by: `USER:${me}` });
  });

  it("resolves to the highest and lowest values, updating our record and history", async () => {
    const high = await conflict("P2", "PRICE", { AMAZON: "19.99", MEDUSA: "21.50" });
    const out = (await server.gql(RESOLVE, { id: high.id, resolution: { strategy: "HIGHEST_WINS" } })).data!
      .resolveConflict;
    expect(out.conflict.resolution).toMatchObject({ winner: "MEDUSA", value: "21.50" });
    expect(await item("P2")).toMatchObject({ price: "21.50" });
    expect(await jobItems(out.job.id)).toEqual([
      { sku: "P2", platform: "AMAZON", field: "price", from_value: "19.99", to_value: "21.50" },
    ]);
    const { rows } = await pool.query(
      "SELECT field, old_value, new_value, actor_type::text, reason FROM sync_history WHERE sku = 'P2' AND tenant_id = $1",
      [tenantId],
    );
    expect(rows).toEqual([
      {
        field: "price",
        old_value: "19.99",
        new_value: "21.50",
        actor_type: "USER",
        reason: "resolveConflict",
      },
    ]);

    const low = await conflict("Q1", "QUANTITY", { AMAZON: 7, MEDUSA: 4 });
    const lowOut = (await server.gql(RESOLVE, { id: low.id, resolution: { strategy: "LOWEST_WINS" } })).data!
      .resolveConflict;
    expect(lowOut.conflict.resolution).toMatchObject({ winner: "MEDUSA", value: 4 });
    expect(await item("Q1")).toMatchObject({ quantity: 4 });
    expect(await jobItems(lowOut.job.id)).toEqual([
      { sku: "Q1", platform: "AMAZON", field: "quantity", from_value: 7, to_value: 4 },
    ]);
  });

  it("resolves to a value given by hand, checked against the conflict type", async () => {
    const c = await conflict("S1", "STATUS", { AMAZON: "ACTIVE", MEDUSA: "INACTIVE" });
    const bad = (await server.gql(RESOLVE, { id: c.id, resolution: { value: "SUPPRESSED" } })).data!
      .resolveConflict;
    expect(codes(bad.userErrors)).toEqual(["resolution.value:INVALID_STATUS"]);
    const both = (
      await server.gql(RESOLVE, { id: c.id, resolution: { value: "ACTIVE", strategy: "SOURCE_WINS" } })
    ).data!.resolveConflict;
    expect(codes(both.userErrors)).toEqual(["resolution:INVALID"]);
    expect(await alertStatus(c.rowId)).toMatchObject({ status: "OPEN" });

    const ok = (await server.gql(RESOLVE, { id: c.id, resolution: { value: "INACTIVE" } })).data!
      .resolveConflict;
    expect(ok.conflict.resolution).toMatchObject({ strategy: "MANUAL", winner: "MEDUSA", value: "INACTIVE" });
    expect(await item("S1")).toMatchObject({ status: "INACTIVE" });

    const again = (await server.gql(RESOLVE, { id: c.id, resolution: { value: "ACTIVE" } })).data!
      .resolveConflict;
    expect(codes(again.userErrors)).toEqual(["id:ALREADY_RESOLVED"]);
    expect(await item("S1")).toMatchObject({ status: "INACTIVE" });
  });

  it("asks for a value when the strategy is MANUAL", async () => {
    const c = await conflict("X1", "PRICE", { AMAZON: "1.00", MEDUSA: "2.00" });
    const out = (await server.gql(RESOLVE, { id: c.id, resolution: { strategy: "MANUAL" } })).data!
      .resolveConflict;
    expect(codes(out.userErrors)).toEqual(["resolution.strategy:VALUE_REQUIRED"]);
    expect(out.conflict).toBeNull();
  });

  it("resolves many by ids or by filter in one job, all or none", async () => {
    const a = await conflict("M1", "PRICE", { AMAZON: "5.00", MEDUSA: "6.00" });
    const b = await conflict("M2", "PRICE", { AMAZON: "7.00", MEDUSA: "8.00" });
    const done = await conflict("M3", "PRICE", { AMAZON: "1.00", MEDUSA: "1.50" });
    await server.gql(RESOLVE, { id: done.id, resolution: { value: "1.00" } });

    const refused = (await server.gql(RESOLVE_MANY, { ids: [a.id, done.id], strategy: "LOWEST_WINS" })).data!
      .resolveConflicts;
    expect(codes(refused.userErrors)).toEqual(["ids.1:ALREADY_RESOLVED"]);
    expect(await alertStatus(a.rowId)).toMatchObject({ status: "OPEN" });

    const out = (await server.gql(RESOLVE_MANY, { ids: [a.id, b.id], strategy: "LOWEST_WINS" })).data!
      .resolveConflicts;
    expect(out.userErrors).toEqual([]);
    expect(out.conflicts.map((c: { resolvedValue: string }) => c.resolvedValue)).toEqual(["5.00", "7.00"]);
    expect(await jobItems(out.job.id)).toEqual([
      { sku: "M1", platform: "MEDUSA", field: "price", from_value: "6.00", to_value: "5.00" },
      { sku: "M2", platform: "MEDUSA", field: "price", from_value: "8.00", to_value: "7.00" },
    ]);

    const open = await conflict("M1", "QUANTITY", { AMAZON: 3, MEDUSA: 9 });
    const byFilter = (
      await server.gql(RESOLVE_MANY, { filter: { type: ["QUANTITY"], sku: "M1" }, strategy: "HIGHEST_WINS" })
    ).data!.resolveConflicts;
    expect(byFilter).toMatchObject({ hasMore: false, userErrors: [] });
    expect(byFilter.conflicts.map((c: { id: string }) => c.id)).toEqual([open.id]);
  });

  it("ignores a conflict without changing values, and refuses to ignore it twice", async () => {
    const c = await conflict("I1", "PRICE", { AMAZON: "3.00", MEDUSA: "4.00" });
    const out = (await server.gql(IGNORE, { id: c.id })).data!.ignoreConflict;
    expect(out.conflict).toMatchObject({
      status: "IGNORED",
      resolvedBy: `USER:${(await server.user("demo")).id}`,
    });
    expect(await item("I1")).toMatchObject({ price: "19.99" });
    expect(await alertStatus(c.rowId)).toMatchObject({ status: "RESOLVED" });
    expect(codes((await server.gql(IGNORE, { id: c.id })).data!.ignoreConflict.userErrors)).toEqual([
      "id:ALREADY_IGNORED",
    ]);
  });

  it("refuses to write a quantity Amazon sets itself (FBA), and resolves to Amazon's own number", async () => {
    const c = await conflict("F1", "QUANTITY", { AMAZON: 7, MEDUSA: 12 });
    const refused = (await server.gql(RESOLVE, { id: c.id, resolution: { strategy: "HIGHEST_WINS" } })).data!
      .resolveConflict;
    expect(refused).toMatchObject({ conflict: null, job: null });
    expect(codes(refused.userErrors)).toEqual(["id:PLATFORM_MANAGED"]);
    expect(await item("F1")).toMatchObject({ quantity: 10 });
    const out = (await server.gql(RESOLVE, { id: c.id, resolution: { value: "7" } })).data!.resolveConflict;
    expect(out.userErrors).toEqual([]);
    expect(await jobItems(out.job.id)).toEqual([
      { sku: "F1", platform: "MEDUSA", field: "quantity", from_value: 12, to_value: 7 },
    ]);
  });

  it("plans no write for a platform where the product is not listed", async () => {
    const c = await conflict("A1", "PRICE", { AMAZON: "19.99", MEDUSA: "24.00" });
    const out = (await server.gql(RESOLVE, { id: c.id, resolution: { value: "24.00" } })).data!
      .resolveConflict;
    expect(out.userErrors).toEqual([]);
    expect(await jobItems(out.job.id)).toEqual([
      { sku: "A1", platform: "AMAZON", field: "price", from_value: "19.99", to_value: "24.00" },
    ]);
    const again = await conflict("A1", "PRICE", { AMAZON: "24.00", MEDUSA: "19.99" });
    const none = (await server.gql(RESOLVE, { id: again.id, resolution: { value: "24.00" } })).data!
      .resolveConflict;
    expect(none).toMatchObject({ userErrors: [], job: null, conflict: { status: "RESOLVED" } });
  });

  it("treats another tenant's conflict as not found", async () => {
    const theirs = await conflict("P1", "PRICE", { AMAZON: "1.00", MEDUSA: "2.00" }, otherId, otherProducts);
    const res = (await server.gql(RESOLVE, { id: theirs.id, resolution: { strategy: "SOURCE_WINS" } })).data!
      .resolveConflict;
    expect(codes(res.userErrors)).toEqual(["id:NOT_FOUND"]);
    expect(codes((await server.gql(IGNORE, { id: theirs.id })).data!.ignoreConflict.userErrors)).toEqual([
      "id:NOT_FOUND",
    ]);
    const many = (await server.gql(RESOLVE_MANY, { ids: [theirs.id], strategy: "SOURCE_WINS" })).data!
      .resolveConflicts;
    expect(codes(many.userErrors)).toEqual(["ids.0:NOT_FOUND"]);
    const { rows } = await pool.query("SELECT status::text FROM sync_conflicts WHERE tenant_id = $1", [
      otherId,
    ]);
    expect(rows).toEqual([{ status: "OPEN" }]);
  });
});
