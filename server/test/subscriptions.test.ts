import { type Client, createClient, type FormattedExecutionResult } from "graphql-ws";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { toGlobalId } from "../src/graphql/global-id";
import { createOwnerPool } from "../src/platform/db";
import { PgPubSub } from "../src/platform/events";
import { startTestServer, type TestServer } from "./app";
import { apiKeyOf } from "./auth";
import { asTenant, createTenant } from "./factories";
import { advanceJob, insertJob, type JobChange, publishJob } from "./subscriptions.fixtures";

const WAIT_MS = 20_000;

const PROGRESS = `subscription Progress($id: ID!) {
  syncJobProgress(jobId: $id) {
    id status isTerminal progress totalItems processedItems updatedItems failedItems conflictCount
  }
}`;
const UPDATED = "subscription { syncJobsUpdated { id status processedItems } }";

type Job = {
  id: string;
  status: string;
  isTerminal: boolean;
  progress: number;
  processedItems: number;
  updatedItems: number;
  failedItems: number;
  conflictCount: number;
};
type Result = FormattedExecutionResult<Record<string, unknown>, unknown>;

/** One subscription's results as they arrive, and whether (and how) it ended. */
class Subscription {
  readonly results: Result[] = [];
  completed = false;
  error: unknown;
  private readonly waiters = new Set<() => void>();
  readonly unsubscribe: () => void;

  constructor(client: Client, query: string, variables?: Record<string, unknown>) {
    this.unsubscribe = client.subscribe<Record<string, unknown>>(
      { query, variables },
      {
        next: (r) => this.notify(() => this.results.push(r)),
        error: (e) => this.notify(() => (this.error = e ?? "error")),
        complete: () => this.notify(() => (this.completed = true)),
      },
    );
  }

  private notify(change: () => void) {
    change();
    for (const w of this.waiters) w();
  }

  get ended() {
    return this.completed || this.error !== undefined;
  }

  /** Waits (bounded) until `ready` holds, re-checking after every message. */
  async until(ready: () => boolean, what: string): Promise<void> {
    if (ready()) return;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters.delete(check);
        reject(new Error(`timed out waiting for ${what}; got ${JSON.stringify(this.results)}`));
      }, WAIT_MS);
      const check = () => {
        if (!ready()) return;
        clearTimeout(timer);
        this.waiters.delete(check);
        resolve();
      };
      this.waiters.add(check);
    });
  }

  jobs(field = "syncJobProgress"): Job[] {
    return this.results.map((r) => {
      expect(r.errors).toBeUndefined();
      return r.data![field] as Job;
    });
  }
}

function processedNeverDecreases(jobs: Job[]) {
  for (const counter of ["processedItems", "updatedItems", "failedItems", "conflictCount"] as const) {
    const values = jobs.map((j) => j[counter]);
    expect(values, counter).toEqual([...values].sort((a, b) => a - b));
  }
}

describe("sync job subscriptions over graphql-ws on the server's /graphql", () => {
  let server: TestServer;
  let wsUrl: string;
  let owner: pg.Pool;
  let workerPool: pg.Pool;
  /** A second bus on its own connections: a worker in another process publishing progress. */
  let worker: PgPubSub;
  let acme: { tenantId: string };
  let other: { tenantId: string };
  const clients: Client[] = [];
  /** Each tenant owner's credential headers (authorization, x-tenant). */
  const auth: Record<string, Record<string, string>> = {};

  /** A socket of `tenant`'s owner: credentials in connectionParams, or (header) on the upgrade request. */
  function client(options: { tenant?: string; header?: string } = {}): Client {
    const headers = options.header ? auth[options.header] : undefined;
    class HeaderSocket extends WebSocket {
      constructor(url: string, protocols?: string | string[]) {
        super(url, protocols, { headers });
      }
    }
    const c = createClient({
      url: wsUrl,
      webSocketImpl: HeaderSocket,
      connectionParams: options.tenant ? auth[options.tenant] : undefined,
      retryAttempts: 0,
      lazy: true,
    });
    clients.push(c);
    return c;
  }

  const createJob = (tenantId: string, totalItems = 100) => insertJob(owner, tenantId, totalItems);
  const advance = (tenantId: string, jobId: string, change: JobChange) =>
    advanceJob(owner, tenantId, jobId, change);
  const publish = (event: Record<string, unknown>) => publishJob(worker, event);

  beforeAll(async () => {
    server = await startTestServer(async (dbUrl) => {
      const pool = createOwnerPool(dbUrl);
      try {
        acme = await createTenant(pool, "acme");
        other = await createTenant(pool, "other");
      } finally {
        await pool.end();
      }
    });
    wsUrl = `${server.url.replace(/^http/, "ws")}/graphql`;
    owner = createOwnerPool(server.dbUrl);
    workerPool = new pg.Pool({ connectionString: server.dbUrl, max: 1 });
    worker = new PgPubSub(server.dbUrl, workerPool);
    for (const slug of ["acme", "other"]) auth[slug] = await server.as(slug);
    // pool.end() resolves before its sockets close; dropping the database may still cut one.
    for (const p of [owner, workerPool]) p.on("error", () => {});
  });

  afterAll(async () => {
    await Promise.all(clients.map((c) => c.dispose()));
    await worker?.close();
    await workerPool?.end();
    await owner?.end();
    await server?.close();
  });

  it("sends the job's current state, then its progress as it rises, and completes after it succeeds", async () => {
    const jobId = await createJob(acme.tenantId);
    const sub = new Subscription(client({ tenant: "acme" }), PROGRESS, { id: toGlobalId("SyncJob", jobId) });
    await sub.until(() => sub.results.length >= 1, "the current state");
    expect(sub.jobs()[0]).toMatchObject({
      id: toGlobalId("SyncJob", jobId),
      status: "PENDING",
      processedItems: 0,
      isTerminal: false,
    });

    await publish(await advance(acme.tenantId, jobId, { status: "FETCHING" }));
    for (const processed of [25, 50, 75, 100]) {
      const event = await advance(acme.tenantId, jobId, {
        status: "APPLYING",
        processed,
        updated: processed / 5,
      });
      await publish(event);
      await sub.until(() => sub.jobs().at(-1)!.processedItems === processed, `processed ${processed}`);
    }
    await publish(await advance(acme.tenantId, jobId, { status: "SUCCEEDED" }));
    await sub.until(() => sub.completed, "completion");

    const jobs = sub.jobs();
    expect(sub.error).toBeUndefined();
    expect(jobs.map((j) => j.processedItems)).toEqual(expect.arrayContaining([0, 25, 50, 75, 100]));
    processedNeverDecreases(jobs);
    expect(jobs.at(-1)).toMatchObject({
      status: "SUCCEEDED",
      isTerminal: true,
      progress: 1,
      updatedItems: 20,
    });
    expect(jobs.filter((j) => j.isTerminal)).toHaveLength(1);
  });

  it("ends at once with the current state when the job has already ended", async () => {
    const jobId = await createJob(acme.tenantId);
    await advance(acme.tenantId, jobId, { status: "FAILED", processed: 10, failed: 10 });
    const sub = new Subscription(client({ tenant: "acme" }), PROGRESS, { id: toGlobalId("SyncJob", jobId) });
    await sub.until(() => sub.completed, "completion");
    expect(sub.jobs()).toEqual([expect.objectContaining({ status: "FAILED", failedItems: 10 })]);
  });

  it("never lets counters go backwards when events arrive stale or out of order", async () => {
    const jobId = await createJob(acme.tenantId);
    const sub = new Subscription(client({ tenant: "acme" }), PROGRESS, { id: toGlobalId("SyncJob", jobId) });
    await sub.until(() => sub.results.length >= 1, "the current state");

    const at10 = await advance(acme.tenantId, jobId, { status: "APPLYING", processed: 10 });
    const at20 = await advance(acme.tenantId, jobId, { processed: 20 });
    const at30 = await advance(acme.tenantId, jobId, { processed: 30 });
    await publish(at10);
    await publish(at30);
    await sub.until(() => sub.jobs().at(-1)!.processedItems === 30, "processed 30");
    // An older event delivered late, and one stamped newer whose counters are behind.
    await publish(at20);
    await publish({ ...at10, updatedAt: new Date(Date.now() + 60_000).toISOString() });
    await publish(await advance(acme.tenantId, jobId, { status: "SUCCEEDED", processed: 40 }));
    await sub.until(() => sub.completed, "completion");

    const processed = sub.jobs().map((j) => j.processedItems);
    processedNeverDecreases(sub.jobs());
    expect(processed).not.toContain(20);
    expect(processed.filter((p) => p === 10).length).toBeLessThanOrEqual(1);
    expect(processed.at(-1)).toBe(40);
    expect(sub.jobs().at(-1)!.status).toBe("SUCCEEDED");
  });

  it("coalesces a burst of events into fewer updates, ending on the newest state", async () => {
    const jobId = await createJob(acme.tenantId, 50);
    const sub = new Subscription(client({ tenant: "acme" }), PROGRESS, { id: toGlobalId("SyncJob", jobId) });
    await sub.until(() => sub.results.length >= 1, "the current state");

    const events: Record<string, unknown>[] = [];
    for (let processed = 1; processed <= 50; processed++) {
      events.push(await advance(acme.tenantId, jobId, { status: "APPLYING", processed }));
    }
    await Promise.all(events.map((e) => worker.publish(`syncJob:${jobId}`, e)));
    await sub.until(() => sub.jobs().at(-1)!.processedItems === 50, "processed 50");
    await publish(await advance(acme.tenantId, jobId, { status: "SUCCEEDED" }));
    await sub.until(() => sub.completed, "completion");

    const jobs = sub.jobs();
    processedNeverDecreases(jobs);
    // 50 events arrived within far less than the 5 s that 10 updates a second would need for all of them.
    expect(jobs.length).toBeLessThan(50);
    expect(jobs.at(-1)).toMatchObject({ status: "SUCCEEDED", processedItems: 50, progress: 1 });
  });

  it("refuses another tenant's job with NOT_FOUND, as it refuses a job that does not exist", async () => {
    const jobId = await createJob(acme.tenantId);
    const foreign = new Subscription(client({ tenant: "other" }), PROGRESS, {
      id: toGlobalId("SyncJob", jobId),
    });
    const missing = new Subscription(client({ tenant: "other" }), PROGRESS, {
      id: toGlobalId("SyncJob", "00000000-0000-4000-8000-000000000000"),
    });
    await foreign.until(() => foreign.ended, "the end of the foreign subscription");
    await missing.until(() => missing.ended, "the end of the missing subscription");
    for (const sub of [foreign, missing]) {
      expect(sub.results).toHaveLength(1);
      expect(sub.results[0]!.data ?? null).toBeNull();
      expect(sub.results[0]!.errors?.[0]?.extensions?.code).toBe("NOT_FOUND");
    }
    expect(foreign.results[0]!.errors![0]!.message).toBe(missing.results[0]!.errors![0]!.message);
  });

  it("tells each tenant about its own jobs only, whatever the routing key says", async () => {
    const acmeJob = await createJob(acme.tenantId);
    const otherJob = await createJob(other.tenantId);
    const bus = server.app.services.pubSub;
    const attached = () => [
      bus.subscribers("syncJobs", acme.tenantId),
      bus.subscribers("syncJobs", other.tenantId),
    ];
    const before = attached();
    // The tenant comes from connectionParams for one socket and from the upgrade's header for the other.
    const acmeSub = new Subscription(client({ tenant: "acme" }), UPDATED);
    const otherSub = new Subscription(client({ header: "other" }), UPDATED);
    // Both listening: a query on each socket answers only after the socket is up and acknowledged.
    for (const [tenant, sub] of [
      ["acme", acmeSub],
      ["other", otherSub],
    ] as const) {
      const c = clients.at(tenant === "acme" ? -2 : -1)!;
      const q = new Subscription(c, "{ syncJobs(first: 50) { totalCount } }");
      await q.until(() => q.completed, `a query for ${tenant}`);
      expect(q.results[0]!.errors).toBeUndefined();
      expect(sub.ended).toBe(false);
    }

    // The query's answer does not mean the subscription beside it is attached yet: wait until the bus has both.
    await expect.poll(attached).toEqual(before.map((n) => n + 1));
    const acmeEvent = await advance(acme.tenantId, acmeJob, { status: "FETCHING" });
    // Published under the other tenant's routing key: must still never reach the other tenant.
    await worker.publish(`syncJobs:${other.tenantId}`, acmeEvent);
    await worker.publish(`syncJobs:${acme.tenantId}`, acmeEvent);
    await worker.publish(
      `syncJobs:${other.tenantId}`,
      await advance(other.tenantId, otherJob, { status: "FETCHING" }),
    );
    await acmeSub.until(() => acmeSub.results.length >= 1, "acme's job update");
    await otherSub.until(() => otherSub.results.length >= 1, "other's job update");

    expect(acmeSub.jobs("syncJobsUpdated").map((j) => j.id)).toEqual([toGlobalId("SyncJob", acmeJob)]);
    expect(otherSub.jobs("syncJobsUpdated").map((j) => j.id)).toEqual([toGlobalId("SyncJob", otherJob)]);
  });

  it("runs a mutation on the socket as the partner whose API key the connection carries", async () => {
    const alertId = await asTenant(owner, acme.tenantId, async (c) => {
      const { rows } = await c.query<{ id: string }>(
        `INSERT INTO alerts (type, priority, status, title, message, updated_at)
         VALUES ('LOW_STOCK', 'MEDIUM', 'OPEN', 'Low stock', 'SKU-1 is low', now()) RETURNING id`,
      );
      return toGlobalId("Alert", rows[0]!.id);
    });
    const key = await apiKeyOf(server.app, "acme", ["write_alerts", "read_alerts"]);
    const partner = createClient({
      url: wsUrl,
      webSocketImpl: WebSocket,
      connectionParams: key.headers,
      retryAttempts: 0,
    });
    clients.push(partner);
    const run = new Subscription(
      partner,
      "mutation ($id: ID!) { resolveAlert(id: $id) { alert { status resolvedBy } userErrors { code } } }",
      { id: alertId },
    );
    await run.until(() => run.completed, "the mutation");
    expect(run.results[0]!.errors).toBeUndefined();
    expect(run.results[0]!.data!.resolveAlert).toEqual({
      alert: { status: "RESOLVED", resolvedBy: `API_KEY:${key.id}` },
      userErrors: [],
    });
  });

  it("closes a socket that names a tenant its user is not a member of (4403), whether it exists or not", async () => {
    for (const tenant of ["nobody", "other"]) {
      const c = createClient({
        url: wsUrl,
        webSocketImpl: WebSocket,
        connectionParams: { ...auth.acme, "x-tenant": tenant },
        retryAttempts: 0,
      });
      clients.push(c);
      const sub = new Subscription(c, UPDATED);
      await sub.until(() => sub.ended, "the refusal");
      expect((sub.error as { code?: number }).code).toBe(4403);
    }
  });

  describe("applies the limits HTTP applies", () => {
    const aliases = Array.from({ length: 25 }, (_, i) => `a${i}: id`).join(" ");
    // Each fragment spreads the one below ten times: 10,000 selections of a small query.
    const bomb = `
      fragment F1 on SyncJob { failures { sku platform field error errorCode attempts } }
      fragment F2 on SyncJob { ${"...F1 ".repeat(10)} }
      fragment F3 on SyncJob { ${"...F2 ".repeat(10)} }
      fragment F4 on SyncJob { ${"...F3 ".repeat(10)} }`;
    let nested = "id";
    for (let i = 0; i < 8; i++) nested = `job { conflict { ${nested} } }`;

    const cases: [string, string, string][] = [
      [
        "too many aliases",
        `subscription { syncJobsUpdated { ${aliases} } }`,
        `{ syncJobs { nodes { ${aliases} } } }`,
      ],
      [
        "a cost far over the limit",
        `subscription { syncJobsUpdated { ...F4 } } ${bomb}`,
        `{ syncJobs { nodes { ...F4 } } } ${bomb}`,
      ],
      [
        "too many tokens",
        `subscription { syncJobsUpdated { ${"id ".repeat(6000)} } }`,
        `{ syncJobs { nodes { ${"id ".repeat(6000)} } } }`,
      ],
      // Depth cannot be reached through SyncJob; the same socket also carries queries, limited alike.
      [
        "a query nested too deep",
        `{ alerts(first: 1) { nodes { ${nested} } } }`,
        `{ alerts(first: 1) { nodes { ${nested} } } }`,
      ],
    ];
    for (const [name, overWs, overHttp] of cases) {
      it(`rejects ${name} with the error HTTP gives`, async () => {
        const http = await server.gql(overHttp, {}, auth.acme);
        expect(http.status).toBe(400);
        expect(http.errors?.[0]?.extensions?.code).toMatch(/^GRAPHQL_(VALIDATION|PARSE)_FAILED$/);

        const sub = new Subscription(client({ tenant: "acme" }), overWs);
        await sub.until(() => sub.ended, "the rejection");
        expect(sub.results).toEqual([]);
        const errors = sub.error as { message: string; extensions?: { code?: string } }[];
        expect(Array.isArray(errors)).toBe(true);
        expect(errors[0]!.extensions?.code).toBe(http.errors![0]!.extensions!.code);
        // The same rule refuses both; only the figures differ, the query being one level deeper.
        const rule = (message: string) => message.replace(/[\d.]+/g, "N");
        expect(rule(errors[0]!.message)).toBe(rule(http.errors![0]!.message));
      });
    }
  });
});

describe("shutting the server down with subscriptions open", () => {
  it("closes the sockets and finishes closing instead of waiting on them", async () => {
    let tenantId = "";
    const server = await startTestServer(async (dbUrl) => {
      const pool = createOwnerPool(dbUrl);
      ({ tenantId } = await createTenant(pool, "acme"));
      await pool.end();
    });
    const c = createClient({
      url: `${server.url.replace(/^http/, "ws")}/graphql`,
      webSocketImpl: WebSocket,
      retryAttempts: 0,
      connectionParams: await server.as("acme"),
    });
    try {
      const jobId = await asTenant(server.app.ownerPool, tenantId, async (q) => {
        const { rows } = await q.query<{ id: string }>(
          "INSERT INTO sync_jobs (type, updated_at) VALUES ('FULL', now()) RETURNING id",
        );
        return rows[0]!.id;
      });
      const open = new Subscription(c, PROGRESS, { id: toGlobalId("SyncJob", jobId) });
      const jobs = new Subscription(c, UPDATED);
      await open.until(() => open.results.length === 1, "the subscription to be live");

      await server.app.http.close();
      await open.until(() => open.ended, "the socket to close");
      await jobs.until(() => jobs.ended, "the socket to close");
      expect(open.completed).toBe(false);
    } finally {
      await c.dispose();
      await server.close();
    }
  });
});
