import type pg from "pg";
import type { NormalizedListing } from "../../connectors";
import type { Prisma, SyncJob } from "../../generated/prisma/client";
import type { ConflictStrategy } from "../../generated/prisma/enums";
import { withTenant } from "../../platform/db";
import { ProgressPublisher } from "./progress";
import type { SyncRuntime } from "./sync.runtime";
import { type JobCheckpoint } from "./sync.service";
import { itemCounts } from "./sync.store";

export class Cancelled extends Error {
  override name = "Cancelled";
}

const COUNTER_FLUSH_MS = 250;

export interface PlatformResult {
  read: number;
  unmatched: number;
  updated: number;
  failed: number;
  skipped: number;
  conflicts: number;
  readMs?: number;
  status?: string;
}

export interface Settings {
  conflictStrategy: ConflictStrategy;
  lowStockThreshold: number;
  outOfStockThreshold: number;
  maxPriceVariancePct: number;
}

export interface Fetched {
  listing: NormalizedListing;
  readAt: Date;
}

export const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    signal.addEventListener("abort", onAbort, { once: true });
  });

/** One run of one job in this process: its state, signal, counters and progress events. */
export class JobRun {
  readonly db;
  readonly results: Record<string, PlatformResult> = {};
  private flushAt = 0;
  private flushing: Promise<void> = Promise.resolve();

  constructor(
    readonly rt: SyncRuntime,
    readonly tenantId: string,
    public job: SyncJob,
    readonly signal: AbortSignal,
    readonly progress: ProgressPublisher,
  ) {
    this.db = rt.db(tenantId);
    Object.assign(this.results, (job.platformResults ?? {}) as unknown as Record<string, PlatformResult>);
  }

  get checkpoint(): JobCheckpoint {
    return (this.job.checkpoint ?? { phase: "FETCH" }) as unknown as JobCheckpoint;
  }

  result(platform: string): PlatformResult {
    this.results[platform] ??= { read: 0, unmatched: 0, updated: 0, failed: 0, skipped: 0, conflicts: 0 };
    return this.results[platform]!;
  }

  tx<T>(fn: (c: pg.PoolClient) => Promise<T>) {
    return withTenant(this.rt.pool, this.tenantId, fn);
  }

  async update(data: Prisma.SyncJobUpdateInput): Promise<SyncJob> {
    this.job = await this.db.client.syncJob.update({
      where: { id: this.job.id },
      data: { platformResults: this.results as unknown as Prisma.InputJsonObject, ...data },
    });
    this.progress.update(this.job);
    return this.job;
  }

  /** Recomputes the counters from the items (exact after a crash) and publishes them, at most every 250 ms. */
  refreshCounters(force = false): Promise<void> {
    const now = Date.now();
    if (!force && now < this.flushAt) return this.flushing;
    this.flushAt = now + COUNTER_FLUSH_MS;
    this.flushing = this.flushing.then(async () => {
      const counts = await this.tx((c) => itemCounts(c, this.job.id));
      const dryRun = this.job.dryRun;
      for (const [platform, byStatus] of Object.entries(counts.byPlatform)) {
        const r = this.result(platform);
        r.updated = dryRun ? (byStatus.SKIPPED ?? 0) : (byStatus.APPLIED ?? 0);
        r.failed = byStatus.FAILED ?? 0;
        r.skipped = byStatus.SKIPPED ?? 0;
      }
      const total = this.job.totalItems;
      await this.update({
        updatedItems: dryRun ? (counts.byStatus.SKIPPED ?? 0) : (counts.byStatus.APPLIED ?? 0),
        failedItems: counts.byStatus.FAILED ?? 0,
        processedItems: Math.max(this.job.processedItems, Math.max(0, total - counts.pendingProducts)),
      });
    });
    return this.flushing;
  }

  throwIfStopped() {
    if (this.signal.aborted) throw this.signal.reason ?? new Cancelled("stopped");
  }
}

export async function loadSettings(run: JobRun): Promise<Settings> {
  const s = await run.db.client.platformSyncSettings.findFirst();
  return {
    conflictStrategy: s?.conflictStrategy ?? "SOURCE_WINS",
    lowStockThreshold: s?.lowStockThreshold ?? 10,
    outOfStockThreshold: s?.outOfStockThreshold ?? 0,
    maxPriceVariancePct: s ? Number(s.maxPriceVariancePct) : 5,
  };
}

/** Retries a platform read on retryable errors (throttling, outages) a few times before giving up. */
export async function withRetries<T>(run: JobRun, what: string, fn: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    run.throwIfStopped();
    try {
      return await fn();
    } catch (error) {
      if (run.signal.aborted) throw run.signal.reason;
      const retryable = (error as { retryable?: boolean }).retryable !== false;
      if (!retryable || attempt >= 4) throw new Error(`${what}: ${(error as Error).message}`);
      await sleep(500 * 2 ** (attempt - 1), run.signal);
    }
  }
}
