import { parse as parseCsv } from "csv-parse/sync";
import type pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createOwnerPool } from "../src/platform/db";
import { type GraphQLResponse, startTestServer, type TestServer } from "./app";
import { apiKeyOf } from "./auth";
import { asTenant, createTenant, type ItemFixture, insertItems } from "./factories";

const WORDS = ["Delta", "Alpha", "Echo", "Bravo", "Charlie"];
// Titles a spreadsheet would run as formulas, each behind a different starting character.
const HOSTILE = ['=HYPERLINK("http://x")', "+1+2", "-3+4", "@SUM(A1)", "\tTabbed", "\rReturn"];

const ITEMS: ItemFixture[] = Array.from({ length: 36 }, (_, i) => ({
  sku: `SKU-${String(i).padStart(3, "0")}`,
  asin: `B0EXP${String(i).padStart(5, "0")}`,
  title: i < HOSTILE.length ? HOSTILE[i]! : WORDS[i % WORDS.length]!,
  brand: i % 4 === 0 ? null : `Brand ${i % 3}`,
  category: ["Toys", "Tools", "Kitchen"][i % 3]!,
  quantity: (i * 7) % 30,
  price: i % 10 === 0 ? null : `${5 + ((i * 37) % 100)}.99`,
  status: i % 9 === 0 ? "INACTIVE" : "ACTIVE",
  fulfillment: i % 2 ? "FBA" : "FBM",
  bestseller: i % 5 === 0,
  listings: i % 4 !== 0 ? [{ platform: "MEDUSA", quantity: 3, price: "1.00" }] : [],
}));

const INVENTORY = `query($first: Int, $after: String, $filter: InventoryFilter, $orderBy: InventoryOrder) {
  inventory(first: $first, after: $after, filter: $filter, orderBy: $orderBy) {
    pageInfo { hasNextPage endCursor }
    nodes { id sku title quantity availableQuantity price stockLevel status isBestseller }
  }
}`;
const CONFLICTS = `query($first: Int, $after: String, $filter: ConflictFilter) {
  conflicts(first: $first, after: $after, filter: $filter) {
    pageInfo { hasNextPage endCursor } nodes { id sku status type values }
  }
}`;
const ALERTS = `query($first: Int, $after: String, $filter: AlertFilter) {
  alerts(first: $first, after: $after, filter: $filter) {
    pageInfo { hasNextPage endCursor } nodes { id title priority status }
  }
}`;
const HISTORY = `query($first: Int, $after: String, $filter: SyncHistoryFilter) {
  syncHistory(first: $first, after: $after, filter: $filter) {
    pageInfo { hasNextPage endCursor } nodes { id sku field oldValue newValue }
  }
}`;

// biome-ignore lint/suspicious/noExplicitAny: rows are parsed JSON and CSV, compared field by field
type Row = Record<string, any>;

describe("exports over HTTP", () => {
  let server: TestServer;
  let pool: pg.Pool;
  let demoHeaders: Record<string, string>;

  beforeAll(async () => {
    server = await startTestServer(async (dbUrl) => {
      const p = createOwnerPool(dbUrl);
      const demo = await createTenant(p, "demo", { low: 10, out: 0 });
      const products = await insertItems(p, demo, ITEMS);
      const other = await createTenant(p, "other");
      const otherProducts = await insertItems(p, other, [{ sku: "OTHER-1", title: "Foreign" }]);
      const seed = async (tenantId: string, ids: Map<string, string>, prefix: string, n: number) =>
        asTenant(p, tenantId, async (c) => {
          const skus = [...ids.keys()];
          for (let i = 0; i < n; i++) {
            const sku = skus[i % skus.length]!;
            const at = new Date(Date.UTC(2026, 1, 1, 0, i)).toISOString();
            const conflict = await c.query<{ id: string }>(
              `INSERT INTO sync_conflicts (product_id, sku, type, field, values, strategy, status, created_at,
                 updated_at) VALUES ($1, $2, $3, 'price', $4, 'MANUAL', $5, $6, now()) RETURNING id`,
              [
                ids.get(sku),
                sku,
                i % 2 ? "PRICE" : "QUANTITY",
                JSON.stringify({ AMAZON: `=${i}`, MEDUSA: i }),
                i % 3 ? "OPEN" : "RESOLVED",
                at,
              ],
            );
            await c.query(
              `INSERT INTO alerts (type, priority, status, title, message, product_id, conflict_id, created_at,
                 updated_at) VALUES ('SYNC_CONFLICT', $1, $2, $3, $4, $5, $6, $7, now())`,
              [
                ["LOW", "MEDIUM", "HIGH", "CRITICAL"][i % 4],
                i % 2 ? "OPEN" : "ACKNOWLEDGED",
                `${prefix} alert ${i}`,
                i === 0 ? "=cmd|' /C calc'!A0" : "plain",
                ids.get(sku),
                conflict.rows[0]!.id,
                at,
              ],
            );
            await c.query(
              `INSERT INTO sync_history (product_id, sku, actor_type, platform, field, old_value, new_value,
                 reason, created_at) VALUES ($1, $2, 'USER', $3, $4, $5, $6, 'test', $7)`,
              [
                ids.get(sku),
                sku,
                i % 2 ? "AMAZON" : "MEDUSA",
                i % 3 ? "quantity" : "price",
                JSON.stringify(i),
                JSON.stringify(i + 1),
                at,
              ],
            );
          }
        });
      await seed(demo.tenantId, products, "demo", 12);
      await seed(other.tenantId, otherProducts, "other", 2);
      // Enough rows for several keyset batches, with repeated titles and null prices (ties, two segments).
      const bulk = await createTenant(p, "bulk");
      await asTenant(p, bulk.tenantId, (c) =>
        c.query(
          `WITH p AS (
             INSERT INTO products (sku, title, updated_at)
             SELECT 'BULK-' || lpad(g::text, 5, '0'), 'Bulk ' || (g % 17), now() FROM generate_series(1, 2300) g
             RETURNING id, sku, title)
           INSERT INTO seller_inventory (product_id, connection_id, sku, title, quantity, price, updated_at)
           SELECT id, $1, sku, title, (substr(sku, 6)::int * 13) % 50,
                  CASE WHEN substr(sku, 6)::int % 7 = 0 THEN NULL ELSE ((substr(sku, 6)::int * 31) % 400)::numeric / 4 END,
                  now()
           FROM p`,
          [bulk.connections.AMAZON],
        ),
      );
      await p.end();
    });
    pool = server.app.ownerPool;
    demoHeaders = await server.as("demo");
  }, 120_000);

  afterAll(() => server?.close());

  async function download(path: string, headers: Record<string, string> = demoHeaders) {
    const res = await fetch(`${server.url}${path}`, { headers });
    return { status: res.status, headers: res.headers, text: await res.text() };
  }

  async function exportRows(
    list: string,
    format: "csv" | "json" | "jsonl",
    query = "",
    headers = demoHeaders,
  ) {
    const res = await download(`/exports/${list}.${format}${query ? `?${query}` : ""}`, headers);
    expect(res.status, res.text.slice(0, 300)).toBe(200);
    if (format === "json") return JSON.parse(res.text) as Row[];
    if (format === "jsonl")
      return res.text
        .split("\n")
        .filter(Boolean)
        .map((l) => JSON.parse(l) as Row);
    return parseCsv(res.text, { columns: true }) as Row[];
  }

  async function graphqlAll(query: string, field: string, variables: Row, headers = demoHeaders) {
    const nodes: Row[] = [];
    let after: string | null = null;
    for (let guard = 0; guard < 100; guard++) {
      const res: GraphQLResponse<Record<string, Row>> = await server.gql(
        query,
        { ...variables, first: 250, after },
        headers,
      );
      expect(res.errors).toBeUndefined();
      const conn: { nodes: Row[]; pageInfo: { hasNextPage: boolean; endCursor: string } } = res.data![
        field
      ] as never;
      nodes.push(...conn.nodes);
      if (!conn.pageInfo.hasNextPage) return nodes;
      after = conn.pageInfo.endCursor;
    }
    throw new Error("pagination did not end");
  }

  const INVENTORY_CASES: { query: string; variables: Row }[] = [
    { query: "", variables: {} },
    {
      query: "status=ACTIVE&orderBy=PRICE&direction=DESC",
      variables: { filter: { status: ["ACTIVE"] }, orderBy: { field: "PRICE", direction: "DESC" } },
    },
    {
      query: "search=alpha&orderBy=QUANTITY",
      variables: { filter: { search: "alpha" }, orderBy: { field: "QUANTITY" } },
    },
    {
      query:
        "category=Toys&category=Kitchen&stockLevel=LOW_STOCK,OUT_OF_STOCK&orderBy=AVAILABLE&direction=DESC",
      variables: {
        filter: { category: ["Toys", "Kitchen"], stockLevel: ["LOW_STOCK", "OUT_OF_STOCK"] },
        orderBy: { field: "AVAILABLE", direction: "DESC" },
      },
    },
    {
      query: "platform=MEDUSA&isBestseller=false&fulfillmentChannel=FBA&orderBy=SKU&direction=DESC",
      variables: {
        filter: { platform: ["MEDUSA"], isBestseller: false, fulfillmentChannel: ["FBA"] },
        orderBy: { field: "SKU", direction: "DESC" },
      },
    },
  ];

  it.each(INVENTORY_CASES)(
    "inventory with `$query` has the GraphQL query's rows in every format",
    async (c) => {
      const expected = await graphqlAll(INVENTORY, "inventory", c.variables);
      expect(expected.length).toBeGreaterThan(0);
      for (const format of ["csv", "json", "jsonl"] as const) {
        const rows = await exportRows("inventory", format, c.query);
        expect(rows.map((r) => r.id)).toEqual(expected.map((n) => n.id));
        const typed = format === "csv";
        expect(
          rows.map((r) => ({
            sku: r.sku,
            quantity: typed ? Number(r.quantity) : r.quantity,
            availableQuantity: typed ? Number(r.availableQuantity) : r.availableQuantity,
            price: typed ? r.price || null : r.price,
            stockLevel: r.stockLevel,
            status: r.status,
            isBestseller: typed ? r.isBestseller === "true" : r.isBestseller,
          })),
        ).toEqual(
          expected.map((n) => ({
            sku: n.sku,
            quantity: n.quantity,
            availableQuantity: n.availableQuantity,
            price: n.price,
            stockLevel: n.stockLevel,
            status: n.status,
            isBestseller: n.isBestseller,
          })),
        );
      }
    },
  );

  it.each([
    ["PRICE", "DESC"],
    ["PRICE", "ASC"],
    ["TITLE", "ASC"],
  ])("reads past keyset batches in order (bulk tenant by %s %s)", async (field, direction) => {
    const bulk = await server.as("bulk", "VIEWER");
    const expected = await graphqlAll(INVENTORY, "inventory", { orderBy: { field, direction } }, bulk);
    expect(expected).toHaveLength(2300);
    const rows = await exportRows("inventory", "jsonl", `orderBy=${field}&direction=${direction}`, bulk);
    expect(rows.map((r) => r.id)).toEqual(expected.map((n) => n.id));
  });

  it("exports conflicts, alerts and history with the GraphQL lists' filters", async () => {
    const cases: [string, string, string, string, Row][] = [
      ["conflicts", CONFLICTS, "conflicts", "status=OPEN&type=PRICE", { status: ["OPEN"], type: ["PRICE"] }],
      ["conflicts", CONFLICTS, "conflicts", "sku=SKU-001", { sku: "SKU-001" }],
      [
        "alerts",
        ALERTS,
        "alerts",
        "priority=HIGH,CRITICAL&status=OPEN",
        { priority: ["HIGH", "CRITICAL"], status: ["OPEN"] },
      ],
      [
        "history",
        HISTORY,
        "syncHistory",
        "platform=AMAZON&field=quantity",
        { platform: "AMAZON", field: "quantity" },
      ],
      [
        "history",
        HISTORY,
        "syncHistory",
        "since=2026-02-01T00:05:00.000Z",
        { since: "2026-02-01T00:05:00.000Z" },
      ],
    ];
    for (const [list, query, field, qs, filter] of cases) {
      const expected = await graphqlAll(query, field, { filter });
      expect(expected.length, `${list} ${qs}`).toBeGreaterThan(0);
      const all = await graphqlAll(query, field, {});
      expect(expected.length, `${list} ${qs} filters something`).toBeLessThan(all.length);
      for (const format of ["csv", "json", "jsonl"] as const) {
        const rows = await exportRows(list, format, qs);
        expect(
          rows.map((r) => r.id),
          `${list}.${format}?${qs}`,
        ).toEqual(expected.map((n) => n.id));
      }
    }
    const [history] = await exportRows("history", "json", "platform=AMAZON");
    expect(history).toMatchObject({ actorType: "USER", platform: "AMAZON", reason: "test" });
    expect(typeof history!.oldValue).toBe("number");
  });

  it("names the file, streams it and answers with the format's type", async () => {
    const day = new Date().toISOString().slice(0, 10);
    for (const [list, format, type] of [
      ["inventory", "csv", "text/csv"],
      ["conflicts", "json", "application/json"],
      ["history", "jsonl", "application/x-ndjson"],
    ] as const) {
      const res = await download(`/exports/${list}.${format}`);
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toContain(type);
      expect(res.headers.get("content-disposition")).toBe(
        `attachment; filename="${list}-demo-${day}.${format}"`,
      );
      expect(res.headers.get("transfer-encoding")).toBe("chunked");
    }
    const csv = await download("/exports/inventory.csv");
    expect(csv.text.split("\n")[0]).toBe(
      "id,sku,asin,title,brand,category,fulfillmentChannel,quantity,reservedQuantity,availableQuantity," +
        "inboundQuantity,unfulfillableQuantity,stockLevel,price,currency,status,condition,isBestseller," +
        "salesRank,lastSeenAt,createdAt,updatedAt",
    );
    const empty = await download("/exports/inventory.json?search=nothing-matches-this");
    expect(JSON.parse(empty.text)).toEqual([]);
    const emptyCsv = await download("/exports/alerts.csv?type=STALE_DATA");
    expect(parseCsv(emptyCsv.text, { columns: true })).toEqual([]);
  });

  it("escapes cells a spreadsheet would run as formulas, in CSV only", async () => {
    const csv = await exportRows("inventory", "csv", "orderBy=SKU");
    const json = await exportRows("inventory", "json", "orderBy=SKU");
    HOSTILE.forEach((title, i) => {
      expect(json[i]!.title).toBe(title);
      expect(csv[i]!.title).toBe(`'${title}`);
    });
    expect(csv[HOSTILE.length]!.title).toBe(json[HOSTILE.length]!.title);
    expect(csv[HOSTILE.length]!.title).not.toMatch(/^'/);
    const alerts = await exportRows("alerts", "csv");
    expect(alerts.find((a) => a.title === "demo alert 0")!.message).toBe("'=cmd|' /C calc'!A0");
    const conflicts = await exportRows("conflicts", "csv", "sku=SKU-000");
    expect(JSON.parse(conflicts[0]!.values)).toMatchObject({ AMAZON: expect.stringMatching(/^=/) });
  });

  it("is authenticated and scoped like the API", async () => {
    const anonymous = await download("/exports/inventory.csv", {});
    expect(anonymous.status).toBe(401);
    expect(JSON.parse(anonymous.text).error.code).toBe("UNAUTHENTICATED");
    expect(anonymous.headers.get("www-authenticate")).toContain("Bearer");
    const forged = await download("/exports/inventory.csv", { authorization: "Bearer not-a-token" });
    expect(forged.status).toBe(401);
    expect(JSON.parse(forged.text).error.code).toBe("UNAUTHENTICATED");

    const viewer = await server.as("demo", "VIEWER");
    for (const list of ["inventory", "conflicts", "alerts", "history"]) {
      expect((await download(`/exports/${list}.csv`, viewer)).status, list).toBe(200);
    }

    const noExports = await apiKeyOf(server.app, "demo", ["read_inventory"]);
    const refused = await download("/exports/inventory.csv", noExports.headers);
    expect(refused.status).toBe(403);
    expect(JSON.parse(refused.text).error).toMatchObject({ code: "FORBIDDEN" });
    expect(JSON.parse(refused.text).error.message).toContain("read_exports");

    const exportsOnly = await apiKeyOf(server.app, "demo", ["read_exports", "read_inventory"]);
    expect((await download("/exports/inventory.json?tenant=demo", exportsOnly.headers)).status).toBe(200);
    const conflicts = await download("/exports/conflicts.json", exportsOnly.headers);
    expect(conflicts.status).toBe(403);
    expect(JSON.parse(conflicts.text).error.message).toContain("read_conflicts");
    // A key acts only in its own tenant, by header or by parameter.
    expect((await download("/exports/inventory.json?tenant=other", exportsOnly.headers)).status).toBe(403);
    const header = { ...exportsOnly.headers, "x-tenant": "other" };
    expect((await download("/exports/inventory.json", header)).status).toBe(403);
    // A user who is not a member of the tenant named.
    const { authorization } = demoHeaders;
    expect(
      (await download("/exports/inventory.json?tenant=other", { authorization: authorization! })).status,
    ).toBe(403);
  });

  it("ends its transaction when the client goes away mid-download", async () => {
    const bulk = await server.as("bulk", "VIEWER");
    const openTransactions = async () => {
      const { rows } = await pool.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM pg_stat_activity
         WHERE usename = 'inventory_app' AND state LIKE 'idle in transaction%'`,
      );
      return rows[0]!.n;
    };
    for (let i = 0; i < 3; i++) {
      const abort = new AbortController();
      const res = await fetch(`${server.url}/exports/inventory.json`, {
        headers: bulk,
        signal: abort.signal,
      });
      expect(res.status).toBe(200);
      const reader = res.body!.getReader();
      expect((await reader.read()).done).toBe(false);
      abort.abort();
      await reader.cancel().catch(() => {});
    }
    let open = await openTransactions();
    for (let tries = 0; open > 0 && tries < 50; tries++) {
      await new Promise((r) => setTimeout(r, 100));
      open = await openTransactions();
    }
    expect(open).toBe(0);
    // Nothing leaked: exports still run, as many in a row as asked (at most two run at once).
    for (let i = 0; i < 3; i++) {
      expect(await exportRows("inventory", "jsonl", "", bulk)).toHaveLength(2300);
    }
  });

  it("never shows another tenant's rows", async () => {
    const foreign = ["OTHER-1", "Foreign", "other alert"];
    for (const list of ["inventory", "conflicts", "alerts", "history"]) {
      for (const format of ["csv", "json", "jsonl"]) {
        const res = await download(`/exports/${list}.${format}`);
        expect(res.status).toBe(200);
        for (const word of foreign) expect(res.text, `${list}.${format}`).not.toContain(word);
      }
    }
    const other = await download("/exports/alerts.json", await server.as("other", "VIEWER"));
    const titles = (JSON.parse(other.text) as Row[]).map((r) => r.title).sort();
    expect(titles).toEqual(["other alert 0", "other alert 1"]);
    const { rows } = await pool.query("SELECT count(*)::int AS n FROM alerts");
    expect(rows[0].n).toBe(14);
  });

  const HOSTILE_REQUESTS: [string, number, string | null][] = [
    ["/exports/inventory.csv?colour=red", 400, "BAD_USER_INPUT"],
    ["/exports/inventory.csv?__proto__=x", 400, "BAD_USER_INPUT"],
    ["/exports/inventory.csv?constructor=x", 400, "BAD_USER_INPUT"],
    ["/exports/inventory.csv?status=NOPE", 400, "BAD_USER_INPUT"],
    ["/exports/inventory.csv?status=ACTIVE,,NOPE", 400, "BAD_USER_INPUT"],
    ["/exports/inventory.csv?isBestseller=yes", 400, "BAD_USER_INPUT"],
    ["/exports/inventory.csv?orderBy=price", 400, "BAD_USER_INPUT"],
    ["/exports/inventory.csv?orderBy=PRICE&direction=SIDEWAYS", 400, "BAD_USER_INPUT"],
    ["/exports/inventory.csv?direction=DESC", 400, "BAD_USER_INPUT"],
    ["/exports/inventory.csv?orderBy=PRICE&orderBy=SKU", 400, "BAD_USER_INPUT"],
    ["/exports/inventory.csv?search=a&search=b", 400, "BAD_USER_INPUT"],
    ["/exports/inventory.csv?search=%00", 400, "BAD_USER_INPUT"],
    ["/exports/inventory.csv?search=%ED%A0%80", 200, null],
    [`/exports/inventory.csv?search=${"x".repeat(201)}`, 400, "BAD_USER_INPUT"],
    [
      `/exports/inventory.csv?${Array.from({ length: 1001 }, (_, i) => `category=c${i}`).join("&")}`,
      400,
      "LIST_TOO_LONG",
    ],
    ["/exports/conflicts.csv?jobId=not-an-id", 400, "INVALID_ID"],
    ["/exports/conflicts.csv?orderBy=SKU", 400, "BAD_USER_INPUT"],
    ["/exports/history.csv?since=yesterday", 400, "BAD_USER_INPUT"],
    ["/exports/history.csv?platform=AMAZON,MEDUSA", 400, "BAD_USER_INPUT"],
    ["/exports/inventory.xml", 400, "BAD_USER_INPUT"],
    ["/exports/inventory.CSV", 400, "BAD_USER_INPUT"],
    ["/exports/users.csv", 404, "NOT_FOUND"],
    ["/exports/..%2F..%2Fetc%2Fpasswd", 404, "NOT_FOUND"],
    ["/exports/inventory.csv?tenant=Not%20A%20Slug", 400, "BAD_USER_INPUT"],
    ["/exports/inventory.csv?tenant=demo&tenant=other", 400, "BAD_USER_INPUT"],
  ];

  it.each(
    HOSTILE_REQUESTS.map(([path, status, code]) => ({
      label: path.length > 90 ? `${path.slice(0, 90)}…` : path,
      path,
      status,
      code,
    })),
  )("$label answers $status $code", async ({ path, status, code }) => {
    const res = await download(path);
    expect(res.status, res.text.slice(0, 300)).toBe(status);
    if (code) {
      const body = JSON.parse(res.text);
      expect(body.error.code).toBe(code);
      expect(typeof body.error.message).toBe("string");
    }
  });
});
