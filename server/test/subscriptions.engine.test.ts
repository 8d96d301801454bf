import { randomUUID } from "node:crypto";
import { type Client, createClient } from "graphql-ws";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { toGlobalId } from "../src/graphql/global-id";
import { createOwnerPool } from "../src/platform/db";
import { PgPubSub } from "../src/platform/events";
import { type SyncHarness, startSyncHarness } from "./sync-harness";

const WAIT_MS = 90_000;
const SKUS = 200;

type Job = { id: string; status: string; isTerminal: boolean; processedItems: number; totalItems: number };

/** Every result of one subscription, with a bounded wait for a condition on them. */
function collect(client: Client, query: string, variables?: Record<string, unknown>) {
  const results: { data?: Record<string, unknown> | null; errors?: unknown }[] = [];
  const state = { completed: false, error: undefined as unknown };
  const waiters = new Set<() => void>();
  const notify = () => {
    for (const w of waiters) w();
  };
  client.subscribe(
    { query, variables },
    {
      next: (r) => {
        results.push(r);
        notify();
      },
      error: (e) => {
        state.error = e ?? "error";
        notify();
      },
      complete: () => {
        state.completed = true;
        notify();
      },
    },
  );
  const until = (ready: () => boolean, what: string) =>
    new Promise<void>((resolve, reject) => {
      const check = () => {
        if (state.error !== undefined) {
          waiters.delete(check);
          clearTimeout(timer);
          reject(new Error(`subscription failed: ${JSON.stringify(state.error)}`));
        } else if (ready()) {
          waiters.delete(check);
          clearTimeout(timer);
          resolve();
        }
      };
      const timer = setTimeout(() => {
        waiters.delete(check);
        reject(new Error(`timed out waiting for ${what}; got ${JSON.stringify(results).slice(0, 2000)}`));
      }, WAIT_MS);
      waiters.add(check);
      check();
    });
  return { results, state, until };
}

describe("live progress of a real sync against the marketplace sandbox", () => {
  let h: SyncHarness;
  let client: Client;
  let probePool: ReturnType<typeof createOwnerPool>;
  let probeBus: PgPubSub;

  beforeAll(async () => {
    h = await startSyncHarness({ skus: SKUS });
    client = createClient({
      url: `${h.server.url.replace(/^http/, "ws")}/graphql`,
      webSocketImpl: WebSocket,
      connectionParams: await h.server.as("demo"),
      retryAttempts: 0,
    });
    probePool = createOwnerPool(h.server.dbUrl);
    probeBus = new PgPubSub(h.server.dbUrl, probePool);
    // pool.end() resolves before its sockets close; dropping the database may still cut one.
    probePool.on("error", () => {});
  });

  afterAll(async () => {
    await client?.dispose();
    await probeBus?.close();
    await probePool?.end();
    await h?.close();
  });

  it("streams a started FULL sync from its first state to SUCCEEDED, counters rising, then completes", async () => {
    const updates = collect(
      client,
      "subscription { syncJobsUpdated { id status isTerminal processedItems totalItems } }",
    );
    // The list subscription is live once it delivers a probe published after it opened.
    const probeId = randomUUID();
    const probeGlobalId = toGlobalId("SyncJob", probeId);
    const seenProbe = () =>
      updates.results.some((r) => (r.data?.syncJobsUpdated as Job | undefined)?.id === probeGlobalId);
    const probe = setInterval(() => {
      const now = new Date().toISOString();
      void probeBus.publish(`syncJobs:${h.tenantId}`, {
        id: probeId,
        tenantId: h.tenantId,
        type: "FULL",
        status: "PENDING",
        createdAt: now,
        updatedAt: now,
      });
    }, 200);
    try {
      await updates.until(seenProbe, "the probe event");
    } finally {
      clearInterval(probe);
    }

    const started = await h.server.gql(
      `mutation { startInventorySync(input: { type: FULL }) {
         created job { id status } userErrors { field code message } } }`,
    );
    expect(started.errors).toBeUndefined();
    const payload = started.data!.startInventorySync;
    expect(payload.userErrors).toEqual([]);
    const jobId = payload.job.id as string;

    const progress = collect(
      client,
      `subscription ($id: ID!) { syncJobProgress(jobId: $id) {
         id status isTerminal processedItems totalItems updatedItems failedItems conflictCount } }`,
      { id: jobId },
    );
    await progress.until(() => progress.state.completed, "the job's stream to complete");
    const stream = progress.results.map((r) => {
      expect(r.errors).toBeUndefined();
      return r.data!.syncJobProgress as Job & Record<string, number>;
    });
    expect(stream.at(-1)).toMatchObject({ id: jobId, status: "SUCCEEDED", isTerminal: true });
    expect(stream.filter((j) => j.isTerminal)).toHaveLength(1);
    for (const counter of ["processedItems", "updatedItems", "failedItems", "conflictCount"]) {
      const values = stream.map((j) => j[counter]!);
      expect(values, counter).toEqual([...values].sort((a, b) => a - b));
    }

    const mine = () =>
      updates.results.map((r) => r.data?.syncJobsUpdated as Job).filter((j) => j && j.id === jobId);
    await updates.until(() => mine().some((j) => j.isTerminal), "the job's end in the jobs list");
    const listed = mine();
    expect(listed[0]!.isTerminal).toBe(false);
    expect(listed.at(-1)).toMatchObject({ status: "SUCCEEDED", processedItems: listed.at(-1)!.totalItems });
    const processed = listed.map((j) => j.processedItems);
    expect(processed).toEqual([...processed].sort((a, b) => a - b));
    expect(listed.at(-1)!.totalItems).toBeGreaterThan(0);
  }, 120_000);
});
