import type pg from "pg";
import type { PrismaClient } from "../../generated/prisma/client";
import { type TenantDb, tenantDb } from "../../platform/db";
import type { DatabaseSession } from "../../platform/db/session";
import type { PgPubSub } from "../../platform/events";
import type { Metrics } from "../../platform/metrics";
import { type JobQueue, queueBacklog, startQueue } from "../../platform/queue";
import type { ConnectionService } from "../connections/connections.service";

export interface SyncOptions {
  /** Updates per applyUpdates call (one feed on Amazon, one batch request on Medusa). */
  batchSize: number;
  /** How long an accepted write may take to show on a platform with asynchronous writes (Amazon feeds). */
  asyncSettleMs: number;
  /** How often a running job looks for a cancel request. */
  cancelPollMs: number;
  /** Passes over retryable failures before they are reported failed. */
  retryPasses: number;
  /** Minimum time between two progress events of a job. */
  progressIntervalMs: number;
}

export const DEFAULT_SYNC_OPTIONS: SyncOptions = {
  batchSize: 1000,
  asyncSettleMs: 120_000,
  cancelPollMs: 200,
  retryPasses: 3,
  progressIntervalMs: 100,
};

export interface SyncLogger {
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

/** Long-lived, one per process: the queue, the event bus, connectors and the engine's own database pools. */
export interface SyncRuntime {
  /** The database owner's connection string: pg-boss uses it. */
  readonly url: string;
  /** The process's session connection: running jobs' advisory locks (and LISTEN) live on it. */
  readonly session: DatabaseSession;
  readonly metrics: Metrics;
  /** The engine's Prisma client and pool (application role, so row-level security applies). */
  readonly prisma: PrismaClient;
  readonly pool: pg.Pool;
  readonly queue: JobQueue;
  readonly pubSub: PgPubSub;
  readonly connections: ConnectionService;
  readonly options: SyncOptions;
  readonly log: SyncLogger;
  /** Identifies this process in a job's checkpoint (which worker ran it). */
  readonly workerId: string;
  db(tenantId: string): TenantDb;
  close(): Promise<void>;
}

const consoleLogger: SyncLogger = {
  info: () => {},
  warn: (message, fields) => console.warn(`[sync] ${message}`, fields ?? ""),
  error: (message, fields) => console.error(`[sync] ${message}`, fields ?? ""),
};

/** Creates the process's sync runtime over the engine's pool: starts pg-boss (installing its schema on first use). */
export async function createSyncRuntime(deps: {
  url: string;
  session: DatabaseSession;
  pubSub: PgPubSub;
  connections: ConnectionService;
  metrics: Metrics;
  /** The engine's own client and pool (application role); closed with the runtime. */
  app: { prisma: PrismaClient; pool: pg.Pool };
  options?: Partial<SyncOptions>;
  log?: SyncLogger;
  workerId?: string;
}): Promise<SyncRuntime> {
  const log = deps.log ?? consoleLogger;
  const queue = await startQueue({
    url: deps.url,
    onError: (error) => log.error("queue error", { error: error.message }),
  });
  const { prisma, pool } = deps.app;
  // An idle connection the server closes (restart, failover) must not take the process down.
  pool.on("error", (error) => log.warn("database connection lost", { error: error.message }));
  deps.metrics.watchQueue(() => queueBacklog(queue));
  const workerId = deps.workerId ?? `${process.pid}@${Date.now().toString(36)}`;
  let closed = false;
  return {
    url: deps.url,
    session: deps.session,
    metrics: deps.metrics,
    prisma,
    pool,
    queue,
    pubSub: deps.pubSub,
    connections: deps.connections,
    options: { ...DEFAULT_SYNC_OPTIONS, ...deps.options },
    log,
    workerId,
    db: (tenantId) => tenantDb(prisma, tenantId),
    async close() {
      if (closed) return;
      closed = true;
      await queue.stop({ graceful: false, wait: true, timeout: 5000 }).catch(() => {});
      await prisma.$disconnect().catch(() => {});
      await pool.end().catch(() => {});
    },
  };
}
