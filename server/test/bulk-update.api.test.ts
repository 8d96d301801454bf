import type pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createOwnerPool } from "../src/platform/db";
import { startTestServer, type TestServer } from "./app";
import { apiKeyOf } from "./auth";
import { createTenant, insertItems } from "./factories";

const BULK = `mutation($input: BulkUpdateInventoryInput!) {
  bulkUpdateInventory(input: $input) {
    job { id trigger dryRun }
    results { index sku status errors { field code } }
    userErrors { field code message }
    replayed
  }
}`;

const BULK_SKIPPED = `mutation($input: BulkUpdateInventoryInput!) {
  bulkUpdateInventory(input: $input) {
    job { id } results { index sku status errors { field code } skipped { platform field code } } userErrors { field code }
  }
}`;

type Row = Record<string, unknown>;
const listing = (quantity: number, price = "10.00") => [
  { platform: "AMAZON" as const, quantity, price },
  { platform: "MEDUSA" as const, quantity, price },
];

describe("bulkUpdateInventory over GraphQL", () => {
  let server: TestServer;
  let pool: pg.Pool;
  let tenantId: string;

  const bulk = async (input: Row, headers?: Record<string, string>) => {
    const res = await server.gql(BULK, { input }, headers);
    expect(res.errors).toBeUndefined();
    return res.data!.bulkUpdateInventory;
  };
  const inventory = async () =>
    (
      await pool.query(
        "SELECT sku, quantity, price::text AS price, status::text AS status FROM seller_inventory WHERE tenant_id = $1 ORDER BY sku",
        [tenantId],
      )
    ).rows;
  const listings = async (sku: string) =>
    (
      await pool.query(
        `SELECT platform::text, quantity, price::text AS price, status::text AS status FROM product_listings
          WHERE tenant_id = $1 AND sku = $2 ORDER BY platform`,
        [tenantId, sku],
      )
    ).rows;
  const counts = async () => {
    const one = async (table: string) =>
      Number(
        (await pool.query(`SELECT count(*) FROM ${table} WHERE tenant_id = $1`, [tenantId])).rows[0].count,
      );
    return {
      history: await one("sync_history"),
      jobs: await one("sync_jobs"),
      keys: await one("idempotency_keys"),
    };
  };
  const codes = (errors: { field: string[]; code: string }[]) =>
    errors.map((e) => `${e.field.join(".")}:${e.code}`);

  beforeAll(async () => {
    server = await startTestServer(async (dbUrl) => {
      const p = createOwnerPool(dbUrl);
      const tenant = await createTenant(p, "demo");
      tenantId = tenant.tenantId;
      await insertItems(p, tenant, [
        { sku: "A", title: "A", quantity: 10, listings: listing(10) },
        { sku: "B", title: "B", quantity: 10, listings: listing(10) },
        { sku: "C", title: "C", quantity: 10, reserved: 2, listings: listing(8) },
        { sku: "D", title: "D", quantity: 10, listings: listing(10) },
        { sku: "E", title: "E", quantity: 10, listings: listing(10) },
        { sku: "F", title: "F", quantity: 10, fulfillment: "FBA", listings: listing(10) },
      ]);
      const other = await createTenant(p, "other");
      await insertItems(p, other, [{ sku: "THEIRS", title: "Other tenant's", quantity: 3 }]);
      await p.end();
    });
    pool = server.app.ownerPool;
  });
  afterAll(() => server?.close());

  it("reports every invalid row with its field path and code, and changes nothing", async () => {
    const before = await inventory();
    const out = await bulk({
      updates: [
        { sku: "A", quantity: 5 },
        { sku: "NOPE", quantity: 1 },
        { sku: "B", quantity: 1, quantityDelta: 1 },
        { sku: "C" },
        { sku: "D", quantityDelta: -11 },
        { sku: "E", price: "12.345" },
        { sku: "E2", price: "-1" },
        { sku: "A", quantity: 4 },
        { sku: "B", quantity: 3, expectedQuantity: 7 },
        { sku: "THEIRS", quantity: 1 },
      ],
    });
    expect(codes(out.userErrors)).toEqual([
      "updates.1.sku:NOT_FOUND",
      "updates.2.quantityDelta:MUTUALLY_EXCLUSIVE",
      "updates.3:NO_CHANGES",
      "updates.4.quantityDelta:NEGATIVE_QUANTITY",
      "updates.5.price:INVALID_PRICE",
      "updates.6.sku:NOT_FOUND",
      "updates.7.sku:DUPLICATE_SKU",
      "updates.8.sku:DUPLICATE_SKU",
      "updates.9.sku:NOT_FOUND",
    ]);
    expect(out.results[0]).toEqual({ index: 0, sku: "A", status: "REJECTED", errors: [] });
    expect(out.results.slice(1).every((r: { status: string }) => r.status === "FAILED")).toBe(true);
    expect(out.job).toBeNull();
    expect(await inventory()).toEqual(before);
    expect(await counts()).toEqual({ history: 0, jobs: 0, keys: 0 });
  });

  it("refuses a negative price and a stale expectedQuantity", async () => {
    const out = await bulk({
      updates: [
        { sku: "A", price: "-1.00" },
        { sku: "B", quantity: 3, expectedQuantity: 7 },
      ],
    });
    expect(codes(out.userErrors)).toEqual([
      "updates.0.price:NEGATIVE_PRICE",
      "updates.1.expectedQuantity:QUANTITY_MISMATCH",
    ]);
    expect(await counts()).toMatchObject({ history: 0, jobs: 0 });
  });

  it("validates and plans a dry run without changing any value", async () => {
    const before = await inventory();
    const out = await bulk({ updates: [{ sku: "A", quantity: 4 }], dryRun: true });
    expect(out.userErrors).toEqual([]);
    expect(out.results).toEqual([{ index: 0, sku: "A", status: "PLANNED", errors: [] }]);
    expect(out.job).toMatchObject({ trigger: "BULK_UPDATE", dryRun: true });
    expect(await inventory()).toEqual(before);
    expect(await listings("A")).toEqual([
      { platform: "AMAZON", quantity: 10, price: "10.00", status: "ACTIVE" },
      { platform: "MEDUSA", quantity: 10, price: "10.00", status: "ACTIVE" },
    ]);
    expect((await counts()).history).toBe(0);
  });

  it("applies the valid rows under REJECT_FAILED_ROWS: our record, the listings, history and one job", async () => {
    const key = await apiKeyOf(server.app, "demo", ["write_inventory", "read_inventory", "read_sync"]);
    const out = await bulk(
      {
        errorPolicy: "REJECT_FAILED_ROWS",
        updates: [
          { sku: "A", quantityDelta: -3, price: "11.5" },
          { sku: "B", quantity: -1 },
          { sku: "C", quantity: 12, expectedQuantity: 10, status: "INACTIVE" },
          { sku: "D", quantity: 10 },
        ],
      },
      key.headers,
    );
    expect(codes(out.userErrors)).toEqual(["updates.1.quantity:NEGATIVE_QUANTITY"]);
    expect(out.results.map((r: { status: string }) => r.status)).toEqual([
      "APPLIED",
      "FAILED",
      "APPLIED",
      "UNCHANGED",
    ]);
    expect(out.job).toMatchObject({ trigger: "BULK_UPDATE", dryRun: false });

    const rows = await inventory();
    expect(rows.find((r) => r.sku === "A")).toEqual({
      sku: "A",
      quantity: 7,
      price: "11.50",
      status: "ACTIVE",
    });
    expect(rows.find((r) => r.sku === "B")).toMatchObject({ quantity: 10 });
    expect(rows.find((r) => r.sku === "C")).toEqual({
      sku: "C",
      quantity: 12,
      price: "10.00",
      status: "INACTIVE",
    });
    // C has 2 reserved: the platforms are to publish the 10 available.
    expect(await listings("C")).toEqual([
      { platform: "AMAZON", quantity: 10, price: "10.00", status: "INACTIVE" },
      { platform: "MEDUSA", quantity: 10, price: "10.00", status: "INACTIVE" },
    ]);

    const { rows: history } = await pool.query(
      `SELECT sku, field, old_value, new_value, actor_type::text, actor_id, platform, job_id FROM sync_history
        WHERE tenant_id = $1 ORDER BY sku, field`,
      [tenantId],
    );
    const jobId = Buffer.from(out.job.id, "base64url").toString().split(":")[1];
    expect(history).toEqual([
      {
        sku: "A",
        field: "price",
        old_value: "10.00",
        new_value: "11.50",
        actor_type: "API_KEY",
        actor_id: key.id,
        platform: null,
        job_id: jobId,
      },
      {
        sku: "A",
        field: "quantity",
        old_value: 10,
        new_value: 7,
        actor_type: "API_KEY",
        actor_id: key.id,
        platform: null,
        job_id: jobId,
      },
      {
        sku: "C",
        field: "quantity",
        old_value: 10,
        new_value: 12,
        actor_type: "API_KEY",
        actor_id: key.id,
        platform: null,
        job_id: jobId,
      },
      {
        sku: "C",
        field: "status",
        old_value: "ACTIVE",
        new_value: "INACTIVE",
        actor_type: "API_KEY",
        actor_id: key.id,
        platform: null,
        job_id: jobId,
      },
    ]);

    const { rows: items } = await pool.query(
      `SELECT sku, platform::text, field, from_value, to_value FROM sync_job_items WHERE job_id = $1
        ORDER BY sku, platform, field`,
      [jobId],
    );
    expect(items).toEqual([
      { sku: "A", platform: "AMAZON", field: "price", from_value: "10.00", to_value: "11.50" },
      { sku: "A", platform: "AMAZON", field: "quantity", from_value: 10, to_value: 7 },
      { sku: "A", platform: "MEDUSA", field: "price", from_value: "10.00", to_value: "11.50" },
      { sku: "A", platform: "MEDUSA", field: "quantity", from_value: 10, to_value: 7 },
      { sku: "C", platform: "AMAZON", field: "quantity", from_value: 8, to_value: 10 },
      { sku: "C", platform: "AMAZON", field: "status", from_value: "ACTIVE", to_value: "INACTIVE" },
      { sku: "C", platform: "MEDUSA", field: "quantity", from_value: 8, to_value: 10 },
      { sku: "C", platform: "MEDUSA", field: "status", from_value: "ACTIVE", to_value: "INACTIVE" },
    ]);
  });

  it("applies each row's valid fields under IGNORE_FAILED and keeps row errors out of userErrors", async () => {
    const out = await bulk({
      errorPolicy: "IGNORE_FAILED",
      updates: [
        { sku: "E", quantity: -5, price: "13.00" },
        { sku: "NOPE", quantity: 1 },
      ],
    });
    expect(out.userErrors).toEqual([]);
    expect(out.results).toEqual([
      {
        index: 0,
        sku: "E",
        status: "APPLIED",
        errors: [{ field: ["updates", "0", "quantity"], code: "NEGATIVE_QUANTITY" }],
      },
      {
        index: 1,
        sku: "NOPE",
        status: "FAILED",
        errors: [{ field: ["updates", "1", "sku"], code: "NOT_FOUND" }],
      },
    ]);
    expect((await inventory()).find((r) => r.sku === "E")).toMatchObject({ quantity: 10, price: "13.00" });
  });

  it("propagates only to the platforms asked for, and never sets FBA stock on Amazon", async () => {
    const out = await bulk({ platforms: ["MEDUSA"], updates: [{ sku: "B", quantityDelta: 2 }] });
    expect(out.userErrors).toEqual([]);
    const jobId = Buffer.from(out.job.id, "base64url").toString().split(":")[1];
    const { rows } = await pool.query("SELECT platform::text FROM sync_job_items WHERE job_id = $1", [jobId]);
    expect(rows).toEqual([{ platform: "MEDUSA" }]);
    expect((await listings("B"))[0]).toMatchObject({ platform: "AMAZON", quantity: 10 });

    const fba = (await server.gql(BULK_SKIPPED, { input: { updates: [{ sku: "F", quantity: 4 }] } })).data!
      .bulkUpdateInventory;
    // Amazon's fulfilment network counts F: the row says Amazon was left out and why.
    expect(fba.results).toEqual([
      {
        index: 0,
        sku: "F",
        status: "APPLIED",
        errors: [],
        skipped: [{ platform: "AMAZON", field: "quantity", code: "PLATFORM_MANAGED" }],
      },
    ]);
    const fbaJob = Buffer.from(fba.job.id, "base64url").toString().split(":")[1];
    const { rows: fbaItems } = await pool.query(
      "SELECT platform::text FROM sync_job_items WHERE job_id = $1",
      [fbaJob],
    );
    expect(fbaItems).toEqual([{ platform: "MEDUSA" }]);
    expect((await listings("F"))[0]).toMatchObject({ platform: "AMAZON", quantity: 10 });

    // Aimed at Amazon alone, an FBA quantity has nowhere to go: a row error, nothing applied.
    const onlyAmazon = await bulk({
      platforms: ["AMAZON"],
      updates: [{ sku: "F", quantityDelta: 1, price: "11.00" }],
    });
    expect(codes(onlyAmazon.userErrors)).toEqual(["updates.0.quantityDelta:PLATFORM_MANAGED"]);
    expect(onlyAmazon.results[0]).toMatchObject({ status: "FAILED" });
    expect(onlyAmazon.job).toBeNull();
    const priceOnly = await bulk({
      platforms: ["AMAZON"],
      errorPolicy: "IGNORE_FAILED",
      updates: [{ sku: "F", quantityDelta: 1, price: "11.00" }],
    });
    expect(priceOnly.results[0]).toMatchObject({ status: "APPLIED", errors: [{ code: "PLATFORM_MANAGED" }] });
    const priceJob = Buffer.from(priceOnly.job.id, "base64url").toString().split(":")[1];
    const { rows: priceItems } = await pool.query(
      "SELECT platform::text, field FROM sync_job_items WHERE job_id = $1",
      [priceJob],
    );
    expect(priceItems).toEqual([{ platform: "AMAZON", field: "price" }]);

    const bad = await bulk({ platforms: ["SHOPIFY"], updates: [{ sku: "B", quantityDelta: 2 }] });
    expect(codes(bad.userErrors)).toEqual(["platforms.0:NOT_CONNECTED"]);
  });

  it("replays the first result for a repeated idempotency key and applies once", async () => {
    const input = { idempotencyKey: "key-1", updates: [{ sku: "D", quantityDelta: 5 }] };
    const first = await bulk(input);
    expect(first).toMatchObject({ replayed: false, userErrors: [] });
    const second = await bulk(input);
    expect(second).toEqual({ ...first, replayed: true });
    expect((await inventory()).find((r) => r.sku === "D")).toMatchObject({ quantity: 15 });

    const reused = await bulk({ ...input, updates: [{ sku: "D", quantityDelta: 6 }] });
    expect(codes(reused.userErrors)).toEqual(["idempotencyKey:IDEMPOTENCY_KEY_REUSED"]);
    expect(reused.job).toBeNull();
    expect((await inventory()).find((r) => r.sku === "D")).toMatchObject({ quantity: 15 });
  });

  it("applies once when two calls with the same key race", async () => {
    const input = { idempotencyKey: "key-race", updates: [{ sku: "E", quantityDelta: 1 }] };
    const before = (await inventory()).find((r) => r.sku === "E")!.quantity;
    const both = await Promise.all([bulk(input), bulk(input)]);
    expect(both.map((r) => r.replayed).sort()).toEqual([false, true]);
    expect(both[0].job.id).toBe(both[1].job.id);
    expect((await inventory()).find((r) => r.sku === "E")!.quantity).toBe(before + 1);
  });

  it("does not remember a call that applied nothing, so it can be corrected under the same key", async () => {
    const rejected = await bulk({ idempotencyKey: "key-2", updates: [{ sku: "D", quantity: -1 }] });
    expect(codes(rejected.userErrors)).toEqual(["updates.0.quantity:NEGATIVE_QUANTITY"]);
    const fixed = await bulk({ idempotencyKey: "key-2", updates: [{ sku: "D", quantity: 1 }] });
    expect(fixed).toMatchObject({ replayed: false, userErrors: [] });
  });

  it("refuses an empty call and more than 10,000 rows", async () => {
    expect(codes((await bulk({ updates: [] })).userErrors)).toEqual(["updates:EMPTY"]);
    const many = Array.from({ length: 10_001 }, (_, i) => ({ sku: `S${i}`, quantity: 1 }));
    expect(codes((await bulk({ updates: many })).userErrors)).toEqual(["updates:TOO_MANY_ROWS"]);
  });
});
