import type { SyncJob as SyncJobRow } from "../../generated/prisma/client";

const TERMINAL = new Set(["SUCCEEDED", "FAILED", "CANCELLED"]);
const COUNTERS = ["processedItems", "updatedItems", "failedItems", "conflictCount"] as const;
const DATES = ["cancelRequestedAt", "startedAt", "finishedAt", "createdAt", "updatedAt"] as const;

/** At most this many events per second go to one subscriber per job, the newest state of each. */
export const PROGRESS_EVENTS_PER_SECOND = 10;

export function isTerminal(job: Pick<SyncJobRow, "status">): boolean {
  return TERMINAL.has(job.status);
}

// node-postgres leaves arrays of enums in their text form: "{AMAZON,MEDUSA}".
function pgArray(value: unknown): string[] {
  if (typeof value !== "string" || !/^\{.*\}$/.test(value)) return [];
  return value.slice(1, -1).split(",").filter(Boolean);
}

const snake = (key: string) => key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

/**
 * A progress event's payload (the sync_jobs row as JSON: ISO date strings, camelCase or snake_case keys) as
 * the row the SyncJob type resolves from; undefined when it is not one.
 */
export function parseJobEvent(payload: unknown): SyncJobRow | undefined {
  if (!payload || typeof payload !== "object") return undefined;
  const source = payload as Record<string, unknown>;
  const read = (key: string) => (key in source ? source[key] : source[snake(key)]);
  const row: Record<string, unknown> = {};
  for (const key of [
    "id",
    "tenantId",
    "type",
    "status",
    "trigger",
    "dryRun",
    "platforms",
    "filters",
    "totalItems",
    ...COUNTERS,
    "platformResults",
    "checkpoint",
    "error",
    "createdById",
    ...DATES,
  ]) {
    row[key] = read(key);
  }
  if (typeof row.id !== "string" || typeof row.tenantId !== "string" || typeof row.status !== "string") {
    return undefined;
  }
  for (const key of ["totalItems", ...COUNTERS]) {
    const n = Number(row[key] ?? 0);
    if (!Number.isFinite(n)) return undefined;
    row[key] = n;
  }
  for (const key of DATES) {
    const value = row[key];
    if (value === undefined || value === null) row[key] = null;
    else {
      const date = new Date(value as string);
      if (Number.isNaN(date.getTime())) return undefined;
      row[key] = date;
    }
  }
  if (!(row.updatedAt instanceof Date)) return undefined;
  row.createdAt ??= row.updatedAt;
  row.dryRun = row.dryRun === true;
  row.platforms = Array.isArray(row.platforms) ? row.platforms : pgArray(row.platforms);
  row.filters ??= {};
  row.platformResults ??= {};
  row.checkpoint ??= null;
  row.error ??= null;
  row.createdById ??= null;
  row.type ??= "FULL";
  row.trigger ??= "MANUAL";
  return row as unknown as SyncJobRow;
}

/**
 * The newer of what a subscriber knows of a job and an incoming state of it, or undefined when the incoming
 * state is stale: older, behind on its counters, or after the job ended. Counters never go backwards.
 */
export function mergeJobState(known: SyncJobRow | undefined, incoming: SyncJobRow): SyncJobRow | undefined {
  if (!known) return incoming;
  if (isTerminal(known)) return undefined;
  if (incoming.updatedAt.getTime() < known.updatedAt.getTime()) return undefined;
  const behind = COUNTERS.some((c) => incoming[c] < known[c]);
  const ahead = COUNTERS.some((c) => incoming[c] > known[c]);
  if (behind && !ahead) return undefined;
  const merged = { ...incoming };
  for (const c of COUNTERS) merged[c] = Math.max(known[c], incoming[c]);
  return merged;
}

export interface CoalesceOptions<T> {
  /** Least time between two deliveries; what arrives meanwhile is merged into one state per key. */
  intervalMs: number;
  parse(raw: unknown): T | undefined;
  key(item: T): string;
  /** The state to keep from what is known of a key and what came in; undefined drops the incoming one. */
  merge(known: T | undefined, incoming: T): T | undefined;
  /** Ends the stream once this item is delivered. */
  isLast?(item: T): boolean;
  /** Waits; injectable so tests control the clock. Must settle early when the signal aborts. */
  sleep?(ms: number, signal: AbortSignal): Promise<void>;
  now?(): number;
}

function defaultSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    }
    signal.addEventListener("abort", done);
  });
}

/**
 * Delivers `initial`, then the events of `source`, each merged into the newest known state of its key and
 * delivered at most once per `intervalMs` (all keys with news at once). Returning the stream returns the
 * source at once, even while waiting for an event.
 */
export function coalesce<T>(
  source: AsyncIterator<unknown>,
  initial: T[],
  options: CoalesceOptions<T>,
): AsyncIterableIterator<T> {
  const sleep = options.sleep ?? defaultSleep;
  const now = options.now ?? Date.now;
  const known = new Map<string, T>();
  const pending = new Map<string, T>();
  const ready: T[] = [];
  const closing = new AbortController();
  let sourceDone = false;
  let failure: { error: unknown } | undefined;
  let finished = false;
  let lastDelivery = Number.NEGATIVE_INFINITY;
  let wake: (() => void) | undefined;

  const accept = (item: T) => {
    const k = options.key(item);
    const merged = options.merge(known.get(k), item);
    if (merged === undefined) return false;
    known.set(k, merged);
    pending.delete(k);
    pending.set(k, merged);
    return true;
  };
  for (const item of initial) if (accept(item)) ready.push(pending.get(options.key(item))!);
  pending.clear();

  void (async () => {
    try {
      while (!closing.signal.aborted) {
        const next = await source.next();
        if (next.done) break;
        const item = options.parse(next.value);
        if (item !== undefined && accept(item)) wake?.();
      }
    } catch (error) {
      if (!closing.signal.aborted) failure = { error };
    } finally {
      sourceDone = true;
      wake?.();
    }
  })();

  const stop = async () => {
    if (closing.signal.aborted) return;
    finished = true;
    closing.abort();
    wake?.();
    // The pump ends once the source is returned: PgPubSub settles a pending next() on return().
    await source.return?.();
  };

  const deliver = async (item: T): Promise<IteratorResult<T>> => {
    lastDelivery = now();
    if (options.isLast?.(item)) {
      finished = true;
      await stop();
    }
    return { value: item, done: false };
  };

  return {
    [Symbol.asyncIterator]() {
      return this;
    },
    async next() {
      const first = ready.shift();
      if (first !== undefined) return deliver(first);
      while (!finished && !failure && pending.size === 0 && !sourceDone) {
        await new Promise<void>((resolve) => {
          wake = resolve;
        });
        wake = undefined;
      }
      if (!finished && pending.size > 0) {
        const wait = lastDelivery + options.intervalMs - now();
        if (wait > 0) await sleep(wait, closing.signal);
      }
      if (!finished && pending.size > 0) {
        ready.push(...pending.values());
        pending.clear();
        return deliver(ready.shift()!);
      }
      if (failure) {
        const { error } = failure;
        failure = undefined;
        await stop();
        throw error;
      }
      await stop();
      return { value: undefined, done: true };
    },
    async return() {
      await stop();
      return { value: undefined, done: true };
    },
  };
}
