import { createClient } from "graphql-ws";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { accessRuleOf } from "../src/graphql/access";
import { toGlobalId } from "../src/graphql/global-id";
import { ALL_SCOPES, ROLE_SCOPES } from "../src/platform/auth/scopes";
import { createOwnerPool } from "../src/platform/db";
import { startTestServer, type TestServer } from "./app";
import { apiKeyOf } from "./auth";
import { createTenant, insertItems } from "./factories";
import { rootOperations } from "./schema-operations";

/** Every table a request could change, as one fingerprint per table (row contents included). */
export async function fingerprint(server: TestServer): Promise<Record<string, string>> {
  const tables = [
    "products",
    "seller_inventory",
    "product_listings",
    "platform_connections",
    "platform_sync_settings",
    "sync_jobs",
    "sync_job_items",
    "sync_conflicts",
    "alerts",
    "sync_history",
    "webhook_events",
    "idempotency_keys",
    "memberships",
    "invitations",
    "users",
    "password_resets",
  ];
  const out: Record<string, string> = {};
  for (const table of tables) {
    const { rows } = await server.app.ownerPool.query(
      `SELECT count(*)::int AS n, md5(coalesce(string_agg(t::text, ',' ORDER BY t::text), '')) AS h FROM ${table} t`,
    );
    out[table] = `${rows[0].n}:${rows[0].h}`;
  }
  // Keys: everything but when they were last used.
  const { rows } = await server.app.ownerPool.query(
    "SELECT count(*)::int AS n, md5(coalesce(string_agg(id::text || name || coalesce(revoked_at::text, ''), ',' ORDER BY id), '')) AS h FROM api_keys",
  );
  out.api_keys = `${rows[0].n}:${rows[0].h}`;
  return out;
}

describe("who may call what", () => {
  let server: TestServer;
  let operations: ReturnType<typeof rootOperations>;

  beforeAll(async () => {
    server = await startTestServer(async (dbUrl) => {
      const pool = createOwnerPool(dbUrl);
      try {
        const demo = await createTenant(pool, "demo");
        await insertItems(pool, demo, [{ sku: "A-1", title: "Alpha", quantity: 5 }]);
      } finally {
        await pool.end();
      }
    });
    operations = rootOperations(server.app.schema);
  });

  afterAll(async () => {
    await server?.close();
  });

  it("declares an access rule on every root field of Query, Mutation and Subscription", async () => {
    const missing = operations.filter((op) => !op.rule).map((op) => `${op.kind} ${op.field}`);
    expect(missing).toEqual([]);
    expect(operations.length).toBeGreaterThan(40);
    // Public fields are the sign-in flow's only.
    expect(
      operations
        .filter((op) => op.rule?.kind === "public")
        .map((op) => op.field)
        .sort(),
    ).toEqual([
      "acceptInvitation",
      "refreshSession",
      "requestPasswordReset",
      "resetPassword",
      "signIn",
      "signOut",
    ]);
  });

  it("declares a scope on the sensitive nested fields: credentials metadata and team members' emails", async () => {
    const schema = server.app.schema;
    const connection = schema.getType("PlatformConnection") as import("graphql").GraphQLObjectType;
    for (const name of ["hasCredentials", "credentialsUpdatedAt"]) {
      expect(accessRuleOf(connection.getFields()[name]!)).toEqual({
        kind: "scope",
        scope: "read_credentials",
      });
    }
    // A user's email: their own, or with read_team (checked in its resolver; see the team test).
    const user = schema.getType("User") as import("graphql").GraphQLObjectType;
    expect(user.getFields().email!.description).toMatch(/read_team/);
  });

  it("answers UNAUTHENTICATED (HTTP 401) to an anonymous call of every root field but the sign-in flow's", async () => {
    const before = await fingerprint(server);
    const refused: string[] = [];
    for (const op of operations.filter((o) => o.rule?.kind !== "public" && o.kind !== "subscription")) {
      const res = await server.gql(op.document, op.variables, { authorization: "" });
      if (res.status === 401 && res.errors?.[0]?.extensions?.code === "UNAUTHENTICATED" && !res.data) {
        refused.push(op.field);
      } else {
        refused.push(`${op.field}: ${res.status} ${JSON.stringify(res.errors ?? res.data)}`);
      }
    }
    expect(refused).toEqual(
      operations.filter((o) => o.rule?.kind !== "public" && o.kind !== "subscription").map((o) => o.field),
    );
    expect(await fingerprint(server)).toEqual(before);
  });

  it("refuses introspection to anonymous callers, and lets __typename through", async () => {
    const schema = await server.gql("{ __schema { queryType { name } } }", {}, { authorization: "" });
    expect(schema.status).toBe(401);
    const typename = await server.gql("{ __typename }", {}, { authorization: "" });
    expect(typename).toMatchObject({ status: 200, data: { __typename: "Query" } });
  });

  it("answers FORBIDDEN (HTTP 403) to a viewer on every mutation that needs a scope a viewer lacks, changing nothing", async () => {
    const viewer = await server.as("demo", "VIEWER");
    // A viewer's own notifications (marking them read, their preferences) are the mutations a viewer may call.
    const writes = operations.filter(
      (o) => o.kind === "mutation" && o.rule?.kind === "scope" && !ROLE_SCOPES.VIEWER.has(o.rule.scope),
    );
    expect(writes.length).toBeGreaterThan(15);
    const before = await fingerprint(server);
    const outcomes = [];
    for (const op of writes) {
      const res = await server.gql(op.document, op.variables, viewer);
      outcomes.push(
        `${op.field}: ${res.status} ${res.errors?.[0]?.extensions?.code} ${res.data === undefined}`,
      );
    }
    expect(outcomes).toEqual(writes.map((op) => `${op.field}: 403 FORBIDDEN true`));
    expect(await fingerprint(server)).toEqual(before);
  });

  it("lets a viewer read: every query a viewer's scopes cover runs", async () => {
    const viewer = await server.as("demo", "VIEWER");
    for (const op of operations.filter((o) => o.kind === "query" && o.rule?.kind === "scope")) {
      if (op.rule?.kind !== "scope" || !ROLE_SCOPES.VIEWER.has(op.rule.scope)) continue;
      const res = await server.gql(op.document, op.variables, viewer);
      expect(res.errors?.[0]?.extensions?.code, op.field).not.toBe("FORBIDDEN");
      expect(res.status, op.field).not.toBe(403);
    }
  });

  it("refuses an API key every root field whose scope it lacks, naming the scope, changing nothing", async () => {
    const scoped = operations.filter((o) => o.rule?.kind === "scope" && o.kind !== "subscription");
    const keys = new Map<string, Record<string, string>>();
    for (const op of scoped) {
      const scope = op.rule?.kind === "scope" ? op.rule.scope : "";
      if (keys.has(scope)) continue;
      const key = await apiKeyOf(
        server.app,
        "demo",
        ALL_SCOPES.filter((s) => s !== scope),
      );
      keys.set(scope, key.headers);
    }
    const before = await fingerprint(server);
    const outcomes: string[] = [];
    for (const op of scoped) {
      const scope = op.rule?.kind === "scope" ? op.rule.scope : "";
      const res = await server.gql(op.document, op.variables, keys.get(scope));
      const code = res.errors?.[0]?.extensions?.code;
      outcomes.push(`${op.field}: ${res.status} ${code} ${res.errors?.[0]?.extensions?.requiredScope}`);
    }
    expect(outcomes).toEqual(
      scoped.map((op) => `${op.field}: 403 FORBIDDEN ${op.rule?.kind === "scope" ? op.rule.scope : ""}`),
    );
    expect(await fingerprint(server)).toEqual(before);
  });

  it("refuses a whole operation when one of its mutations is forbidden, running none of them", async () => {
    const key = await apiKeyOf(server.app, "demo", ["write_alerts", "read_alerts"]);
    const before = await fingerprint(server);
    const res = await server.gql(
      `mutation {
        allowed: resolveAlerts(ids: []) { userErrors { code } }
        forbidden: updatePlatformSyncSettings(input: { syncIntervalMinutes: 45 }) { userErrors { code } }
      }`,
      {},
      key.headers,
    );
    expect(res.status).toBe(403);
    expect(res.data).toBeUndefined();
    expect(await fingerprint(server)).toEqual(before);
  });

  describe("over graphql-ws", () => {
    const wsUrl = () => `${server.url.replace(/^http/, "ws")}/graphql`;

    function closeCode(connectionParams?: Record<string, unknown>) {
      return new Promise<number>((resolve) => {
        const client = createClient({
          url: wsUrl(),
          webSocketImpl: WebSocket,
          connectionParams,
          retryAttempts: 0,
          lazy: false,
          onNonLazyError: () => {},
          on: { closed: (event) => resolve((event as { code: number }).code) },
        });
        client.subscribe(
          { query: "subscription { syncJobsUpdated { id } }" },
          {
            next: () => {},
            error: () => {},
            complete: () => {},
          },
        );
      });
    }

    it("closes an anonymous socket with 4401 and a socket with a bad credential with 4401", async () => {
      expect(await closeCode()).toBe(4401);
      expect(
        await closeCode({ authorization: "Bearer isk_notarealkeynotarealkeynotarealkeynotarealke" }),
      ).toBe(4401);
      expect(await closeCode({ authorization: "Basic abc" })).toBe(4401);
    });

    it("closes the socket of a key once it is revoked, and of a session once it is signed out", async () => {
      const key = await apiKeyOf(server.app, "demo", ["read_sync"]);
      const owner = await server.user("demo", "ADMIN");
      const session = await server.app.services.identity.openSession(owner.id, { ip: null, userAgent: null });
      const sessionHeaders = { authorization: `Bearer ${session.tokens.accessToken}`, "x-tenant": "demo" };
      const closed = (params: Record<string, string>) =>
        new Promise<number>((resolve) => {
          const client = createClient({
            url: wsUrl(),
            webSocketImpl: WebSocket,
            connectionParams: params,
            retryAttempts: 0,
            on: { closed: (event) => resolve((event as { code: number }).code) },
          });
          client.subscribe(
            { query: "subscription { syncJobsUpdated { id } }" },
            {
              next: () => {},
              error: () => {},
              complete: () => {},
            },
          );
        });
      const keyClosed = closed(key.headers);
      const sessionClosed = closed(sessionHeaders);
      // Both sockets are live: a query over a third socket of the same key answers first.
      const probe = createClient({
        url: wsUrl(),
        webSocketImpl: WebSocket,
        connectionParams: key.headers,
        retryAttempts: 0,
      });
      await new Promise((resolve) =>
        probe.subscribe(
          { query: "{ syncJobs(first: 1) { totalCount } }" },
          { next: resolve, error: resolve, complete: () => {} },
        ),
      );
      await probe.dispose();

      const revoked = await server.gql("mutation($id: ID!) { revokeApiKey(id: $id) { apiKey { status } } }", {
        id: toGlobalId("ApiKey", key.id),
      });
      expect(revoked.data!.revokeApiKey.apiKey.status).toBe("REVOKED");
      expect([4401, 4403]).toContain(await keyClosed);

      await server.app.services.identity.signOut(
        { sessionId: session.sessionId },
        { ip: null, userAgent: null },
      );
      expect([4401, 4403]).toContain(await sessionClosed);
    });

    it("refuses a subscription whose scope the socket's key lacks, with FORBIDDEN", async () => {
      const key = await apiKeyOf(server.app, "demo", ["read_inventory"]);
      const client = createClient({
        url: wsUrl(),
        webSocketImpl: WebSocket,
        connectionParams: key.headers,
        retryAttempts: 0,
      });
      try {
        const errors = await new Promise<unknown>((resolve) => {
          client.subscribe(
            { query: "subscription { syncJobsUpdated { id } }" },
            {
              next: () => {},
              error: resolve,
              complete: () => resolve(null),
            },
          );
        });
        expect(errors).toEqual([
          expect.objectContaining({ extensions: expect.objectContaining({ code: "FORBIDDEN" }) }),
        ]);
      } finally {
        await client.dispose();
      }
    });
  });
});
