import { describe, expect, it } from "vitest";
import type { SyncJob as SyncJobRow } from "../../generated/prisma/client";
import { coalesce, mergeJobState, parseJobEvent } from "./sync-progress.stream";

/** An event source like PgPubSub's: push events in, next() waits for them, return() ends a pending next(). */
function channel() {
  const buffer: unknown[] = [];
  let wake: (() => void) | undefined;
  let done = false;
  let returned = 0;
  const iterator: AsyncIterator<unknown> = {
    async next() {
      while (!done && buffer.length === 0) await new Promise<void>((r) => (wake = r));
      if (buffer.length > 0) return { value: buffer.shift(), done: false };
      return { value: undefined, done: true };
    },
    async return() {
      returned++;
      done = true;
      wake?.();
      return { value: undefined, done: true };
    },
  };
  return {
    iterator,
    push(value: unknown) {
      buffer.push(value);
      wake?.();
    },
    get returned() {
      return returned;
    },
  };
}

/** A clock the test moves: sleeps wait until the test lets them go. */
function manualClock() {
  let time = 0;
  const sleeps: { ms: number; release: () => void }[] = [];
  return {
    now: () => time,
    sleep(ms: number, signal: AbortSignal) {
      return new Promise<void>((resolve) => {
        const release = () => resolve();
        sleeps.push({ ms, release });
        signal.addEventListener("abort", release);
      });
    },
    sleeps,
    async advance(ms: number) {
      time += ms;
      for (const s of sleeps.splice(0)) s.release();
      await new Promise((r) => setImmediate(r));
    },
  };
}

const settle = () => new Promise((r) => setImmediate(r));

function job(processed: number, over: Partial<SyncJobRow> = {}): SyncJobRow {
  return {
    id: "j1",
    tenantId: "t1",
    type: "FULL",
    status: "APPLYING",
    trigger: "MANUAL",
    dryRun: false,
    platforms: [],
    filters: {},
    totalItems: 100,
    processedItems: processed,
    updatedItems: 0,
    conflictCount: 0,
    failedItems: 0,
    platformResults: {},
    checkpoint: null,
    error: null,
    createdById: null,
    cancelRequestedAt: null,
    startedAt: null,
    finishedAt: null,
    createdAt: new Date(0),
    updatedAt: new Date(1000 + processed),
    ...over,
  };
}

const terminal = (j: SyncJobRow) => j.status === "SUCCEEDED";

describe("coalesce", () => {
  it("delivers the initial state, then merges what arrives within one interval into its newest state", async () => {
    const source = channel();
    const clock = manualClock();
    const stream = coalesce<SyncJobRow>(source.iterator, [job(0)], {
      intervalMs: 100,
      parse: (raw) => raw as SyncJobRow,
      key: (j) => j.id,
      merge: mergeJobState,
      isLast: terminal,
      now: clock.now,
      sleep: clock.sleep,
    });
    expect((await stream.next()).value.processedItems).toBe(0);

    const second = stream.next();
    for (const p of [10, 20, 30]) source.push(job(p));
    await settle();
    expect(clock.sleeps.map((s) => s.ms)).toEqual([100]);
    await clock.advance(100);
    expect((await second).value.processedItems).toBe(30);

    const third = stream.next();
    source.push(job(40));
    source.push(job(100, { status: "SUCCEEDED" }));
    await settle();
    await clock.advance(100);
    expect((await third).value.status).toBe("SUCCEEDED");
    expect(await stream.next()).toEqual({ value: undefined, done: true });
    expect(source.returned).toBe(1);
  });

  it("does not wait when the last delivery is older than the interval", async () => {
    const source = channel();
    const clock = manualClock();
    const stream = coalesce<SyncJobRow>(source.iterator, [job(0)], {
      intervalMs: 100,
      parse: (raw) => raw as SyncJobRow,
      key: (j) => j.id,
      merge: mergeJobState,
      now: clock.now,
      sleep: clock.sleep,
    });
    await stream.next();
    await clock.advance(500);
    source.push(job(5));
    expect((await stream.next()).value.processedItems).toBe(5);
    expect(clock.sleeps).toEqual([]);
    await stream.return?.();
  });

  it("keeps one newest state per key and delivers every key with news", async () => {
    const source = channel();
    const stream = coalesce<SyncJobRow>(source.iterator, [], {
      intervalMs: 0,
      parse: (raw) => raw as SyncJobRow,
      key: (j) => j.id,
      merge: mergeJobState,
    });
    const first = stream.next();
    source.push(job(1, { id: "a" }));
    expect((await first).value.id).toBe("a");
    source.push(job(2, { id: "a" }));
    source.push(job(1, { id: "b" }));
    source.push(job(3, { id: "a" }));
    await settle();
    const seen = [(await stream.next()).value, (await stream.next()).value];
    expect(seen.map((j) => [j.id, j.processedItems])).toEqual([
      ["b", 1],
      ["a", 3],
    ]);
    await stream.return?.();
  });

  it("ends a pending next() and returns the source when the stream is returned", async () => {
    const source = channel();
    const stream = coalesce<SyncJobRow>(source.iterator, [], {
      intervalMs: 100,
      parse: (raw) => raw as SyncJobRow,
      key: (j) => j.id,
      merge: mergeJobState,
    });
    const pending = stream.next();
    await stream.return?.();
    expect(await pending).toEqual({ value: undefined, done: true });
    expect(source.returned).toBe(1);
  });

  it("drops what does not parse", async () => {
    const source = channel();
    const stream = coalesce<SyncJobRow>(source.iterator, [], {
      intervalMs: 0,
      parse: parseJobEvent,
      key: (j) => j.id,
      merge: mergeJobState,
    });
    const next = stream.next();
    source.push("garbage");
    source.push({ id: "j1" });
    source.push(JSON.parse(JSON.stringify(job(7))));
    expect((await next).value.processedItems).toBe(7);
    await stream.return?.();
  });
});

describe("mergeJobState", () => {
  it("takes a newer state", () => {
    expect(mergeJobState(job(10), job(20))?.processedItems).toBe(20);
  });

  it("drops a state older than the known one", () => {
    expect(mergeJobState(job(20), job(10))).toBeUndefined();
  });

  it("drops a state stamped newer whose counters are all behind", () => {
    expect(mergeJobState(job(20), job(10, { updatedAt: new Date(9999) }))).toBeUndefined();
  });

  it("never lets a counter go backwards when another one moves on", () => {
    const merged = mergeJobState(job(20, { failedItems: 5 }), job(21, { failedItems: 3 }));
    expect(merged).toMatchObject({ processedItems: 21, failedItems: 5 });
  });

  it("takes nothing after the job ended", () => {
    expect(mergeJobState(job(100, { status: "CANCELLED" }), job(100, { updatedAt: new Date(5000) }))).toBe(
      undefined,
    );
  });
});

describe("parseJobEvent", () => {
  it("reads the row from JSON with ISO dates, in camelCase or snake_case", () => {
    const camel = parseJobEvent(JSON.parse(JSON.stringify(job(3, { startedAt: new Date(50) }))));
    expect(camel).toEqual(job(3, { startedAt: new Date(50) }));
    const snake = parseJobEvent({
      id: "j1",
      tenant_id: "t1",
      status: "FETCHING",
      processed_items: 4,
      platforms: "{AMAZON,MEDUSA}",
      total_items: 10,
      updated_at: "2026-01-01T00:00:00.000Z",
    });
    expect(snake).toMatchObject({
      tenantId: "t1",
      processedItems: 4,
      totalItems: 10,
      updatedItems: 0,
      platforms: ["AMAZON", "MEDUSA"],
    });
    expect(snake?.updatedAt).toEqual(new Date("2026-01-01T00:00:00.000Z"));
  });

  it("refuses what is not a job", () => {
    expect(parseJobEvent(null)).toBeUndefined();
    expect(parseJobEvent({ id: "j1", tenantId: "t1", status: "PENDING" })).toBeUndefined();
    expect(
      parseJobEvent({ id: "j1", tenantId: "t1", status: "PENDING", updatedAt: "not a date" }),
    ).toBeUndefined();
  });
});
