import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PrismaClient } from "../src/generated/prisma/client";
import {
  createAppPrisma,
  createOwnerPool,
  Prisma,
  requestTenantDb,
  type TenantDb,
  tenantDb,
} from "../src/platform/db";
import { createTestDatabase } from "./database";

describe("tenant isolation in the database", () => {
  let drop: () => Promise<void>;
  let owner: pg.Pool;
  let prisma: PrismaClient;
  let appPool: pg.Pool;
  let a: TenantDb;
  let b: TenantDb;
  let tenantA: string;
  let tenantB: string;

  beforeAll(async () => {
    const db = await createTestDatabase();
    drop = db.drop;
    owner = createOwnerPool(db.url);
    const { rows } = await owner.query<{ id: string; slug: string }>(
      "INSERT INTO tenants (slug, name, updated_at) VALUES ('a', 'A', now()), ('b', 'B', now()) RETURNING id, slug",
    );
    tenantA = rows.find((r) => r.slug === "a")!.id;
    tenantB = rows.find((r) => r.slug === "b")!.id;
    for (const [tenant, sku] of [
      [tenantA, "A-1"],
      [tenantB, "B-1"],
    ] as const) {
      await owner.query(
        "INSERT INTO products (tenant_id, sku, title, updated_at) VALUES ($1, $2, 'Widget', now())",
        [tenant, sku],
      );
    }
    ({ prisma, pool: appPool } = createAppPrisma(db.url, 2));
    a = tenantDb(prisma, tenantA);
    b = tenantDb(prisma, tenantB);
  });

  afterAll(async () => {
    await prisma?.$disconnect();
    await appPool?.end();
    await owner?.end();
    await drop?.();
  });

  it("runs requests as a role that owns nothing and cannot bypass row-level security", async () => {
    const { rows } = await appPool.query<{ current_user: string; rolbypassrls: boolean; rolsuper: boolean }>(
      "SELECT current_user, rolbypassrls, rolsuper FROM pg_roles WHERE rolname = current_user",
    );
    expect(rows[0]).toEqual({ current_user: "inventory_app", rolbypassrls: false, rolsuper: false });
    const owned = await appPool.query(
      "SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tableowner = current_user",
    );
    expect(owned.rowCount).toBe(0);
  });

  it("shows a tenant only its own rows when the query has no where", async () => {
    expect((await a.client.product.findMany()).map((p) => p.sku)).toEqual(["A-1"]);
    expect((await b.client.product.findMany()).map((p) => p.sku)).toEqual(["B-1"]);
    expect(await a.client.product.count()).toBe(1);
  });

  it("scopes raw queries too", async () => {
    const rows = await a.client.$queryRaw<{ sku: string }[]>`SELECT sku FROM products`;
    expect(rows.map((r) => r.sku)).toEqual(["A-1"]);
  });

  it("cannot change or delete another tenant's rows", async () => {
    const updated = await a.client.product.updateMany({ data: { title: "hijacked" } });
    expect(updated.count).toBe(1);
    const deleted = await a.client.product.deleteMany({ where: { sku: "B-1" } });
    expect(deleted.count).toBe(0);
    const { rows } = await owner.query("SELECT title FROM products WHERE sku = 'B-1'");
    expect(rows[0].title).toBe("Widget");
  });

  it("refuses to write a row into another tenant", async () => {
    await expect(
      a.client.product.create({ data: { sku: "X-1", title: "Smuggled", tenantId: tenantB } }),
    ).rejects.toThrow(/row-level security/);
  });

  it("fills tenant_id from the scope when a create leaves it out", async () => {
    const created = await a.client.product.create({ data: { sku: "A-2", title: "Second" } });
    expect(created.tenantId).toBe(tenantA);
  });

  it("keeps the tenant inside interactive transactions", async () => {
    const skus = await a.transaction(async (tx) => {
      await tx.product.create({ data: { sku: "A-3", title: "Third" } });
      return (await tx.product.findMany({ orderBy: { sku: "asc" } })).map((p) => p.sku);
    });
    expect(skus).toEqual(["A-1", "A-2", "A-3"]);
  });

  it("sees nothing at all without a tenant", async () => {
    expect(await prisma.product.count()).toBe(0);
    const { rows } = await appPool.query("SELECT count(*)::int AS n FROM products");
    expect(rows[0].n).toBe(0);
  });

  it("does not leak the tenant setting to the next query on the same connection", async () => {
    await a.client.product.count();
    const { rows } = await appPool.query("SELECT app_current_tenant() AS t");
    expect(rows[0].t).toBeNull();
  });

  it("runs a pinned request's calls in one transaction, nested ones side by side as savepoints", async () => {
    const request = requestTenantDb(prisma, tenantA);
    await request.pin();
    try {
      const backend = async () =>
        (await request.sql<{ pid: number }>(Prisma.sql`SELECT pg_backend_pid() AS pid`))[0]!.pid;
      const pid = await backend();
      // Resolvers run at once: five nested transactions, one failing, none disturbing the others.
      const outcomes = await Promise.allSettled(
        ["P-1", "P-2", "FAIL", "P-3", "P-4"].map((sku) =>
          request.transaction(async (tx) => {
            await tx.$executeRaw`INSERT INTO products (tenant_id, sku, title, updated_at)
              VALUES (${tenantA}::uuid, ${sku}, 'Pinned', now())`;
            if (sku === "FAIL") throw new Error("refused");
            return (await backend()) === pid;
          }),
        ),
      );
      expect(outcomes.map((o) => (o.status === "fulfilled" ? o.value : "rejected"))).toEqual([
        true,
        true,
        "rejected",
        true,
        true,
      ]);
      expect(
        (await request.client.product.findMany({ where: { title: "Pinned" } })).map((p) => p.sku).sort(),
      ).toEqual(["P-1", "P-2", "P-3", "P-4"]);
      // Not visible outside until the request ends.
      expect(await a.client.product.count({ where: { title: "Pinned" } })).toBe(0);
    } finally {
      await request.unpin();
    }
    expect(await a.client.product.count({ where: { title: "Pinned" } })).toBe(4);
    await a.client.product.deleteMany({ where: { title: "Pinned" } });
  });
});
