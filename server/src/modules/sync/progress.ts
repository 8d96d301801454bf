import type { SyncJob } from "../../generated/prisma/client";

/** Routing keys of progress events: one job, and every job of a tenant. */
export const progressKeys = (job: Pick<SyncJob, "id" | "tenantId">) => [
  `syncJob:${job.id}`,
  `syncJobs:${job.tenantId}`,
];

/** Least time between two events of one job: at most ten per second. */
export const PROGRESS_INTERVAL_MS = 100;

const TERMINAL = new Set(["SUCCEEDED", "FAILED", "CANCELLED"]);
const COUNTERS = ["totalItems", "processedItems", "updatedItems", "conflictCount", "failedItems"] as const;
// NOTIFY payloads must stay below 8000 bytes; the envelope adds the routing key.
const MAX_EVENT_BYTES = 7000;
const SKU_SAMPLE = 20;

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/**
 * The sync_jobs row as plain JSON (camelCase like the Prisma row, dates as ISO strings, tenantId included),
 * shortened where it would not fit a NOTIFY payload: long SKU lists become a sample and a count, and the
 * checkpoint keeps only its phase.
 */
export function jobEvent(row: SyncJob): Record<string, Json> {
  const event: Record<string, Json> = {};
  for (const [key, value] of Object.entries(row)) {
    event[key] = value instanceof Date ? value.toISOString() : (value as Json);
  }
  const filters = row.filters as Record<string, Json> | null;
  if (filters && Array.isArray(filters.skus) && filters.skus.length > SKU_SAMPLE) {
    event.filters = {
      ...filters,
      skus: filters.skus.slice(0, SKU_SAMPLE),
      skuCount: filters.skus.length,
      truncated: true,
    };
  }
  const checkpoint = row.checkpoint as Record<string, Json> | null;
  if (checkpoint && typeof checkpoint === "object") {
    event.checkpoint = {
      phase: checkpoint.phase ?? null,
      runs: Array.isArray(checkpoint.runs) ? checkpoint.runs.length : 0,
    };
  }
  if (Buffer.byteLength(JSON.stringify(event)) > MAX_EVENT_BYTES) {
    event.filters = { truncated: true };
    if (Buffer.byteLength(JSON.stringify(event)) > MAX_EVENT_BYTES)
      event.platformResults = { truncated: true };
    if (typeof event.error === "string" && Buffer.byteLength(JSON.stringify(event)) > MAX_EVENT_BYTES) {
      event.error = event.error.slice(0, 500);
    }
  }
  return event;
}

export interface ProgressPublisherOptions {
  intervalMs?: number;
  now?: () => number;
  onError?: (error: unknown) => void;
}

/**
 * Publishes a job's states as it runs: the first at once, then at most one per interval carrying the newest
 * state (coalesced), with counters that never go backwards, and the terminal state always and at once.
 */
export class ProgressPublisher {
  private last = Number.NEGATIVE_INFINITY;
  private pending: SyncJob | undefined;
  private timer: NodeJS.Timeout | undefined;
  private high: Partial<Record<(typeof COUNTERS)[number], number>> = {};
  private finished = false;
  private inflight: Promise<void> = Promise.resolve();
  private readonly intervalMs: number;
  private readonly now: () => number;

  constructor(
    private readonly publish: (routingKey: string, payload: unknown) => Promise<void>,
    private readonly options: ProgressPublisherOptions = {},
  ) {
    this.intervalMs = options.intervalMs ?? PROGRESS_INTERVAL_MS;
    this.now = options.now ?? Date.now;
  }

  /** Offers the job's current state; it goes out now, or as part of the next coalesced event. */
  update(row: SyncJob): void {
    if (this.finished) return;
    if (TERMINAL.has(row.status)) {
      void this.finish(row);
      return;
    }
    this.pending = row;
    const wait = this.last + this.intervalMs - this.now();
    if (wait <= 0) this.flush();
    else this.timer ??= setTimeout(() => this.flush(), wait);
  }

  /** Publishes the terminal (or final) state at once, and nothing after it. */
  async finish(row: SyncJob): Promise<void> {
    if (this.finished) return this.inflight;
    this.finished = true;
    clearTimeout(this.timer);
    this.timer = undefined;
    this.pending = undefined;
    this.send(row);
    return this.inflight;
  }

  /** Waits for the events already handed to PostgreSQL. */
  drained(): Promise<void> {
    return this.inflight;
  }

  private flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    const row = this.pending;
    this.pending = undefined;
    if (row && !this.finished) this.send(row);
  }

  private send(row: SyncJob): void {
    this.last = this.now();
    const monotonic = { ...row };
    for (const key of COUNTERS) {
      const value = Math.max(row[key], this.high[key] ?? 0);
      this.high[key] = value;
      monotonic[key] = value;
    }
    const payload = jobEvent(monotonic);
    const keys = progressKeys(row);
    this.inflight = this.inflight
      .then(() => Promise.all(keys.map((key) => this.publish(key, payload))))
      .then(
        () => undefined,
        (error) => this.options.onError?.(error),
      );
  }
}
