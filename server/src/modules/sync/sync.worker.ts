import { QUEUE_SCHEMA, QUEUES, type QueueJob } from "../../platform/queue";
import { AGED_CONFLICT_HOURS, raiseAgedConflictAlerts, reevaluateTenantAlerts } from "../alerts";
import { runJob } from "./sync.engine";
import type { SyncRuntime } from "./sync.runtime";
import { claimDueSyncs, isQueued, isTerminal, rescheduleTenant, startSync } from "./sync.service";

interface JobData {
  tenantId: string;
  jobId: string;
}

export interface SyncWorkers {
  /** Jobs this process is running now. */
  running(): string[];
  stop(): Promise<void>;
}

const lockKey = (jobId: string) => `sync-job:${jobId}`;
/** A pg-boss job active this long without its advisory lock held belongs to a dead worker. */
const ORPHAN_AFTER_SECONDS = 3;
const REAP_EVERY_MS = 1000;
const AUTO_EVERY_MS = 5000;
const AGED_CONFLICTS_EVERY_MS = 60_000;
/** Due tenants one claim takes; a worker claims again at once while batches come back full. */
const AUTO_BATCH = 50;

/**
 * Runs queued sync jobs in this process: `concurrency` at a time from the sync queue, `urgent` more from the
 * fast lane, plus the tenants' auto-sync schedules. A job runs only while its worker holds a session-level
 * advisory lock (all of a process's locks on its one session connection), so two workers never run one job,
 * and a worker that dies (kill -9, lost network) releases it at once: every process looks for active queue
 * jobs whose lock is free and puts them back on the queue, where another worker resumes them from their
 * checkpoint.
 */
export async function startSyncWorkers(
  runtime: SyncRuntime,
  options: { concurrency: number; urgent?: number },
): Promise<SyncWorkers> {
  const { queue, log } = runtime;
  const running = new Map<string, AbortController>();
  let stopped = false;

  const handle = async (job: QueueJob<JobData>) => {
    const { tenantId, jobId } = job.data;
    if (stopped) throw new Error("worker stopping");
    // The session's locks are re-entrant: a second delivery to this same process is caught here.
    if (running.has(jobId)) return { skipped: "running here" };
    const lost = new AbortController();
    running.set(jobId, lost);
    const unwatch = runtime.session.whenLost((error) => lost.abort(error));
    let locked = false;
    try {
      const { rows } = await runtime.session.query<{ ok: boolean }>(
        "SELECT pg_try_advisory_lock(hashtextextended($1, 0)) AS ok",
        [lockKey(jobId)],
      );
      // Another worker holds it and is alive: this delivery is a duplicate.
      if (!rows[0]?.ok) return { skipped: "running elsewhere" };
      locked = true;
      await runJob(runtime, tenantId, jobId, { lost: lost.signal });
      if (lost.signal.aborted) {
        // Stopped before the end (shutdown, lost connection): back on the queue, to resume from its checkpoint.
        await queue.send(job.name, job.data, { startAfter: 1 }).catch(() => {});
        return { interrupted: jobId };
      }
      return { ran: jobId };
    } finally {
      unwatch();
      running.delete(jobId);
      if (locked)
        await runtime.session
          .query("SELECT pg_advisory_unlock(hashtextextended($1, 0))", [lockKey(jobId)])
          .catch(() => {});
    }
  };

  const workOptions = { batchSize: 1, pollingIntervalSeconds: 0.5 };
  for (let i = 0; i < options.concurrency; i++) {
    await queue.work<JobData>(QUEUES.sync, workOptions, async ([job]) => (job ? handle(job) : undefined));
  }
  for (let i = 0; i < (options.urgent ?? 1); i++) {
    await queue.work<JobData>(QUEUES.urgent, workOptions, async ([job]) => (job ? handle(job) : undefined));
  }
  // New thresholds: the tenant's alerts checked again item by item (a failed run is retried by the queue).
  await queue.work<{ tenantId: string }>(QUEUES.alerts, workOptions, async ([job]) => {
    if (!job) return undefined;
    const { tenantId } = job.data;
    return reevaluateTenantAlerts(runtime.db(tenantId), tenantId);
  });

  // Jobs of workers that died: active on the queue, but nobody holds their lock.
  const reap = async () => {
    const { rows } = await queue.getDb().executeSql(
      `SELECT id, name, data FROM ${QUEUE_SCHEMA}.job
        WHERE name = ANY($1) AND state = 'active' AND started_on < now() - make_interval(secs => $2)`,
      [[QUEUES.sync, QUEUES.urgent], ORPHAN_AFTER_SECONDS],
    );
    for (const row of rows as Array<{ id: string; name: string; data: JobData }>) {
      if (stopped || running.has(row.data.jobId)) continue;
      // One statement, so the probe's lock and unlock happen on the same pooled session.
      const free = await queue.getDb().executeSql(
        `SELECT CASE WHEN pg_try_advisory_lock(hashtextextended($1, 0))
                     THEN pg_advisory_unlock(hashtextextended($1, 0)) ELSE false END AS ok`,
        [lockKey(row.data.jobId)],
      );
      if (!free.rows[0]?.ok) continue;
      // Closes the orphan so no other process re-sends it, then queues the job again for any worker.
      await queue.complete(row.name, row.id, { orphaned: true }).catch(() => {});
      const job = await runtime
        .db(row.data.tenantId)
        .client.syncJob.findUnique({ where: { id: row.data.jobId } });
      if (job && !isTerminal(job.status)) {
        log.warn("resuming a sync job whose worker stopped", { jobId: job.id, status: job.status });
        await queue.send(row.name, row.data, { priority: 5 });
      }
    }
  };

  // Auto-sync: claim the tenants that are due, a batch at a time, until none is left.
  const autoSync = async () => {
    for (;;) {
      const tenants = await claimDueSyncs(runtime, AUTO_BATCH);
      for (const tenantId of tenants) {
        if (stopped) return;
        await runScheduledSync(runtime, tenantId).catch((error) =>
          log.warn("scheduled sync not started", { tenantId, error: String(error) }),
        );
      }
      if (tenants.length < AUTO_BATCH || stopped) return;
    }
  };

  // Conflicts nobody decided on for too long: each tenant that has one gets its alerts raised.
  const agedConflicts = async () => {
    const { rows } = await queue.getDb().executeSql(
      `SELECT DISTINCT tenant_id FROM sync_conflicts
        WHERE status = 'OPEN' AND created_at <= now() - make_interval(hours => $1::int)`,
      [AGED_CONFLICT_HOURS],
    );
    for (const { tenant_id: tenantId } of rows as Array<{ tenant_id: string }>) {
      if (stopped) return;
      await runtime.db(tenantId).transaction((tx) => raiseAgedConflictAlerts(tx, tenantId));
    }
  };

  const loop = (fn: () => Promise<void>, everyMs: number, what: string) => {
    let busy = false;
    const timer = setInterval(() => {
      if (busy || stopped) return;
      busy = true;
      fn()
        .catch((error) => log.warn(`${what} failed`, { error: String(error) }))
        .finally(() => {
          busy = false;
        });
    }, everyMs);
    timer.unref();
    return timer;
  };
  const timers = [
    loop(reap, REAP_EVERY_MS, "orphan check"),
    loop(autoSync, AUTO_EVERY_MS, "auto-sync"),
    loop(agedConflicts, AGED_CONFLICTS_EVERY_MS, "aged conflict check"),
  ];

  return {
    running: () => [...running.keys()],
    async stop() {
      stopped = true;
      for (const timer of timers) clearInterval(timer);
      await queue.offWork(QUEUES.sync).catch(() => {});
      await queue.offWork(QUEUES.urgent).catch(() => {});
      await queue.offWork(QUEUES.alerts).catch(() => {});
      // Running jobs stop where they are; their locks go with their connections and another process resumes them.
      for (const controller of running.values()) controller.abort(new Error("worker stopping"));
      const deadline = Date.now() + 5000;
      while (running.size > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    },
  };
}

/** One scheduled auto-sync of a tenant: incremental after a successful sync, full before the first. */
export async function runScheduledSync(runtime: SyncRuntime, tenantId: string): Promise<void> {
  const db = runtime.db(tenantId);
  const settings = await db.client.platformSyncSettings.findFirst();
  if (!settings?.autoSync) {
    await rescheduleTenant(runtime, tenantId);
    return;
  }
  const running = await db.client.syncJob.findMany({
    where: {
      status: { in: ["PENDING", "FETCHING", "COMPARING", "APPLYING"] },
      type: { in: ["FULL", "INCREMENTAL"] },
    },
    select: { id: true },
  });
  // A job nobody will run (no queue entry) does not hold the schedule back.
  for (const job of running) if (await isQueued(runtime, job.id)) return;
  const previous = await db.client.syncJob.findFirst({
    where: { status: "SUCCEEDED", dryRun: false, type: { in: ["FULL", "INCREMENTAL"] } },
  });
  await startSync(runtime, db, { type: previous ? "INCREMENTAL" : "FULL", trigger: "SCHEDULE" });
}
