import { type Client, createClient } from "graphql-ws";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { toGlobalId } from "../src/graphql/global-id";
import { createOwnerPool } from "../src/platform/db";
import { startTestServer, type TestServer } from "./app";
import { apiKeyOf } from "./auth";
import { asTenant, createTenant } from "./factories";

const UPDATED = "subscription { alertsUpdated { id status priority title } }";

interface Seen {
  id: string;
  status: string;
  priority: string;
  title: string;
}

describe("alertsUpdated over graphql-ws", () => {
  let server: TestServer;
  const tenants: Record<string, string> = {};
  const clients: Client[] = [];

  /** Every alert event a tenant owner's socket receives. */
  async function watch(slug: string): Promise<Seen[]> {
    const seen: Seen[] = [];
    const client = createClient({
      url: `${server.url.replace(/^http/, "ws")}/graphql`,
      webSocketImpl: WebSocket,
      connectionParams: await server.as(slug),
      retryAttempts: 0,
    });
    clients.push(client);
    client.subscribe<{ alertsUpdated: Seen }>(
      { query: UPDATED },
      {
        next: (r) => {
          expect(r.errors).toBeUndefined();
          seen.push(r.data!.alertsUpdated);
        },
        error: (e) => {
          throw e;
        },
        complete: () => {},
      },
    );
    return seen;
  }
  const raise = (slug: string, title: string, priority = "CRITICAL") =>
    asTenant(server.app.ownerPool, tenants[slug]!, async (c) => {
      const { rows } = await c.query<{ id: string }>(
        `INSERT INTO alerts (type, priority, title, message, payload, updated_at)
         VALUES ('OUT_OF_STOCK', $1, $2, 'No units left', '{}', now()) RETURNING id`,
        [priority, title],
      );
      return rows[0]!.id;
    });
  const until = async (ready: () => boolean, what: string) => {
    const end = Date.now() + 20_000;
    while (!ready()) {
      if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  };

  beforeAll(async () => {
    server = await startTestServer(async (dbUrl) => {
      const pool = createOwnerPool(dbUrl);
      tenants.acme = (await createTenant(pool, "acme")).tenantId;
      tenants.other = (await createTenant(pool, "other")).tenantId;
      await pool.end();
    });
  });
  afterAll(async () => {
    for (const c of clients) await c.dispose();
    await server?.close();
  });

  it("delivers every alert raised or changed in the tenant, whoever wrote it, and none of another tenant's", async () => {
    const acme = await watch("acme");
    const other = await watch("other");
    // Until the socket listens, a raised alert may pass it by: raise probes until one arrives.
    for (let i = 0; acme.length === 0; i++) {
      if (i > 100) throw new Error("the subscription never delivered");
      await raise("acme", `probe ${i}`, "LOW");
      await new Promise((r) => setTimeout(r, 200));
    }
    const before = acme.length;

    // Raised directly in the database (as a sync or a webhook writes it): pushed at commit.
    const id = await raise("acme", "Out of stock on AMAZON: BEST-1");
    await until(() => acme.some((a) => a.title === "Out of stock on AMAZON: BEST-1"), "the new alert");
    expect(acme.at(-1)).toEqual({
      id: toGlobalId("Alert", id),
      status: "OPEN",
      priority: "CRITICAL",
      title: "Out of stock on AMAZON: BEST-1",
    });

    // Changed through the API: pushed too.
    const ack = await server.gql(
      `mutation($id: ID!) { acknowledgeAlert(id: $id) { userErrors { code } } }`,
      { id: toGlobalId("Alert", id) },
      await server.as("acme"),
    );
    expect(ack.data!.acknowledgeAlert.userErrors).toEqual([]);
    await until(
      () => acme.some((a) => a.id === toGlobalId("Alert", id) && a.status === "ACKNOWLEDGED"),
      "the ack",
    );
    expect(acme.length).toBeGreaterThan(before);

    // The other tenant's socket saw nothing of acme's, and sees its own.
    expect(other).toEqual([]);
    await raise("other", "Other's alert", "HIGH");
    await until(() => other.length === 1, "the other tenant's alert");
    expect(other[0]!.title).toBe("Other's alert");
    expect(acme.some((a) => a.title === "Other's alert")).toBe(false);
  });

  it("is refused to a credential that may not read alerts", async () => {
    const key = await apiKeyOf(server.app, "acme", ["read_inventory"]);
    const client = createClient({
      url: `${server.url.replace(/^http/, "ws")}/graphql`,
      webSocketImpl: WebSocket,
      connectionParams: key.headers,
      retryAttempts: 0,
    });
    clients.push(client);
    const outcome = await new Promise<unknown>((resolve) => {
      client.subscribe(
        { query: UPDATED },
        {
          next: (r) => resolve(r.errors ?? r),
          error: (e) => resolve(e),
          complete: () => resolve("complete"),
        },
      );
    });
    expect(JSON.stringify(outcome)).toMatch(/FORBIDDEN/);
  });
});
