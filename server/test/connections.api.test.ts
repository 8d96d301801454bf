import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createOwnerPool } from "../src/platform/db";
import { type RunningSandbox, startSandbox } from "../src/sandbox/sandbox.server";
import { startTestServer, type TestServer } from "./app";
import { createTenant } from "./factories";

const fromGlobal = (id: string) => Buffer.from(id, "base64url").toString("utf8").split(":")[1]!;

const CONNECTIONS = `{ platformConnections { id kind name priority enabled endpoint hasCredentials lastHealthStatus } }`;
const TEST = `mutation($id: ID!) {
  testPlatformConnection(id: $id) { ok auth latencyMs circuit message connection { lastHealthStatus lastHealthError } }
}`;
const UPDATE = `mutation($input: UpdatePlatformConnectionInput!) {
  updatePlatformConnection(input: $input) {
    connection { id priority enabled endpoint hasCredentials credentialsUpdatedAt }
    userErrors { field code message }
  }
}`;

const REORDER = `mutation($ids: [ID!]!) {
  reorderPlatformConnections(ids: $ids) {
    connections { id name priority }
    userErrors { field code message }
  }
}`;

describe("platform connections over GraphQL, against the marketplace sandbox", () => {
  let sandbox: RunningSandbox;
  let server: TestServer;
  let ids: Record<"AMAZON" | "MEDUSA", string>;

  beforeAll(async () => {
    sandbox = await startSandbox({ port: 0, skus: 20, speedUp: 50 });
    server = await startTestServer(async (dbUrl) => {
      const pool = createOwnerPool(dbUrl);
      await createTenant(pool, "demo");
      await pool.end();
      return { EGRESS_ALLOWED_ORIGINS: sandbox.url };
    });
    const res = await server.gql(CONNECTIONS);
    ids = Object.fromEntries(
      res.data!.platformConnections.map((c: { kind: string; id: string }) => [c.kind, c.id]),
    ) as typeof ids;
  });

  afterAll(async () => {
    await server?.close();
    await sandbox?.close();
  });

  const amazonCredentials = () => ({
    clientId: sandbox.credentials.amazon.clientId,
    clientSecret: sandbox.credentials.amazon.clientSecret,
    refreshToken: sandbox.credentials.amazon.refreshToken,
    lwaEndpoint: sandbox.lwaUrl,
  });

  it("reports a connection without credentials as unhealthy, with the reason", async () => {
    const res = await server.gql(TEST, { id: ids.MEDUSA }, {});
    expect(res.data!.testPlatformConnection).toMatchObject({
      ok: false,
      connection: { lastHealthStatus: "DEGRADED" },
    });
    expect(res.data!.testPlatformConnection.message).toMatch(/no credentials/);
  });

  it("stores credentials write-only and encrypted, then reaches Amazon with them", async () => {
    const update = await server.gql(UPDATE, {
      input: {
        id: ids.AMAZON,
        endpoint: sandbox.amazonBaseUrl,
        sellerId: sandbox.credentials.amazon.sellerId,
        marketplaceId: sandbox.credentials.amazon.marketplaceId,
        credentials: amazonCredentials(),
      },
    });
    expect(update.data!.updatePlatformConnection.userErrors).toEqual([]);
    expect(update.data!.updatePlatformConnection.connection).toMatchObject({ hasCredentials: true });
    expect(JSON.stringify(update)).not.toContain(sandbox.credentials.amazon.clientSecret);

    const { rows } = await server.app.ownerPool.query(
      "SELECT credentials_encrypted FROM platform_connections WHERE kind = 'AMAZON'",
    );
    expect(Buffer.from(rows[0].credentials_encrypted).toString("latin1")).not.toContain(
      sandbox.credentials.amazon.clientSecret,
    );
    // The audit log says who set which credentials, never their values.
    const audit = await server.app.ownerPool.query(
      "SELECT actor_type::text, actor_id, details FROM audit_events WHERE action = 'CREDENTIALS_CHANGED'",
    );
    expect(audit.rows).toEqual([
      {
        actor_type: "USER",
        actor_id: (await server.user("demo")).id,
        details: {
          connection: "Amazon US",
          fields: ["clientId", "clientSecret", "lwaEndpoint", "refreshToken"],
        },
      },
    ]);
    expect(JSON.stringify(audit.rows)).not.toContain(sandbox.credentials.amazon.clientSecret);

    const test = await server.gql(TEST, { id: ids.AMAZON });
    expect(test.data!.testPlatformConnection).toMatchObject({
      ok: true,
      auth: "OK",
      circuit: "CLOSED",
      connection: { lastHealthStatus: "HEALTHY", lastHealthError: null },
    });
  });

  it("reaches Medusa with its secret key and reports a wrong key as an auth failure", async () => {
    const good = await server.gql(UPDATE, {
      input: {
        id: ids.MEDUSA,
        endpoint: sandbox.medusaBaseUrl,
        credentials: { apiKey: sandbox.credentials.medusa.apiKey },
      },
    });
    expect(good.data!.updatePlatformConnection.userErrors).toEqual([]);
    expect((await server.gql(TEST, { id: ids.MEDUSA })).data!.testPlatformConnection).toMatchObject({
      ok: true,
      auth: "OK",
    });

    await server.gql(UPDATE, { input: { id: ids.MEDUSA, credentials: { apiKey: "sk_wrong" } } });
    const bad = await server.gql(TEST, { id: ids.MEDUSA });
    expect(bad.data!.testPlatformConnection).toMatchObject({
      ok: false,
      auth: "FAILED",
      connection: { lastHealthStatus: "DOWN" },
    });
  });

  it("rejects bad input field by field and changes nothing", async () => {
    const before = (await server.gql(CONNECTIONS)).data!.platformConnections;
    const res = await server.gql(UPDATE, {
      input: {
        id: ids.AMAZON,
        priority: 5000,
        region: "MARS",
        endpoint: "not a url",
        enabled: false,
        stockPercentage: 150,
        credentials: { clientId: "x", token: "y" },
      },
    });
    const { connection, userErrors } = res.data!.updatePlatformConnection;
    expect(connection).toBeNull();
    expect(
      userErrors.map((e: { field: string[]; code: string }) => `${e.field.join(".")}:${e.code}`).sort(),
    ).toEqual([
      "input.credentials.clientSecret:REQUIRED",
      "input.credentials.refreshToken:REQUIRED",
      "input.credentials.token:UNKNOWN_FIELD",
      "input.endpoint:INVALID",
      "input.priority:OUT_OF_RANGE",
      "input.region:INVALID",
      "input.stockPercentage:OUT_OF_RANGE",
    ]);
    expect((await server.gql(CONNECTIONS)).data!.platformConnections).toEqual(before);
    expect((await server.gql(TEST, { id: ids.AMAZON })).data!.testPlatformConnection.ok).toBe(true);
  });

  it("answers an unknown connection with NOT_FOUND", async () => {
    const foreign = Buffer.from("PlatformConnection:00000000-0000-4000-8000-000000000000").toString(
      "base64url",
    );
    const test = await server.gql(TEST, { id: foreign });
    expect(test.errors?.[0]?.extensions?.code).toBe("NOT_FOUND");
    const update = await server.gql(UPDATE, { input: { id: foreign, priority: 1 } });
    expect(update.data!.updatePlatformConnection.userErrors[0].code).toBe("NOT_FOUND");
  });

  it("changes what it is asked to change", async () => {
    const res = await server.gql(UPDATE, { input: { id: ids.MEDUSA, priority: 7, enabled: false } });
    expect(res.data!.updatePlatformConnection.connection).toMatchObject({ priority: 7, enabled: false });
  });

  describe("their order", () => {
    const listed = async () =>
      (await server.gql(CONNECTIONS)).data!.platformConnections.map((c: { id: string }) => c.id) as string[];

    beforeAll(async () => {
      // A third account, so that an order can move more than one place at once.
      await server.app.ownerPool.query(
        `INSERT INTO platform_connections (tenant_id, kind, name, priority, updated_at)
         SELECT tenant_id, kind, 'Medusa Wholesale', priority + 1, now() FROM platform_connections
         WHERE id = $1`,
        [fromGlobal(ids.MEDUSA)],
      );
    });

    it("puts every connection in the order given at once, and lists them so", async () => {
      const before = await listed();
      expect(before.length).toBe(3);
      const wanted = [...before].reverse();
      const res = await server.gql(REORDER, { ids: wanted });
      const { connections, userErrors } = res.data!.reorderPlatformConnections;
      expect(userErrors).toEqual([]);
      expect(connections.map((c: { id: string }) => c.id)).toEqual(wanted);
      const priorities = connections.map((c: { priority: number }) => c.priority);
      expect([...priorities].sort((a, b) => a - b)).toEqual(priorities);
      expect(new Set(priorities).size).toBe(3);
      expect(await listed()).toEqual(wanted);
    });

    it("refuses an order that is not every connection once, whatever the ids, and saves nothing", async () => {
      const before = (await server.gql(CONNECTIONS)).data!.platformConnections;
      const order = before.map((c: { id: string }) => c.id) as string[];
      const other = await createTenant(server.app.ownerPool, "other-seller");
      const foreign = Buffer.from(`PlatformConnection:${other.connections.AMAZON}`).toString("base64url");
      const product = Buffer.from("Product:00000000-0000-4000-8000-000000000000").toString("base64url");
      const reversed = [...order].reverse();
      const cases: Array<[string[], string[]]> = [
        [order.slice(1), ["ids:INCOMPLETE"]],
        [
          [order[0]!, order[1]!, order[0]!],
          ["ids.2:DUPLICATE", "ids:INCOMPLETE"],
        ],
        [[...order, order[2]!], ["ids.3:DUPLICATE"]],
        [
          [order[0]!, order[1]!, foreign],
          ["ids.2:NOT_FOUND", "ids:INCOMPLETE"],
        ],
        [[reversed[0]!, reversed[1]!, product], ["ids.2:INVALID_ID"]],
        [
          ["!!", reversed[0]!, ""],
          ["ids.0:INVALID_ID", "ids.2:INVALID_ID"],
        ],
        [[], ["ids:INCOMPLETE"]],
      ];
      for (const [ids, expected] of cases) {
        const res = await server.gql(REORDER, { ids });
        expect(res.errors).toBeUndefined();
        const { connections, userErrors } = res.data!.reorderPlatformConnections;
        expect(
          userErrors.map((e: { field: string[]; code: string }) => `${e.field.join(".")}:${e.code}`),
          JSON.stringify(ids),
        ).toEqual(expected);
        expect(connections).toEqual([]);
        expect((await server.gql(CONNECTIONS)).data!.platformConnections).toEqual(before);
      }
      // The other seller's order is untouched too.
      const { rows: theirs } = await server.app.ownerPool.query<{ priority: number }>(
        "SELECT priority FROM platform_connections WHERE tenant_id = $1 ORDER BY priority",
        [other.tenantId],
      );
      expect(theirs.map((r) => r.priority)).toEqual([1, 2]);
    });
  });
});
