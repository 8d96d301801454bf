import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { SyncJob } from "../../generated/prisma/client";
import { jobEvent, ProgressPublisher } from "./progress";

function row(overrides: Partial<SyncJob> = {}): SyncJob {
  const at = new Date("2026-01-02T03:04:05.678Z");
  return {
    id: "7f0c3c1e-6f4b-4f2a-9b1e-0d7c2f1a2b3c",
    tenantId: "1b2c3d4e-5f60-4718-9a0b-1c2d3e4f5a6b",
    type: "FULL",
    status: "FETCHING",
    trigger: "MANUAL",
    dryRun: false,
    platforms: [],
    filters: {},
    totalItems: 0,
    processedItems: 0,
    updatedItems: 0,
    conflictCount: 0,
    failedItems: 0,
    platformResults: {},
    checkpoint: null,
    error: null,
    createdById: null,
    cancelRequestedAt: null,
    startedAt: at,
    finishedAt: null,
    createdAt: at,
    updatedAt: at,
    ...overrides,
  };
}

describe("ProgressPublisher", () => {
  let sent: Array<{ key: string; payload: Record<string, unknown> }>;
  const publish = async (key: string, payload: unknown) => {
    sent.push({ key, payload: payload as Record<string, unknown> });
  };
  const states = () => sent.filter((e) => e.key.startsWith("syncJob:")).map((e) => e.payload);

  beforeEach(() => {
    sent = [];
    vi.useFakeTimers();
  });
  afterEach(() => vi.useRealTimers());

  it("publishes the first state at once to the job's and the tenant's keys", async () => {
    const p = new ProgressPublisher(publish);
    p.update(row());
    await p.drained();
    expect(sent.map((e) => e.key)).toEqual([
      "syncJob:7f0c3c1e-6f4b-4f2a-9b1e-0d7c2f1a2b3c",
      "syncJobs:1b2c3d4e-5f60-4718-9a0b-1c2d3e4f5a6b",
    ]);
  });

  it("coalesces a burst into at most one event per 100 ms carrying the newest state", async () => {
    const p = new ProgressPublisher(publish);
    for (let i = 1; i <= 1000; i++) {
      p.update(row({ status: "APPLYING", totalItems: 1000, processedItems: i }));
      if (i % 10 === 0) await vi.advanceTimersByTimeAsync(1);
    }
    await vi.advanceTimersByTimeAsync(200);
    await p.drained();
    // 1000 updates over 100 ms of fake time: the leading event, then the newest state once the window ends.
    expect(states().map((s) => s.processedItems)).toEqual([1, 1000]);
  });

  it("sends at most ten events per second however often it is called", async () => {
    const p = new ProgressPublisher(publish);
    for (let ms = 0; ms < 1000; ms += 5) {
      p.update(row({ status: "APPLYING", processedItems: ms }));
      await vi.advanceTimersByTimeAsync(5);
    }
    await p.drained();
    expect(states().length).toBeLessThanOrEqual(11);
    expect(states().length).toBeGreaterThanOrEqual(9);
  });

  it("never lets a counter go backwards", async () => {
    const p = new ProgressPublisher(publish);
    p.update(row({ status: "APPLYING", processedItems: 50, updatedItems: 20 }));
    await vi.advanceTimersByTimeAsync(150);
    p.update(row({ status: "APPLYING", processedItems: 40, updatedItems: 25 }));
    await vi.advanceTimersByTimeAsync(150);
    await p.drained();
    expect(states().map((s) => [s.processedItems, s.updatedItems])).toEqual([
      [50, 20],
      [50, 25],
    ]);
  });

  it("always publishes the terminal state at once, and nothing after it", async () => {
    const p = new ProgressPublisher(publish);
    p.update(row({ status: "APPLYING", processedItems: 1 }));
    p.update(row({ status: "APPLYING", processedItems: 2 }));
    await p.finish(row({ status: "CANCELLED", processedItems: 3, finishedAt: new Date() }));
    p.update(row({ status: "APPLYING", processedItems: 4 }));
    await vi.advanceTimersByTimeAsync(500);
    await p.drained();
    expect(states().map((s) => [s.status, s.processedItems])).toEqual([
      ["APPLYING", 1],
      ["CANCELLED", 3],
    ]);
  });

  it("treats a terminal state given to update as the final one", async () => {
    const p = new ProgressPublisher(publish);
    p.update(row({ status: "APPLYING" }));
    p.update(row({ status: "SUCCEEDED" }));
    await p.drained();
    expect(states().map((s) => s.status)).toEqual(["APPLYING", "SUCCEEDED"]);
  });

  it("keeps publishing after PostgreSQL refuses one event", async () => {
    const errors: unknown[] = [];
    let fail = true;
    const p = new ProgressPublisher(
      async (key, payload) => {
        if (fail) throw new Error("connection lost");
        await publish(key, payload);
      },
      { onError: (e) => errors.push(e) },
    );
    p.update(row({ status: "FETCHING" }));
    await p.drained();
    fail = false;
    await p.finish(row({ status: "SUCCEEDED" }));
    expect(errors.length).toBeGreaterThan(0);
    expect(states().map((s) => s.status)).toEqual(["SUCCEEDED"]);
  });
});

describe("jobEvent", () => {
  it("is the row as plain JSON with ISO dates and the tenant id", () => {
    const event = jobEvent(row({ status: "SUCCEEDED", finishedAt: new Date("2026-01-02T03:05:00.000Z") }));
    expect(event).toMatchObject({
      id: "7f0c3c1e-6f4b-4f2a-9b1e-0d7c2f1a2b3c",
      tenantId: "1b2c3d4e-5f60-4718-9a0b-1c2d3e4f5a6b",
      status: "SUCCEEDED",
      startedAt: "2026-01-02T03:04:05.678Z",
      finishedAt: "2026-01-02T03:05:00.000Z",
      totalItems: 0,
    });
    expect(JSON.parse(JSON.stringify(event))).toEqual(event);
  });

  it("fits a NOTIFY payload even with 10,000 SKUs in its filters", () => {
    const skus = Array.from({ length: 10_000 }, (_, i) => `SKU-${String(i).padStart(6, "0")}`);
    const event = jobEvent(row({ type: "PARTIAL", filters: { skus } }));
    expect(Buffer.byteLength(JSON.stringify(event))).toBeLessThan(7900);
    expect(event.filters).toMatchObject({ skuCount: 10_000, truncated: true });
  });
});
