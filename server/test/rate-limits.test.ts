import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedTenant } from "../src/modules/catalog/demo/seed";
import { createOwnerPool } from "../src/platform/db";
import { startTestServer, type TestServer } from "./app";
import { useEnv } from "./env";
import { standardWebhookHeaders } from "./webhook-signing";

// A small budget, so the limits show within a few requests: 3 per endpoint, 6 per address, barely restored.
// The Medusa connection reads its notifications with a connector made from MEDUSA_* (it never calls Medusa here).
useEnv({
  WEBHOOK_RATE_LIMIT: "3",
  WEBHOOK_RATE_RESTORE: "0.01",
  MEDUSA_URL: "http://127.0.0.1:9",
  MEDUSA_API_KEY: "sk_rate_limit_test",
});

describe("request-rate limits of their own for sign-in and webhooks", () => {
  let server: TestServer;
  let endpoint: { url: string; secret: string };

  beforeAll(async () => {
    server = await startTestServer(async (dbUrl) => {
      const pool = createOwnerPool(dbUrl);
      await seedTenant(pool, { slug: "demo", name: "Demo Store", skus: 5 });
      await pool.end();
    });
    const res = await server.gql(`{ platformConnections { kind webhook { url secret } } }`);
    const medusa = res.data!.platformConnections.find((c: { kind: string }) => c.kind === "MEDUSA");
    endpoint = { url: `${server.url}${new URL(medusa.webhook.url).pathname}`, secret: medusa.webhook.secret };
  });
  afterAll(() => server?.close());

  const post = async (url: string) => {
    const body = JSON.stringify({ id: `evt_${randomUUID()}`, name: "product.updated", data: {} });
    const res = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json", ...standardWebhookHeaders(endpoint.secret, body) },
      body,
    });
    return {
      status: res.status,
      retryAfter: res.headers.get("retry-after"),
      // biome-ignore lint/suspicious/noExplicitAny: error bodies are checked field by field
      json: (await res.json()) as any,
    };
  };

  it("answers 429 with Retry-After once an endpoint has had its requests, and counts refused ones too", async () => {
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await post(endpoint.url)).status);
    expect(statuses).toEqual([200, 200, 200]);
    const refused = await post(endpoint.url);
    expect(refused.status).toBe(429);
    expect(refused.json.error.code).toBe("THROTTLED");
    expect(Number(refused.retryAfter)).toBeGreaterThanOrEqual(1);
  });

  it("limits one client address across endpoints, known or not", async () => {
    // Four requests so far from this address; the address may send six.
    const unknown = `${server.url}/webhooks/we_${"A".repeat(32)}`;
    expect((await post(unknown)).status).toBe(401);
    expect((await post(unknown)).status).toBe(401);
    const refused = await post(unknown);
    expect(refused).toMatchObject({ status: 429, json: { error: { code: "THROTTLED" } } });
    expect(Number(refused.retryAfter)).toBeGreaterThanOrEqual(1);
  });

  it("answers sign-in floods from one address with THROTTLED, HTTP 429 and Retry-After", async () => {
    const signIn = () =>
      fetch(`${server.url}/graphql`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({
          query: `mutation { signIn(input: { email: "nobody@demo.test", password: "wrong-password" }) { userErrors { code } } }`,
        }),
      });
    let res = await signIn();
    for (let i = 0; i < 20 && res.status !== 429; i++) res = await signIn();
    expect(res.status).toBe(429);
    expect(Number(res.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    const body = (await res.json()) as { errors: Array<{ extensions: { code: string } }> };
    expect(body.errors[0]!.extensions.code).toBe("THROTTLED");
  });
});
