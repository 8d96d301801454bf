import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { useEnv } from "./env";
import { scrape, total } from "./metrics";
import { type SyncHarness, startJob, startSyncHarness, waitForJob } from "./sync-harness";
import { standardWebhookHeaders } from "./webhook-signing";

const TOKEN = "metrics-test-token-0123456789";
useEnv({ METRICS_TOKEN: TOKEN });

let h: SyncHarness;

beforeAll(async () => {
  h = await startSyncHarness({ skus: 150 });
});

afterAll(async () => {
  await h?.close();
});

describe("/metrics", () => {
  it("answers only the bearer of METRICS_TOKEN", async () => {
    expect((await fetch(`${h.server.url}/metrics`)).status).toBe(401);
    const wrong = await fetch(`${h.server.url}/metrics`, { headers: { authorization: "Bearer nope" } });
    expect(wrong.status).toBe(401);
    expect(await wrong.json()).toEqual({
      error: { code: "UNAUTHENTICATED", message: "Send Authorization: Bearer <METRICS_TOKEN>" },
    });
    const ok = await fetch(`${h.server.url}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(ok.status).toBe(200);
    expect(ok.headers.get("content-type")).toMatch(/^text\/plain/);
  });

  it("moves with real activity: GraphQL requests and errors, a sync against the sandbox, its marketplace calls, a webhook", async () => {
    const url = `${h.server.url}/metrics`;
    const before = await scrape(url, TOKEN);
    const sandboxBefore = { ...h.sandbox.control.stats().searchListingsItems };

    const page = await h.server.gql("query FirstPage { inventory(first: 5) { totalCount } }");
    expect(page.data?.inventory.totalCount).toBe(150);
    const invalid = await h.server.gql("query Broken { inventory { noSuchField } }");
    expect(invalid.errors?.[0]?.extensions?.code).toBe("GRAPHQL_VALIDATION_FAILED");
    // Two throttled searches: counted as 429s, retried, and the sync still succeeds.
    h.sandbox.control.setFaults({ only: "amazon", rateLimitNext: 2 });
    const { id } = await startJob(h.server, { type: "FULL", dryRun: true });
    expect((await waitForJob(h.server, id)).status).toBe("SUCCEEDED");
    h.sandbox.control.clearFaults();
    // A signed notification to the Amazon connection's own URL is counted under its platform, by its answer.
    const connections = await h.server.gql(`{ platformConnections { kind webhook { url secret } } }`);
    const amazon = connections.data!.platformConnections.find((c: { kind: string }) => c.kind === "AMAZON");
    const hook = `${h.server.url}${new URL(amazon.webhook.url).pathname}`;
    const headers = {
      "content-type": "application/json",
      ...standardWebhookHeaders(amazon.webhook.secret, "{}"),
    };
    const delivered = await fetch(hook, { method: "POST", headers, body: "{}" });
    expect(delivered.status).toBe(200);

    const after = await scrape(url, TOKEN);
    const moved = (name: string, labels: Record<string, string> = {}) =>
      total(after, name, labels) - total(before, name, labels);

    expect(moved("graphql_operation_duration_seconds_count", { operation: "FirstPage", type: "query" })).toBe(
      1,
    );
    expect(moved("graphql_errors_total", { code: "GRAPHQL_VALIDATION_FAILED" })).toBe(1);
    expect(
      moved("http_request_duration_seconds_count", { route: "/graphql", status: "200" }),
    ).toBeGreaterThanOrEqual(2);
    expect(moved("sync_jobs_total", { type: "FULL", outcome: "SUCCEEDED" })).toBe(1);
    expect(moved("sync_job_duration_seconds_count", { type: "FULL", outcome: "SUCCEEDED" })).toBe(1);
    expect(moved("sync_items_total", { type: "FULL" })).toBe(150);
    expect(moved("sync_items_per_second_count", { type: "FULL" })).toBe(1);
    // What the connectors counted is what the marketplace saw.
    const sandboxAfter = h.sandbox.control.stats().searchListingsItems!;
    const searches = { platform: "AMAZON", operation: "searchListingsItems" };
    expect(moved("marketplace_requests_total", searches)).toBe(
      sandboxAfter.requests - sandboxBefore.requests!,
    );
    expect(moved("marketplace_requests_total", { ...searches, status: "429" })).toBe(2);
    expect(moved("marketplace_throttled_total", searches)).toBe(2);
    expect(moved("marketplace_retries_total", searches)).toBe(2);
    expect(moved("marketplace_budget_wait_seconds_count", searches)).toBe(
      sandboxAfter.requests - sandboxBefore.requests!,
    );
    expect(moved("marketplace_requests_total", { platform: "MEDUSA", status: "200" })).toBeGreaterThan(0);
    expect(moved("webhook_events_total", { platform: "AMAZON", outcome: "200" })).toBe(1);
    // Read at the scrape: pools, the queue, the event loop.
    expect(total(after, "db_pool_connections", { pool: "app", state: "total" })).toBeGreaterThan(0);
    expect(total(after, "db_pool_connections", { pool: "engine", state: "total" })).toBeGreaterThan(0);
    expect(after.some((s) => s.name === "queue_jobs_waiting" && s.labels.queue === "sync-jobs")).toBe(true);
    expect(after.some((s) => s.name === "queue_oldest_job_age_seconds")).toBe(true);
    expect(after.some((s) => s.name === "nodejs_eventloop_lag_seconds")).toBe(true);
  });
});
