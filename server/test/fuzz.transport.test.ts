import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { HOSTILE_STRINGS, hostileString } from "./fuzz/arbitraries";
import { expectClean, expectNoChangeIfRefused } from "./fuzz/checks";
import { FUZZ_RUNS, FUZZ_SEED, type FuzzWorld, startFuzzWorld } from "./fuzz/world";
import { rawRequest } from "./raw-http";
import { standardWebhookHeaders } from "./webhook-signing";

/**
 * Malformed HTTP requests, WebSocket frames and webhook bodies (fast-check): never a 5xx, an internal error or an
 * internal detail in an answer, a socket closed as an internal error, or data changed by a refused request.
 */
describe("fuzz: malformed HTTP, WebSocket frames and webhook bodies", () => {
  let world: FuzzWorld;

  beforeAll(async () => {
    world = await startFuzzWorld();
  });

  afterAll(async () => {
    await world?.close();
  });

  const expectAlive = async () => {
    const res = await fetch(`${world.server.url}/healthz`);
    expect(res.status).toBe(200);
  };

  describe("HTTP requests no client would send", () => {
    const json = (value: unknown) => JSON.stringify(value);
    const body = fc.oneof(
      fc.constantFrom(
        "",
        "{",
        "null",
        "[]",
        "[{}]",
        '"query"',
        "{}",
        json({ query: 1 }),
        json({ query: null }),
        json({ query: "{ __typename }", variables: "x" }),
        json({ query: "{ __typename }", variables: [] }),
        json({ query: "{ __typename }", operationName: 5 }),
        json({ query: "{ __typename }", extensions: "x" }),
        json({ query: "{ __typename }", extensions: { persistedQuery: { version: 1, sha256Hash: "x" } } }),
        json({ extensions: { persistedQuery: { version: 1, sha256Hash: "0".repeat(64) } } }),
        json([{ query: "{ __typename }" }, { query: "{ __typename }" }]),
        json({ query: "subscription { syncJobsUpdated { id } }" }),
        json({ query: "mutation { resolveAlerts(ids: []) { userErrors { code } } }" }),
        json({ query: "{ __typename } { __typename }" }),
        json({ query: "query A { __typename } query A { __typename }", operationName: "A" }),
        json({ query: `{ ${"a: __typename ".repeat(5000)} }` }),
        '{"__proto__": {"query": "{ __typename }"}}',
        `{"query":"{ __typename }","variables":{"x":${"[".repeat(5000)}${"]".repeat(5000)}}}`,
        "\u0000\u0001\u0002",
        "\uFEFF{}",
      ),
      hostileString().map((q) => json({ query: q })),
      hostileString().map((v) =>
        json({
          query: "query($v: String) { inventory(filter: { search: $v }) { totalCount } }",
          variables: { v },
        }),
      ),
      fc.uint8Array({ maxLength: 64 }).map((bytes) => Buffer.from(bytes).toString("latin1")),
    );
    const requestLine = fc.tuple(
      fc.constantFrom("GET", "POST", "PUT", "DELETE", "OPTIONS", "HEAD", "PATCH", "BREW", "G E T", ""),
      fc.constantFrom(
        "/graphql",
        "/graphql?query=%7B__typename%7D",
        "/graphql?query=mutation%7B__typename%7D",
        "/graphql?query=%ZZ",
        "/graphql?query=%7B__typename%7D&query=x",
        "/graphql?variables=%7B&query=%7B__typename%7D",
        "/webhooks/amazon",
        "/webhooks/constructor",
        "/webhooks/__proto__/demo",
        "/webhooks/amazon/__proto__",
        "/webhooks/amazon/..%2f..%2fetc",
        "/healthz",
        "/readyz",
        "/ide/../../package.json",
        "/%2e%2e/%2e%2e/etc/passwd",
        "//graphql",
        "*",
        "http://evil.example/graphql",
        `/${"a".repeat(9000)}`,
      ),
      fc.constantFrom("HTTP/1.1", "HTTP/1.0", "HTTP/0.9", "HTTP/2.0", "HTTP/1.1 x", ""),
    );
    const header = fc.constantFrom(
      "Host: localhost",
      "Host:",
      "Host: a b%",
      "Host: [::1",
      "Host: localhost:99999",
      "Content-Type: application/json",
      "Content-Type: application/json; charset=latin1",
      "Content-Type: text/plain",
      "Content-Type: application/graphql",
      "Content-Type: multipart/form-data; boundary=x",
      "Content-Type: application/x-www-form-urlencoded",
      "Content-Type: ;;;",
      "Content-Length: -1",
      "Content-Length: abc",
      "Content-Length: 99999999999999999999",
      "Transfer-Encoding: chunked",
      "Transfer-Encoding: gzip, chunked",
      "Accept: application/graphql-response+json",
      "Accept: text/html",
      "Accept: application/xml",
      "Accept: */*;q=x",
      "x-tenant: ",
      "x-tenant: DEMO",
      "x-tenant: ../demo",
      `x-tenant: ${"a".repeat(70)}`,
      "x-tenant: constructor",
      "x-api-key: sk_\u00ff\u00fe",
      "x-request-id: \u00ff",
      "Upgrade: websocket",
      "Connection: Upgrade",
      "Expect: 100-continue",
      `X-Big: ${"x".repeat(20_000)}`,
    );

    it("answers every one with a status below 500 and nothing internal", async () => {
      await fc.assert(
        fc.asyncProperty(
          requestLine,
          fc.array(header, { maxLength: 5 }),
          body,
          async ([method, path, version], headers, text) => {
            const credentials = Object.entries(world.credentials.headers).map(([k, v]) => `${k}: ${v}`);
            const framed = headers.some((h) => /^(content-length|transfer-encoding)/i.test(h))
              ? headers
              : [...headers, `Content-Length: ${Buffer.byteLength(text, "latin1")}`];
            const request = `${method} ${path} ${version}\r\n${[...credentials, ...framed, "Connection: close"].join("\r\n")}\r\n\r\n${text}`;
            const what = JSON.stringify(request.slice(0, 300));
            await expectNoChangeIfRefused(world, what, async () => {
              const res = await rawRequest(world.server.url, Buffer.from(request, "latin1"));
              expectClean(res.status, `${res.head}\n\n${res.body}`, what);
              return { refused: res.status === 0 || res.status >= 400 };
            });
          },
        ),
        { numRuns: FUZZ_RUNS * 6, seed: FUZZ_SEED },
      );
      await expectAlive();
    });
  });

  describe("WebSocket frames", () => {
    const subscribe = (payload: unknown, id: unknown = "1") =>
      JSON.stringify({ id, type: "subscribe", payload });
    const frame = fc.oneof(
      fc.constantFrom(
        JSON.stringify({ type: "connection_init" }),
        JSON.stringify({ type: "connection_init", payload: "x" }),
        JSON.stringify({ type: "connection_init", payload: [] }),
        JSON.stringify({ type: "connection_init", payload: { "x-tenant": 42 } }),
        JSON.stringify({ type: "connection_init", payload: { "x-tenant": { $ne: 1 } } }),
        JSON.stringify({ type: "connection_init", payload: { "x-tenant": "nobody" } }),
        JSON.stringify({ type: "connection_init", payload: { "x-api-key": "sk_\u0000" } }),
        JSON.stringify({ type: "ping" }),
        JSON.stringify({ type: "pong" }),
        JSON.stringify({ type: "complete", id: "nope" }),
        JSON.stringify({ type: "unknown" }),
        JSON.stringify({ type: "subscribe" }),
        subscribe({ query: "subscription { syncJobsUpdated { id } }" }),
        subscribe({ query: "subscription { syncJobsUpdated { id } }" }, 7),
        subscribe({
          query: "subscription($j: ID!) { syncJobProgress(jobId: $j) { id } }",
          variables: { j: null },
        }),
        subscribe({ query: "subscription($j: ID!) { syncJobProgress(jobId: $j) { id } }", variables: "x" }),
        subscribe({ query: 42 }),
        subscribe({ query: "{ __typename }", operationName: 7 }),
        subscribe({ query: "mutation { resolveAlerts(ids: []) { userErrors { code } } }" }),
        subscribe({ query: `{ ${"a: __typename ".repeat(5000)} }` }),
        "{",
        "",
        "null",
        "[]",
        "\u0000",
      ),
      hostileString().map((s) =>
        subscribe({
          query: "query($v: String) { inventory(filter: { search: $v }) { totalCount } }",
          variables: { v: s },
        }),
      ),
      hostileString().map((s) => subscribe({ query: s })),
      hostileString().map((s) => JSON.stringify({ type: "connection_init", payload: { "x-tenant": s } })),
      fc.uint8Array({ maxLength: 32 }).map((bytes) => Buffer.from(bytes)),
    );

    /** The id of a query or mutation frame, which the server must answer (error, or next then complete). */
    const answeredId = (frame: string | Buffer): string | undefined => {
      try {
        const message = JSON.parse(String(frame));
        const query = message?.payload?.query;
        if (message?.type !== "subscribe" || typeof message.id !== "string" || typeof query !== "string")
          return undefined;
        return /^\s*subscription\b/.test(query) ? undefined : message.id;
      } catch {
        return undefined;
      }
    };

    it("never closes a socket as an internal error nor answers one", async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.boolean(),
          fc.array(frame, { minLength: 1, maxLength: 6 }),
          async (initFirst, frames) => {
            const what = JSON.stringify(frames.map(String)).slice(0, 400);
            const received: string[] = [];
            const closed = await new Promise<{ code: number; reason: string }>((resolve) => {
              // Done when the last ping's pong is in and every query or mutation sent has its answer (live
              // subscriptions may say nothing), or when the server closes the socket.
              const pending = new Set(frames.map(answeredId).filter((id): id is string => id !== undefined));
              let ponged = false;
              const ws = new WebSocket(
                `${world.server.url.replace("http", "ws")}/graphql`,
                "graphql-transport-ws",
              );
              const settle = () => {
                if (ponged && pending.size === 0) ws.close(1000);
              };
              ws.on("open", () => {
                if (initFirst) {
                  ws.send(
                    JSON.stringify({ type: "connection_init", payload: world.credentials.connectionParams }),
                  );
                }
                for (const f of frames) ws.send(f);
                ws.send(JSON.stringify({ type: "ping", payload: { last: true } }));
              });
              ws.on("message", (data) => {
                const text = String(data);
                received.push(text);
                const message = JSON.parse(text);
                if (message.type === "pong" && message.payload?.last) ponged = true;
                if (message.type === "error" || message.type === "complete") pending.delete(message.id);
                settle();
              });
              ws.on("close", (code, reason) => resolve({ code, reason: reason.toString() }));
              ws.on("error", () => {});
            });
            expect([1011, 4500], `${what} closed with ${closed.code} ${closed.reason}`).not.toContain(
              closed.code,
            );
            expectClean(200, `${closed.reason}\n${received.join("\n")}`, what);
          },
        ),
        { numRuns: FUZZ_RUNS * 4, seed: FUZZ_SEED },
      );
      await expectAlive();
    });
  });

  describe("webhook bodies", () => {
    const notification = (skus: string[]) =>
      fc.oneof(
        fc.record(
          {
            NotificationType: fc.constantFrom(
              "LISTINGS_ITEM_MFN_QUANTITY_CHANGE",
              "LISTINGS_ITEM_STATUS_CHANGE",
              "FBA_INVENTORY_AVAILABILITY_CHANGES",
              "FEED_PROCESSING_FINISHED",
              "ANY_OFFER_CHANGED",
              "__proto__",
              "",
            ),
            NotificationMetadata: fc.record(
              { NotificationId: fc.oneof(fc.uuid(), hostileString(), fc.integer()) },
              { requiredKeys: [] },
            ),
            EventTime: fc.oneof(
              fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
              hostileString(),
            ),
            Payload: fc.record(
              {
                Sku: fc.oneof(fc.constantFrom(...skus, "x"), hostileString(), fc.integer()),
                SKU: fc.oneof(fc.constantFrom(...skus, "x"), hostileString()),
                Quantity: fc.oneof(
                  fc.integer({ min: -5, max: 500 }),
                  fc.constantFrom(1.5, 2 ** 53, "3", null),
                ),
                Status: fc.oneof(fc.constant(["BUYABLE"]), fc.constant([]), hostileString()),
                FulfillmentInventoryByMarketplace: fc.constantFrom(
                  [{ MarketplaceId: "ATVPDKIKX0DER", FulfillmentInventory: { Fulfillable: 1 } }],
                  [{ MarketplaceId: "ATVPDKIKX0DER", FulfillmentInventory: { Fulfillable: -1 } }],
                  "x",
                  [null],
                ),
              },
              { requiredKeys: [] },
            ),
          },
          { requiredKeys: [] },
        ),
        fc.record({
          name: fc.constantFrom("inventory-level.updated", "product-variant.updated", "x"),
          data: fc.oneof(fc.record({ id: hostileString() }), fc.jsonValue({ maxDepth: 2 })),
          id: hostileString(),
        }),
        fc.jsonValue({ maxDepth: 3 }),
      );
    const rawBody = (skus: string[]) =>
      fc.oneof(
        { weight: 6, arbitrary: notification(skus).map((n) => JSON.stringify(n)) },
        {
          weight: 1,
          arbitrary: fc.constantFrom(
            "",
            "{",
            "[]",
            "null",
            '"x"',
            `{"a":${"[".repeat(100_000)}${"]".repeat(100_000)}}`,
            '{"Message":"{not json"}',
            '{"Body":"[1,2"}',
            '{"NotificationType":"LISTINGS_ITEM_MFN_QUANTITY_CHANGE","Payload":{"Sku":"\\u0000","Quantity":1}}',
            '{"NotificationType":"X","Payload":{"\\ud800":1}}',
            ...HOSTILE_STRINGS.slice(0, 5),
          ),
        },
      );
    const route = () =>
      fc.constantFrom(
        world.webhooks.AMAZON,
        world.webhooks.MEDUSA,
        { path: "/webhooks/we_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", secret: world.webhooks.AMAZON.secret },
        { path: "/webhooks/__proto__", secret: world.webhooks.AMAZON.secret },
      );

    it("answers every one with a status below 500, and a refused one changes nothing", async () => {
      await fc.assert(
        fc.asyncProperty(route(), rawBody(world.known.skus), fc.boolean(), async (endpoint, text, signed) => {
          const what = `${endpoint.path} ${text.slice(0, 300)}`;
          await expectNoChangeIfRefused(world, what, async () => {
            const res = await fetch(`${world.server.url}${endpoint.path}`, {
              method: "POST",
              headers: {
                "content-type": "application/json",
                ...(signed
                  ? standardWebhookHeaders(endpoint.secret, text)
                  : { "webhook-id": "msg_x", "webhook-timestamp": "1", "webhook-signature": "v1,AAAA" }),
              },
              body: text,
            });
            expectClean(res.status, await res.text(), what);
            // An accepted event is processed right after the answer: let that finish before comparing.
            await world.server.app.services.webhookIntake.drain();
            return { refused: res.status >= 400 };
          });
        }),
        { numRuns: FUZZ_RUNS * 4, seed: FUZZ_SEED },
      );
      await expectAlive();
    });
  });
});
