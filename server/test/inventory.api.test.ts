import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createOwnerPool } from "../src/platform/db";
import { type GraphQLResponse, startTestServer, type TestServer } from "./app";
import { createTenant, type ItemFixture, insertItems } from "./factories";

const WORDS = ["Delta", "Alpha", "Echo", "Bravo", "Charlie"];
const BRANDS = ["Acme", "Globex", "Initech", null];
const CATEGORIES = ["Toys", "Tools", "Kitchen"];

// 40 items with repeated titles (ties broken by id), null prices and a spread of quantities and states.
const ITEMS: ItemFixture[] = Array.from({ length: 40 }, (_, i) => ({
  sku: `SKU-${String(i).padStart(3, "0")}`,
  asin: `B0TEST${String(i).padStart(4, "0")}`,
  title: WORDS[i % WORDS.length]!,
  brand: BRANDS[i % BRANDS.length]!,
  category: CATEGORIES[i % CATEGORIES.length]!,
  quantity: (i * 7) % 30,
  reserved: i % 3 === 0 && (i * 7) % 30 > 0 ? 1 : 0,
  price: i % 10 === 0 ? null : `${5 + ((i * 37) % 100)}.99`,
  status: i % 9 === 0 ? "INACTIVE" : "ACTIVE",
  fulfillment: i % 2 ? "FBA" : "FBM",
  listings: [
    { platform: "AMAZON", quantity: (i * 7) % 30, price: `${5 + ((i * 37) % 100)}.99` },
    ...(i % 4 !== 0 ? [{ platform: "MEDUSA" as const, quantity: 3, price: "1.00" }] : []),
  ],
}));

const PAGE = `
  query Page($first: Int, $after: String, $last: Int, $before: String, $filter: InventoryFilter, $orderBy: InventoryOrder) {
    inventory(first: $first, after: $after, last: $last, before: $before, filter: $filter, orderBy: $orderBy) {
      totalCount
      edges { cursor node { id sku title quantity availableQuantity price stockLevel } }
      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    }
  }`;

type Node = {
  id: string;
  sku: string;
  title: string;
  quantity: number;
  availableQuantity: number;
  price: string | null;
};

describe("inventory query", () => {
  let server: TestServer;
  let productIds: Map<string, string>;
  let itemIds: Map<string, string>;

  beforeAll(async () => {
    server = await startTestServer(async (dbUrl) => {
      const pool = createOwnerPool(dbUrl);
      const demo = await createTenant(pool, "demo", { low: 10, out: 0 });
      productIds = await insertItems(pool, demo, ITEMS);
      const other = await createTenant(pool, "other");
      await insertItems(pool, other, [{ sku: "OTHER-1", title: "Foreign" }]);
      await pool.end();
    });
    const { rows } = await server.app.ownerPool.query<{ sku: string; id: string }>(
      "SELECT sku, id FROM seller_inventory",
    );
    itemIds = new Map(rows.map((r) => [r.sku, r.id]));
  });

  afterAll(() => server?.close());

  async function all(variables: Record<string, unknown>, pageSize: number): Promise<Node[]> {
    const seen: Node[] = [];
    let after: string | null = null;
    for (let guard = 0; guard < 100; guard++) {
      const res: GraphQLResponse<any> = await server.gql(PAGE, { ...variables, first: pageSize, after });
      expect(res.errors).toBeUndefined();
      seen.push(...res.data!.inventory.edges.map((e: { node: Node }) => e.node));
      if (!res.data!.inventory.pageInfo.hasNextPage) return seen;
      after = res.data!.inventory.pageInfo.endCursor;
    }
    throw new Error("pagination did not end");
  }

  const byId = (sku: string) => itemIds.get(sku)!;

  it("pages forward through every item once, in title order with ties broken by id", async () => {
    const nodes = await all({}, 7);
    const expected = [...ITEMS]
      .sort((a, b) => a.title.localeCompare(b.title, "en") || (byId(a.sku) < byId(b.sku) ? -1 : 1))
      .map((i) => i.sku);
    expect(nodes.map((n) => n.sku)).toEqual(expected);
  });

  it("pages backward to the same sequence", async () => {
    const forward = (await all({}, 9)).map((n) => n.sku);
    const backward: string[] = [];
    let before: string | null = null;
    for (;;) {
      const res: GraphQLResponse<any> = await server.gql(PAGE, { last: 9, before });
      const {
        edges,
        pageInfo,
      }: { edges: { node: Node }[]; pageInfo: { hasPreviousPage: boolean; startCursor: string } } =
        res.data!.inventory;
      backward.unshift(...edges.map((e) => e.node.sku));
      if (!pageInfo.hasPreviousPage) break;
      before = pageInfo.startCursor;
    }
    expect(backward).toEqual(forward);
  });

  it("reports totalCount and pageInfo for the first page", async () => {
    const res = await server.gql(PAGE, { first: 5 });
    expect(res.data!.inventory.totalCount).toBe(40);
    expect(res.data!.inventory.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false });
    expect(res.data!.inventory.edges).toHaveLength(5);
  });

  const sorts: [string, (i: ItemFixture) => number | string | null][] = [
    ["SKU", (i) => i.sku],
    ["QUANTITY", (i) => i.quantity!],
    ["AVAILABLE", (i) => i.quantity! - i.reserved!],
    ["PRICE", (i) => (i.price ? Number(i.price) : null)],
    ["UPDATED_AT", (i) => ITEMS.indexOf(i)],
  ];
  for (const [field, key] of sorts) {
    for (const direction of ["ASC", "DESC"] as const) {
      it(`orders by ${field} ${direction}, nulls last, across pages`, async () => {
        const nodes = await all({ orderBy: { field, direction } }, 6);
        const sign = direction === "ASC" ? 1 : -1;
        const expected = [...ITEMS]
          .sort((a, b) => {
            const x = key(a);
            const y = key(b);
            if (x === null || y === null)
              return x === y ? (byId(a.sku) < byId(b.sku) ? -1 : 1) * sign : x === null ? 1 : -1;
            if (x !== y) return (x < y ? -1 : 1) * sign;
            return (byId(a.sku) < byId(b.sku) ? -1 : 1) * sign;
          })
          .map((i) => i.sku);
        expect(nodes.map((n) => n.sku)).toEqual(expected);
      });
    }
  }

  const filters: [string, Record<string, unknown>, (i: ItemFixture) => boolean][] = [
    ["search on part of a SKU", { search: "sku-01" }, (i) => i.sku.startsWith("SKU-01")],
    ["search on an ASIN", { search: "B0TEST0007" }, (i) => i.sku === "SKU-007"],
    ["search on a title, any case", { search: "chARL" }, (i) => i.title === "Charlie"],
    ["search on a brand", { search: "globex" }, (i) => i.brand === "Globex"],
    ["status", { status: ["INACTIVE"] }, (i) => i.status === "INACTIVE"],
    ["category", { category: ["Toys", "Tools"] }, (i) => i.category !== "Kitchen"],
    ["brand", { brand: ["Acme"] }, (i) => i.brand === "Acme"],
    ["fulfillment channel", { fulfillmentChannel: ["FBA"] }, (i) => i.fulfillment === "FBA"],
    ["out of stock", { stockLevel: ["OUT_OF_STOCK"] }, (i) => i.quantity! - i.reserved! <= 0],
    [
      "low stock",
      { stockLevel: ["LOW_STOCK"] },
      (i) => i.quantity! - i.reserved! > 0 && i.quantity! - i.reserved! <= 10,
    ],
    ["in stock", { stockLevel: ["IN_STOCK"] }, (i) => i.quantity! - i.reserved! > 10],
    ["platform", { platform: ["MEDUSA"] }, (i) => (i.listings ?? []).some((l) => l.platform === "MEDUSA")],
    [
      "several conditions together",
      { category: ["Toys"], fulfillmentChannel: ["FBM"], platform: ["MEDUSA"] },
      (i) =>
        i.category === "Toys" &&
        i.fulfillment === "FBM" &&
        (i.listings ?? []).some((l) => l.platform === "MEDUSA"),
    ],
  ];
  for (const [name, filter, predicate] of filters) {
    it(`filters by ${name}`, async () => {
      const expected = ITEMS.filter(predicate)
        .map((i) => i.sku)
        .sort();
      expect(expected.length).toBeGreaterThan(0);
      const nodes = await all({ filter, orderBy: { field: "SKU", direction: "ASC" } }, 250);
      expect(nodes.map((n) => n.sku)).toEqual(expected);
      const count = await server.gql(PAGE, { filter, first: 1 });
      expect(count.data!.inventory.totalCount).toBe(expected.length);
    });
  }

  it("treats a search with % and _ as plain text", async () => {
    for (const search of ["%", "_", "SKU_00", "\\"]) {
      const res = await server.gql(PAGE, { filter: { search }, first: 10 });
      expect(res.errors).toBeUndefined();
      expect(res.data!.inventory.totalCount).toBe(0);
    }
  });

  it("returns money as a decimal string and available as quantity minus reserved", async () => {
    const res = await server.gql(PAGE, { filter: { search: "SKU-003" }, first: 1 });
    const node = res.data!.inventory.edges[0].node;
    expect(node.price).toBe(ITEMS[3]!.price);
    expect(node.availableQuantity).toBe(ITEMS[3]!.quantity! - ITEMS[3]!.reserved!);
  });

  it("fetches an item by global id with its listings on every platform", async () => {
    const first = await server.gql(PAGE, { filter: { search: "SKU-005" }, first: 1 });
    const id = first.data!.inventory.edges[0].node.id;
    const res = await server.gql(
      `query($id: ID!) {
        inventoryItem(id: $id) { sku listings { platform quantity price connection { name } } }
        node(id: $id) { id ... on InventoryItem { sku } }
      }`,
      { id },
    );
    expect(res.errors).toBeUndefined();
    expect(res.data!.inventoryItem.sku).toBe("SKU-005");
    expect(res.data!.inventoryItem.listings.map((l: { platform: string }) => l.platform)).toEqual([
      "AMAZON",
      "MEDUSA",
    ]);
    expect(res.data!.inventoryItem.listings[1].connection.name).toBe("Medusa Store");
    expect(res.data!.node).toEqual({ id, sku: "SKU-005" });
  });

  it("lists the facets for the filter pickers", async () => {
    const res = await server.gql("{ inventoryFacets { categories { value count } brands { value count } } }");
    expect(res.data!.inventoryFacets.categories).toEqual([
      { value: "Kitchen", count: ITEMS.filter((i) => i.category === "Kitchen").length },
      { value: "Tools", count: ITEMS.filter((i) => i.category === "Tools").length },
      { value: "Toys", count: ITEMS.filter((i) => i.category === "Toys").length },
    ]);
    expect(res.data!.inventoryFacets.brands.map((b: { value: string }) => b.value)).toEqual([
      "Acme",
      "Globex",
      "Initech",
    ]);
  });

  it("shows another tenant only its own inventory", async () => {
    const res = await server.gql(PAGE, { first: 50 }, await server.as("other"));
    expect(res.data!.inventory.edges.map((e: { node: Node }) => e.node.sku)).toEqual(["OTHER-1"]);
    const ours = await server.gql(PAGE, { filter: { search: "OTHER" }, first: 5 });
    expect(ours.data!.inventory.totalCount).toBe(0);
  });

  it("does not find another tenant's item by id", async () => {
    const res = await server.gql(PAGE, { first: 1 }, await server.as("other"));
    const foreignId = res.data!.inventory.edges[0].node.id;
    const mine = await server.gql("query($id: ID!) { node(id: $id) { id } }", { id: foreignId });
    expect(mine.errors).toBeUndefined();
    expect(mine.data!.node).toBeNull();
  });

  describe("bad input gets a clear error with a code, never a 500", () => {
    const cases: [string, string, Record<string, unknown>, string, number][] = [
      ["first over the cap", PAGE, { first: 251 }, "PAGE_SIZE_EXCEEDED", 200],
      ["a negative first", PAGE, { first: -1 }, "BAD_USER_INPUT", 200],
      ["both first and last", PAGE, { first: 1, last: 1 }, "BAD_USER_INPUT", 200],
      ["a malformed cursor", PAGE, { first: 5, after: "not-a-cursor" }, "INVALID_CURSOR", 200],
      ["an unknown enum value", PAGE, { first: 5, filter: { status: ["SOLD_OUT"] } }, "BAD_USER_INPUT", 400],
      ["a string for an Int", PAGE, { first: "ten" }, "BAD_USER_INPUT", 400],
      ["a malformed id", "query($id: ID!) { node(id: $id) { id } }", { id: "garbage" }, "INVALID_ID", 200],
      ["a syntax error", "query { inventory(first: ) }", {}, "GRAPHQL_PARSE_FAILED", 400],
      ["an unknown field", "{ inventory { nope } }", {}, "GRAPHQL_VALIDATION_FAILED", 400],
      ["an over-long search", PAGE, { first: 5, filter: { search: "x".repeat(201) } }, "BAD_USER_INPUT", 200],
    ];
    for (const [name, query, variables, code, status] of cases) {
      it(`rejects ${name} with ${code}`, async () => {
        const res = await server.gql(query, variables);
        expect(res.status).toBe(status);
        expect(res.errors?.[0]?.extensions?.code).toBe(code);
        expect(res.errors?.[0]?.message).toBeTruthy();
      });
    }

    it("rejects a cursor made under another ordering", async () => {
      const page = await server.gql(PAGE, { first: 2, orderBy: { field: "PRICE", direction: "ASC" } });
      const cursor = page.data!.inventory.pageInfo.endCursor;
      const res = await server.gql(PAGE, {
        first: 2,
        after: cursor,
        orderBy: { field: "SKU", direction: "ASC" },
      });
      expect(res.errors?.[0]?.extensions?.code).toBe("INVALID_CURSOR");
    });

    it("answers a tenant the caller is not a member of with FORBIDDEN, whether it exists or not", async () => {
      for (const slug of ["nobody", "other"]) {
        const res = await server.gql(PAGE, { first: 1 }, { ...(await server.as("demo")), "x-tenant": slug });
        expect(res.status).toBe(403);
        expect(res.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
        expect(res.data).toBeUndefined();
      }
    });

    it("refuses a query nested deeper than the limit", async () => {
      const deep = "{ inventory(first: 1) { nodes { listings { connection { id } } } } }";
      expect((await server.gql(deep)).errors).toBeUndefined();
      let nested = "id";
      for (let i = 0; i < 8; i++) nested = `job { conflict { ${nested} } }`;
      const res = await server.gql(`{ alerts(first: 1) { nodes { ${nested} } } }`);
      expect(res.errors?.[0]?.extensions?.code).toBeDefined();
      expect(res.status).not.toBe(500);
    });
  });

  it("knows every seeded product id", () => {
    expect(productIds.size).toBe(40);
  });
});
