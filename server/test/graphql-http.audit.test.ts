import { type AuditResult, serverAudits } from "graphql-http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createOwnerPool } from "../src/platform/db";
import { startTestServer, type TestServer } from "./app";
import { createTenant } from "./factories";
import { credentialsFor } from "./fuzz/world";

describe("the GraphQL over HTTP specification (graphql-http's audit suite)", () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer(async (dbUrl) => {
      const pool = createOwnerPool(dbUrl);
      await createTenant(pool, "demo");
      await pool.end();
    });
  });

  afterAll(async () => {
    await server?.close();
  });

  it("passes every audit with no error and no warning", async () => {
    const { headers } = await credentialsFor(server, "demo");
    const audits = serverAudits({
      url: `${server.url}/graphql`,
      // The audits' own requests, signed in as any API caller is.
      fetchFn: (input: string | URL | Request, init: RequestInit = {}) =>
        fetch(input, { ...init, headers: { ...headers, ...Object.fromEntries(new Headers(init.headers)) } }),
    });
    // One at a time (auditServer runs them all at once): conformance is the question here, not load.
    const results: AuditResult[] = [];
    for (const audit of audits) results.push(await audit.fn());
    const failed = results
      .filter((r) => r.status === "error" || r.status === "warn")
      .map((r) => `${r.status} ${r.id} ${r.name}: ${"reason" in r ? r.reason : ""}`);
    expect(failed).toEqual([]);
    // Notices are the MAYs the server chooses not to do (GET with form bodies, variables in GET URLs under CSRF
    // prevention); everything else passes.
    expect(results.filter((r) => r.status === "ok").length).toBeGreaterThan(50);
  });
});
