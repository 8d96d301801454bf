import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createOwnerPool } from "../src/platform/db";
import { type RunningSandbox, startSandbox } from "../src/sandbox/sandbox.server";
import { startTestServer, type TestServer } from "./app";
import { createTenant } from "./factories";

const TEST = `mutation($id: ID!) {
  testPlatformConnection(id: $id) { ok auth message connection { lastHealthStatus lastHealthError } }
}`;
const UPDATE = `mutation($input: UpdatePlatformConnectionInput!) {
  updatePlatformConnection(input: $input) { connection { endpoint } userErrors { field code message } }
}`;
const SECRET = "internal-secret-";
const gid = (id: string) => Buffer.from(`PlatformConnection:${id}`).toString("base64url");

/** A plain HTTP server standing for something on the server's own network; it counts what reaches it. */
async function listen(answer: (res: http.ServerResponse) => void) {
  const requests: string[] = [];
  const server = http.createServer((req, res) => {
    requests.push(`${req.method} ${req.url}`);
    answer(res);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url, requests, close: () => new Promise((r) => server.close(r)) };
}

describe("outbound calls cannot be turned against the server", () => {
  let server: TestServer;
  let sandbox: RunningSandbox;
  let internal: Awaited<ReturnType<typeof listen>>;
  let chatty: Awaited<ReturnType<typeof listen>>;
  const tenants: Record<string, Record<"AMAZON" | "MEDUSA", string>> = {};

  beforeAll(async () => {
    internal = await listen((res) => res.end(SECRET.repeat(500)));
    // Trusted by configuration, and answering errors with a long body that is not JSON.
    chatty = await listen((res) =>
      res.writeHead(404, { "content-type": "text/html" }).end(SECRET.repeat(500)),
    );
    sandbox = await startSandbox({ port: 0, skus: 10, speedUp: 50 });
    // The operator's own Medusa credentials, which only the demo tenant may use.
    process.env.MEDUSA_URL = sandbox.medusaBaseUrl;
    process.env.MEDUSA_API_KEY = sandbox.credentials.medusa.apiKey;
    server = await startTestServer(async (dbUrl) => {
      const pool = createOwnerPool(dbUrl);
      tenants.demo = (await createTenant(pool, "demo")).connections;
      tenants.acme = (await createTenant(pool, "acme")).connections;
      await pool.end();
      return { EGRESS_ALLOWED_ORIGINS: chatty.url };
    });
  });

  afterAll(async () => {
    delete process.env.MEDUSA_URL;
    delete process.env.MEDUSA_API_KEY;
    await server?.close();
    await sandbox?.close();
    await internal?.close();
    await chatty?.close();
  });

  const update = async (tenant: string, input: Record<string, unknown>) =>
    server.gql(UPDATE, { input }, await server.as(tenant));

  it("refuses an endpoint on the server's own network, by address or by name, and saves nothing", async () => {
    for (const endpoint of [
      `${internal.url}/anything`,
      internal.url.replace("127.0.0.1", "localhost"),
      "http://169.254.169.254/latest/meta-data/",
      "http://[::1]:9000/",
      "http://10.0.0.7/",
      "file:///etc/passwd",
    ]) {
      const res = await update("acme", { id: gid(tenants.acme!.MEDUSA), endpoint });
      const payload = res.data!.updatePlatformConnection;
      expect(payload.connection, endpoint).toBeNull();
      expect(
        payload.userErrors.map((e: { code: string }) => e.code),
        endpoint,
      ).toContain(endpoint.startsWith("file:") ? "INVALID" : "ENDPOINT_NOT_ALLOWED");
    }
    const lwa = await update("acme", {
      id: gid(tenants.acme!.AMAZON),
      credentials: {
        clientId: "a",
        clientSecret: "b",
        refreshToken: "c",
        lwaEndpoint: `${internal.url}/token`,
      },
    });
    expect(lwa.data!.updatePlatformConnection.userErrors).toMatchObject([
      { field: ["input", "credentials", "lwaEndpoint"], code: "ENDPOINT_NOT_ALLOWED" },
    ]);
    const notHttp = await update("acme", {
      id: gid(tenants.acme!.AMAZON),
      credentials: { clientId: "a", clientSecret: "b", refreshToken: "c", lwaEndpoint: "file:///etc/passwd" },
    });
    expect(notHttp.data!.updatePlatformConnection.userErrors).toMatchObject([
      { field: ["input", "credentials", "lwaEndpoint"], code: "INVALID" },
    ]);
    expect(internal.requests).toEqual([]);
  });

  it("never calls an internal endpoint that is already stored, and reports it in a few words", async () => {
    await update("acme", { id: gid(tenants.acme!.MEDUSA), credentials: { apiKey: "sk_acme" } });
    await server.app.ownerPool.query(
      "UPDATE platform_connections SET endpoint = $1, updated_at = now() WHERE id = $2",
      [`${internal.url}/anything`, tenants.acme!.MEDUSA],
    );
    const res = await server.gql(TEST, { id: gid(tenants.acme!.MEDUSA) }, await server.as("acme"));
    const result = res.data!.testPlatformConnection;
    expect(result.ok).toBe(false);
    expect(result.message).toMatch(/endpoint not allowed \(127\.0\.0\.1 is a loopback address\)/);
    expect(result.connection.lastHealthError).toBe(result.message);
    expect(internal.requests).toEqual([]);
  });

  it("quotes a status and a short reason from an endpoint's error, never its body", async () => {
    const saved = await update("acme", {
      id: gid(tenants.acme!.MEDUSA),
      endpoint: chatty.url,
      credentials: { apiKey: "sk_acme" },
    });
    expect(saved.data!.updatePlatformConnection.userErrors).toEqual([]);
    const res = await server.gql(TEST, { id: gid(tenants.acme!.MEDUSA) }, await server.as("acme"));
    const result = res.data!.testPlatformConnection;
    expect(chatty.requests.length).toBeGreaterThan(0);
    expect(result.ok).toBe(false);
    expect(result.message).toBe("GetStockLocations: 404");
    expect(JSON.stringify(res)).not.toContain(SECRET);
  });

  it("serves the demo tenant with the operator's credentials, and no other tenant", async () => {
    const demo = await server.gql(TEST, { id: gid(tenants.demo!.MEDUSA) }, await server.as("demo"));
    expect(demo.data!.testPlatformConnection).toMatchObject({ ok: true, auth: "OK" });

    // acme's Medusa connection loses its own credentials: the server's are not its fallback.
    await server.app.ownerPool.query(
      "UPDATE platform_connections SET credentials_encrypted = NULL, endpoint = NULL, updated_at = now() WHERE id = $1",
      [tenants.acme!.MEDUSA],
    );
    const before = sandbox.control.stats().GetStockLocations?.requests ?? 0;
    const acme = await server.gql(TEST, { id: gid(tenants.acme!.MEDUSA) }, await server.as("acme"));
    expect(acme.data!.testPlatformConnection).toMatchObject({ ok: false });
    expect(acme.data!.testPlatformConnection.message).toMatch(/has no credentials/);
    expect(sandbox.control.stats().GetStockLocations?.requests ?? 0).toBe(before);
  });
});
