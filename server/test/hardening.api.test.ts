import { createHash } from "node:crypto";
import { getIntrospectionQuery } from "graphql";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { createOwnerPool } from "../src/platform/db";
import { startTestServer, type TestServer } from "./app";
import { createTenant, insertItems } from "./factories";
import { rawRequest } from "./raw-http";
import { standardWebhookHeaders } from "./webhook-signing";

const ALLOWED_ORIGIN = "https://partner.example";
const MODERN = { accept: "application/graphql-response+json, application/json" };
const LEGACY = { accept: "application/json" };

const b64 = (text: string) => Buffer.from(text).toString("base64url");
// biome-ignore lint/suspicious/noExplicitAny: response bodies are read as JSON
type Json = any;
const codeOf = (res: Json) => res.errors?.[0]?.extensions?.code;
const json = async (res: Response): Promise<Json> => res.json();

describe("hostile input gets a clear error with a code, never a 500", () => {
  let server: TestServer;
  let connections: Record<"AMAZON" | "MEDUSA", string>;

  beforeAll(async () => {
    server = await startTestServer(async (dbUrl) => {
      const pool = createOwnerPool(dbUrl);
      const tenant = await createTenant(pool, "demo");
      connections = tenant.connections;
      await insertItems(pool, tenant, [{ sku: "HARD-1", title: "Hard one", brand: "Acme" }]);
      await pool.end();
      return { CORS_ORIGINS: ALLOWED_ORIGIN };
    });
  });

  afterAll(async () => {
    await server?.close();
  });

  const post = (body: string, headers: Record<string, string> = {}) =>
    fetch(`${server.url}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json", ...MODERN, ...headers },
      body,
    });

  describe("the HTTP request itself", () => {
    const cases: [string, string][] = [
      [
        "no Host header",
        "POST /graphql HTTP/1.1\r\ncontent-type: application/json\r\ncontent-length: 2\r\n\r\n{}",
      ],
      [
        "an empty Host header",
        "GET /graphql?query=%7B__typename%7D HTTP/1.1\r\nHost:\r\nconnection: close\r\n\r\n",
      ],
      ["an HTTP/1.0 request line without Host", "GET /graphql?query=%7B__typename%7D HTTP/1.0\r\n\r\n"],
      ["a Host that is not an authority", "GET /graphql HTTP/1.1\r\nHost: a b%\r\nconnection: close\r\n\r\n"],
    ];
    for (const [name, request] of cases) {
      it(`answers ${name} with 400`, async () => {
        const res = await rawRequest(server.url, request);
        expect(res.status).toBe(400);
        expect(res.body).not.toMatch(/Invalid URL|node_modules|at .*:\d+:\d+/);
      });
    }

    it("serves an HTTP/1.0 request that names its Host", async () => {
      const res = await rawRequest(server.url, "GET /healthz HTTP/1.0\r\nHost: localhost\r\n\r\n");
      expect(res.status).toBe(200);
    });

    it("refuses a body nested deeper than the limit before parsing it", async () => {
      const deep = `${"[".repeat(100_000)}${"]".repeat(100_000)}`;
      const res = await post(`{"query":"{__typename}","variables":{"x":${deep}}}`);
      expect(res.status).toBe(400);
      expect(await res.json()).toEqual({
        errors: [{ message: "The body nests deeper than 64 levels", extensions: { code: "BAD_REQUEST" } }],
      });
    });

    it("answers a body that is not JSON, or names __proto__, with BAD_REQUEST and no parser message", async () => {
      for (const body of ['{"query": ', '{"__proto__": {"x": 1}, "query": "{__typename}"}']) {
        const res = await post(body);
        expect(res.status).toBe(400);
        expect(await res.json()).toEqual({
          errors: [{ message: "The body is not JSON", extensions: { code: "BAD_REQUEST" } }],
        });
      }
    });
  });

  describe("strings PostgreSQL cannot store", () => {
    const cases: [string, string, Record<string, unknown>, string][] = [
      [
        "a NUL in a search",
        "query($s: String) { inventory(filter: { search: $s }) { totalCount } }",
        { s: "a\u0000b" },
        "filter.search",
      ],
      [
        "a lone surrogate in a search",
        "query($s: String) { inventory(filter: { search: $s }) { totalCount } }",
        { s: "a\ud800" },
        "filter.search",
      ],
      [
        "a NUL in a filter list",
        "query($b: [String!]) { inventory(filter: { brand: $b }) { totalCount } }",
        { b: ["ok", "x\u0000"] },
        "filter.brand.1",
      ],
      ["a NUL in an id", "query($id: ID!) { node(id: $id) { id } }", { id: "\u0000" }, "id"],
      [
        "a NUL in a SKU",
        "mutation($i: BulkUpdateInventoryInput!) { bulkUpdateInventory(input: $i) { userErrors { code } } }",
        { i: { updates: [{ sku: "HARD-1\u0000", quantity: 1 }] } },
        "input.updates.0.sku",
      ],
      [
        "a lone surrogate inside JSON credentials",
        "mutation($i: UpdatePlatformConnectionInput!) { updatePlatformConnection(input: $i) { userErrors { code } } }",
        { i: { id: "ID", credentials: { apiKey: "sk_\udc00" } } },
        "input.credentials.apiKey",
      ],
      [
        "a NUL in a literal",
        '{ inventory(filter: { search: "a\\u0000" }) { totalCount } }',
        {},
        "filter.search",
      ],
    ];
    for (const [name, query, variables, field] of cases) {
      it(`rejects ${name} with BAD_USER_INPUT naming ${field}`, async () => {
        const vars = JSON.parse(
          JSON.stringify(variables).replace(
            '"ID"',
            JSON.stringify(b64(`PlatformConnection:${connections.MEDUSA}`)),
          ),
        );
        const res = await server.gql(query, vars);
        expect(res.status).toBe(400);
        expect(res.errors).toHaveLength(1);
        expect(res.errors![0]!.extensions).toEqual({ code: "BAD_USER_INPUT", field });
        expect(res.data).toBeUndefined();
      });
    }

    it("answers 200 with the same code to a client that accepts only application/json", async () => {
      const res = await server.gql(
        "query($s: String) { inventory(filter: { search: $s }) { totalCount } }",
        { s: "\u0000" },
        LEGACY,
      );
      expect(res.status).toBe(200);
      expect(codeOf(res)).toBe("BAD_USER_INPUT");
    });
  });

  describe("names a request chooses", () => {
    it("finds no Node type named after Object's prototype", async () => {
      for (const type of ["constructor", "__proto__", "toString", "hasOwnProperty"]) {
        const id = b64(`${type}:00000000-0000-4000-8000-000000000000`);
        const one = await server.gql("query($id: ID!) { node(id: $id) { id } }", { id });
        expect(codeOf(one), type).toBe("INVALID_ID");
        const many = await server.gql("query($ids: [ID!]!) { nodes(ids: $ids) { id } }", { ids: [id] });
        expect(codeOf(many), type).toBe("INVALID_ID");
      }
    });

    it("finds no webhook endpoint named after Object's prototype", async () => {
      for (const name of ["constructor", "__proto__", "toString"]) {
        const res = await fetch(`${server.url}/webhooks/${name}`, { method: "POST", body: "{}" });
        expect(res.status, name).toBe(401);
        const text = await res.text();
        expect(JSON.parse(text).error.code).toBe("UNKNOWN_ENDPOINT");
        expect(text).not.toMatch(/\/work\/|\.ts|at /);
      }
    });
  });

  describe("cursors", () => {
    const connectionFields: [string, string][] = [
      ["inventory", "title:asc"],
      ["alerts", "createdAt:desc"],
      ["conflicts", "createdAt:desc"],
      ["syncJobs", "createdAt:desc"],
      ["syncHistory", "createdAt:desc"],
    ];
    const forged = (key: string) => [
      [key, "x", "not-a-uuid"],
      [key, 42, "00000000-0000-4000-8000-000000000000"],
      [key, "2026-01-01T00:00:00.000Z\u0000", "00000000-0000-4000-8000-000000000000"],
      [key, null, "00000000-0000-4000-8000-000000000000"],
      [key, { $gt: "" }, "00000000-0000-4000-8000-000000000000"],
    ];
    for (const [field, key] of connectionFields) {
      it(`answers a cursor of the wrong shape on ${field} with INVALID_CURSOR`, async () => {
        for (const cursor of forged(key)) {
          const res = await server.gql(
            `query($a: String) { ${field}(after: $a) { pageInfo { hasNextPage } } }`,
            {
              a: b64(JSON.stringify(cursor)),
            },
          );
          expect(codeOf(res), JSON.stringify(cursor)).toBe("INVALID_CURSOR");
        }
      });
    }

    it("still reads a cursor it made", async () => {
      const first = await server.gql("{ inventory(first: 1) { pageInfo { endCursor } } }");
      const next = await server.gql("query($a: String) { inventory(after: $a) { nodes { sku } } }", {
        a: first.data!.inventory.pageInfo.endCursor,
      });
      expect(next.errors).toBeUndefined();
    });
  });

  describe("values out of range, lists too long, operations over the wrong transport", () => {
    it("answers a date PostgreSQL cannot hold with BAD_USER_INPUT and 400", async () => {
      for (const since of ["0000-01-01T00:00:00Z", "0001-01-01T00:00:00+01:00"]) {
        const res = await server.gql(
          "query($d: DateTime) { syncHistory(filter: { since: $d }) { totalCount } }",
          {
            d: since,
          },
        );
        expect(res.status, since).toBe(400);
        expect(codeOf(res), since).toBe("BAD_USER_INPUT");
      }
      const literal = await server.gql(
        '{ syncHistory(filter: { since: "0000-01-01T00:00:00Z" }) { totalCount } }',
      );
      expect(literal.status).toBe(400);
      expect(codeOf(literal)).toBe("GRAPHQL_VALIDATION_FAILED");
    });

    it("answers a filter list of 50,000 values with LIST_TOO_LONG and 400", async () => {
      for (const [arg, value] of [
        ["brand: $v", Array.from({ length: 50_000 }, (_, i) => `b${i}`)],
        ["status: $v", Array.from({ length: 50_000 }, () => "ACTIVE")],
      ] as const) {
        const type = arg.startsWith("brand") ? "[String!]" : "[ListingStatus!]";
        const res = await server.gql(`query($v: ${type}) { inventory(filter: { ${arg} }) { totalCount } }`, {
          v: value,
        });
        expect(res.status).toBe(400);
        expect(res.errors![0]!.extensions).toMatchObject({ code: "LIST_TOO_LONG" });
      }
    });

    it("answers a subscription sent over HTTP with SUBSCRIPTION_NOT_SUPPORTED and 400", async () => {
      const res = await server.gql("subscription { syncJobsUpdated { id } }");
      expect(res.status).toBe(400);
      expect(codeOf(res)).toBe("SUBSCRIPTION_NOT_SUPPORTED");
    });

    it("answers persisted-query mistakes with their own codes and 400", async () => {
      const query = "{ __typename }";
      const wrong = await post(
        JSON.stringify({ query, extensions: { persistedQuery: { version: 1, sha256Hash: "0".repeat(64) } } }),
      );
      expect(wrong.status).toBe(400);
      expect(codeOf(await json(wrong))).toBe("PERSISTED_QUERY_HASH_MISMATCH");
      const sha256Hash = createHash("sha256").update(query).digest("hex");
      const version = await post(
        JSON.stringify({ query, extensions: { persistedQuery: { version: 2, sha256Hash } } }),
      );
      expect(version.status).toBe(400);
      expect(codeOf(await json(version))).toBe("PERSISTED_QUERY_VERSION_UNSUPPORTED");
      const right = await post(
        JSON.stringify({ query, extensions: { persistedQuery: { version: 1, sha256Hash } } }),
      );
      expect((await json(right)).data).toEqual({ __typename: "Query" });
    });

    it("refuses a percentage with spaces around it", async () => {
      const res = await server.gql(
        "mutation($i: UpdatePlatformSyncSettingsInput!) { updatePlatformSyncSettings(input: $i) { userErrors { code } } }",
        { i: { maxPriceVariancePct: " 5.00 " } },
      );
      expect(res.status).toBe(400);
      expect(codeOf(res)).toBe("BAD_USER_INPUT");
    });

    it("refuses a price with spaces around it, row by row", async () => {
      const res = await server.gql(
        "mutation($i: BulkUpdateInventoryInput!) { bulkUpdateInventory(input: $i) { userErrors { field code } } }",
        { i: { updates: [{ sku: "HARD-1", price: " 19.99 " }] } },
      );
      expect(res.data!.bulkUpdateInventory.userErrors).toEqual([
        { field: ["updates", "0", "price"], code: "INVALID_PRICE" },
      ]);
    });
  });

  describe("connection settings a marketplace does not know", () => {
    const UPDATE =
      "mutation($i: UpdatePlatformConnectionInput!) { updatePlatformConnection(input: $i) { connection { id } userErrors { field code } } }";
    const update = (kind: "AMAZON" | "MEDUSA", fields: Record<string, unknown>) =>
      server.gql(UPDATE, { i: { id: b64(`PlatformConnection:${connections[kind]}`), ...fields } });
    const errorsOf = (res: Awaited<ReturnType<typeof update>>) =>
      res.data!.updatePlatformConnection.userErrors.map(
        (e: { field: string[]; code: string }) => `${e.field.join(".")}:${e.code}`,
      );

    it("refuses a region on Medusa, which has none", async () => {
      expect(errorsOf(await update("MEDUSA", { region: "EU" }))).toEqual(["input.region:INVALID"]);
      expect(errorsOf(await update("MEDUSA", { marketplaceId: "ATVPDKIKX0DER" }))).toEqual([
        "input.marketplaceId:INVALID",
      ]);
    });

    it("refuses an unknown Amazon marketplace, and one outside the connection's region", async () => {
      expect(errorsOf(await update("AMAZON", { marketplaceId: "NOT-A-MARKETPLACE" }))).toEqual([
        "input.marketplaceId:INVALID",
      ]);
      expect(errorsOf(await update("AMAZON", { region: "EU", marketplaceId: "ATVPDKIKX0DER" }))).toEqual([
        "input.marketplaceId:INVALID",
      ]);
      expect(errorsOf(await update("AMAZON", { region: "EU", marketplaceId: "A1PA6795UKMFR9" }))).toEqual([]);
    });
  });

  describe("introspection", () => {
    it("answers the standard introspection query within the limits", async () => {
      const res = await server.gql(getIntrospectionQuery({ descriptions: true, specifiedByUrl: true }));
      expect(res.errors).toBeUndefined();
      expect(res.data!.__schema.queryType.name).toBe("Query");
    });

    it("counts introspection against the depth limit like any other query", async () => {
      let nested = "name";
      for (let i = 0; i < 10; i++) nested = `fields { type { ${nested} } }`;
      const res = await server.gql(`{ __schema { types { ${nested} } } }`);
      expect(res.status).toBe(400);
      expect(codeOf(res)).toBe("GRAPHQL_VALIDATION_FAILED");
    });

    it("counts introspection against the cost limit like any other query", async () => {
      // The standard query reads the schema once within the limit; reading its types twice is over it.
      const twice = getIntrospectionQuery().replace(
        "query IntrospectionQuery {",
        "query IntrospectionQuery { again: __schema { types { ...FullType } }",
      );
      const res = await server.gql(twice);
      expect(res.status).toBe(400);
      expect(res.errors![0]!.message).toMatch(/Cost limit/);
    });
  });

  describe("unexpected errors", () => {
    it("answers with an error id and nothing of the cause", async () => {
      await server.app.ownerPool.query("REVOKE SELECT ON alerts FROM inventory_app");
      try {
        const res = await server.gql("{ alerts { nodes { id } } }");
        expect(res.errors![0]!.extensions).toEqual({
          code: "INTERNAL_SERVER_ERROR",
          errorId: expect.stringMatching(/^[0-9a-f-]{36}$/),
        });
        expect(res.errors![0]!.message).toBe("Internal server error");
        expect(JSON.stringify(res)).not.toMatch(/permission|denied|prisma|select|\.ts\b/i);
      } finally {
        await server.app.ownerPool.query("GRANT SELECT ON alerts TO inventory_app");
      }
    });
  });

  describe("webhook bodies", () => {
    let endpoint: { path: string; secret: string };
    beforeAll(async () => {
      const res = await server.gql("{ platformConnections { kind webhook { url secret } } }");
      const amazon = res.data!.platformConnections.find((c: { kind: string }) => c.kind === "AMAZON");
      endpoint = { path: new URL(amazon.webhook.url).pathname, secret: amazon.webhook.secret };
    });
    const send = (body: string) =>
      fetch(`${server.url}${endpoint.path}`, {
        method: "POST",
        headers: { "content-type": "application/json", ...standardWebhookHeaders(endpoint.secret, body) },
        body,
      });

    it("refuses a body nested 100,000 levels deep without parsing it", async () => {
      const res = await send(`{"a":${"[".repeat(100_000)}${"]".repeat(100_000)}}`);
      expect(res.status).toBe(400);
      expect((await json(res)).error.code).toBe("PAYLOAD_TOO_DEEP");
    });

    it("refuses a body over the size cap with 413", async () => {
      const res = await send(JSON.stringify({ pad: "x".repeat(2 * 1024 * 1024) }));
      expect(res.status).toBe(413);
      expect((await json(res)).error.code).toBe("PAYLOAD_TOO_LARGE");
    });

    it("refuses a NUL or a lone surrogate in any string", async () => {
      for (const [body, code] of [
        [
          '{"NotificationType":"LISTINGS_ITEM_MFN_QUANTITY_CHANGE","Payload":{"Sku":"A\\u0000"}}',
          "NUL_CHARACTER",
        ],
        ['{"NotificationType":"X","Payload":{"\\ud800":1}}', "LONE_SURROGATE"],
      ] as const) {
        const res = await send(body);
        expect(res.status).toBe(400);
        expect((await json(res)).error.code).toBe(code);
      }
    });
  });

  describe("WebSocket upgrades", () => {
    const open = (headers: Record<string, string>) =>
      new Promise<number>((resolve) => {
        const ws = new WebSocket(`${server.url.replace("http", "ws")}/graphql`, "graphql-transport-ws", {
          headers,
        });
        ws.on("open", () => {
          ws.close();
          resolve(101);
        });
        ws.on("unexpected-response", (_req, res) => resolve(res.statusCode ?? 0));
        ws.on("error", () => resolve(0));
      });

    it("refuses a page on a foreign origin", async () => {
      expect(await open({ origin: "https://evil.example" })).toBe(403);
      expect(await open({ origin: "null" })).toBe(403);
    });

    it("accepts the dashboard's own origin, the configured CORS origins and non-browser clients", async () => {
      const { host } = new URL(server.url);
      expect(await open({ origin: `http://${host}` })).toBe(101);
      expect(await open({ origin: ALLOWED_ORIGIN })).toBe(101);
      expect(await open({})).toBe(101);
    });

    it("answers variables that do not coerce, or hold a NUL, with BAD_USER_INPUT over the socket too", async () => {
      const query = "subscription($j: ID!) { syncJobProgress(jobId: $j) { id } }";
      for (const [variables, field] of [
        [{ j: null }, undefined],
        [{ j: "\u0000" }, "jobId"],
      ] as const) {
        const credentials = await server.as("demo");
        const answer = await new Promise<Json>((resolve) => {
          const ws = new WebSocket(`${server.url.replace("http", "ws")}/graphql`, "graphql-transport-ws");
          ws.on("open", () => ws.send(JSON.stringify({ type: "connection_init", payload: credentials })));
          ws.on("message", (data) => {
            const message = JSON.parse(String(data));
            if (message.type === "connection_ack") {
              ws.send(JSON.stringify({ id: "1", type: "subscribe", payload: { query, variables } }));
            } else if (message.id === "1") {
              ws.close();
              resolve(message);
            }
          });
        });
        expect(answer.type).toBe("error");
        expect(answer.payload[0].extensions).toEqual(
          field ? { code: "BAD_USER_INPUT", field } : { code: "BAD_USER_INPUT" },
        );
      }
    });

    it("closes a socket whose connectionParams name the tenant with anything but a string", async () => {
      for (const tenant of [42, ["demo"], { slug: "demo" }, "de\u0000mo"]) {
        const closed = await new Promise<{ code: number; reason: string }>((resolve) => {
          const ws = new WebSocket(`${server.url.replace("http", "ws")}/graphql`, "graphql-transport-ws");
          ws.on("open", () =>
            ws.send(JSON.stringify({ type: "connection_init", payload: { "x-tenant": tenant } })),
          );
          ws.on("close", (code, reason) => resolve({ code, reason: reason.toString() }));
        });
        expect(closed.code, JSON.stringify(tenant)).toBe(4400);
        expect(closed.reason).toMatch(/^connectionParams\.x-tenant /);
      }
    });
  });
});
