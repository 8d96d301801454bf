import type { Prisma, SyncJob } from "../../generated/prisma/client";
import { evaluateItemAlerts } from "../alerts";
import { syncErrorAlert } from "../alerts/rules";
import { ProgressPublisher } from "./progress";
import { applyPlan } from "./sync.apply";
import { fetchCompareAndPlan } from "./sync.plan";
import { Cancelled, JobRun, loadSettings } from "./sync.run";
import type { SyncRuntime } from "./sync.runtime";
import { isTerminal, type JobCheckpoint } from "./sync.service";
import { IN_FLIGHT, ITEMS_OF_JOB, upsertAlerts } from "./sync.store";

/**
 * Runs one sync job to a terminal state, or until this worker loses its lock (`lost`): then it stops where it
 * is and another worker resumes from the checkpoint. Jobs started by startSync fetch, compare and plan first
 * (the plan commits in one transaction, as the checkpoint); planned jobs start at applying.
 */
export async function runJob(
  rt: SyncRuntime,
  tenantId: string,
  jobId: string,
  options: { lost: AbortSignal },
): Promise<void> {
  const db = rt.db(tenantId);
  const found = await db.client.syncJob.findUnique({ where: { id: jobId } });
  if (!found || isTerminal(found.status)) return;
  const cancel = new AbortController();
  const signal = AbortSignal.any([cancel.signal, options.lost]);
  const progress = new ProgressPublisher((key, payload) => rt.pubSub.publish(key, payload), {
    intervalMs: rt.options.progressIntervalMs,
    onError: (error) => rt.log.warn("progress event not published", { jobId, error: String(error) }),
  });
  const run = new JobRun(rt, tenantId, found, signal, progress);
  const checkpoint: JobCheckpoint = { ...run.checkpoint };
  checkpoint.phase ??= "FETCH";
  checkpoint.runs = [
    ...(checkpoint.runs ?? []),
    { worker: rt.workerId, at: new Date().toISOString(), phase: checkpoint.phase },
  ];
  await run.update({
    checkpoint: checkpoint as unknown as Prisma.InputJsonObject,
    startedAt: found.startedAt ?? new Date(),
    status: checkpoint.phase === "APPLY" ? "APPLYING" : "FETCHING",
  });
  rt.log.info("sync job started", { jobId, type: found.type, runs: checkpoint.runs.length });

  let watching = true;
  const watch = (async () => {
    while (watching && !signal.aborted) {
      try {
        const state = await db.client.syncJob.findUnique({
          where: { id: jobId },
          select: { cancelRequestedAt: true, status: true },
        });
        if (state?.cancelRequestedAt || (state && isTerminal(state.status))) {
          cancel.abort(new Cancelled("cancel requested"));
          return;
        }
      } catch {
        // A missed poll is retried on the next tick.
      }
      await new Promise((r) => setTimeout(r, rt.options.cancelPollMs));
    }
  })();

  try {
    if (found.cancelRequestedAt) throw new Cancelled("cancel requested");
    if (run.checkpoint.phase !== "APPLY") await fetchCompareAndPlan(run);
    await applyPlan(run);
    await finalize(run, "SUCCEEDED");
  } catch (error) {
    if (options.lost.aborted) {
      rt.metrics.syncJobs.inc({ type: found.type, outcome: "INTERRUPTED" });
      rt.log.warn("sync job stopped: this worker lost its lock", { jobId });
    } else if (cancel.signal.aborted) {
      await finalize(run, "CANCELLED");
    } else {
      rt.log.error("sync job failed", { jobId, error: String((error as Error)?.stack ?? error) });
      await finalize(run, "FAILED", (error as Error)?.message ?? String(error)).catch((e) =>
        rt.log.error("could not record the failure", { jobId, error: String(e) }),
      );
    }
  } finally {
    watching = false;
    await watch;
    await progress.drained();
  }
}

/** Ends a job: items left behind are accounted for, stock and error alerts raised, the terminal state published. */
async function finalize(
  run: JobRun,
  status: "SUCCEEDED" | "FAILED" | "CANCELLED",
  error?: string,
): Promise<void> {
  const { job } = run;
  await run.tx(async (c) => {
    if (status !== "SUCCEEDED") {
      await c.query(
        `UPDATE sync_job_items SET status = 'FAILED', error_code = 'UNCONFIRMED', updated_at = now(),
                error = 'Stopped while being sent: the platform may have applied it; the next sync compares again'
          WHERE job_id = $1 AND ${ITEMS_OF_JOB} AND status = 'PENDING' AND error_code = $2`,
        [job.id, IN_FLIGHT],
      );
      await c.query(
        `UPDATE sync_job_items SET status = 'SKIPPED', error_code = $2, updated_at = now(), error = $3
          WHERE job_id = $1 AND ${ITEMS_OF_JOB} AND status = 'PENDING'`,
        [
          job.id,
          status,
          status === "CANCELLED"
            ? "The job was cancelled before this was sent"
            : "The job failed before this was sent",
        ],
      );
    }
  });
  await run.refreshCounters(true);
  if (!job.dryRun && status !== "CANCELLED")
    await stockAlerts(run).catch((e) => run.rt.log.warn("stock alerts", { error: String(e) }));
  const message =
    error ??
    (status === "CANCELLED"
      ? "Cancelled"
      : run.job.failedItems > 0
        ? `${run.job.failedItems} writes failed`
        : null);
  // The alert is in place before the job reads as finished, so whoever sees the end also sees why.
  const alert = job.dryRun ? null : syncErrorAlert({ ...run.job, status, error: message });
  if (alert) await run.tx((c) => upsertAlerts(c, run.tenantId, [alert]));
  const finished = await run.db.client.syncJob.update({
    where: { id: job.id },
    data: {
      status,
      finishedAt: new Date(),
      error: message,
      platformResults: run.results as unknown as Prisma.InputJsonObject,
      processedItems: status === "SUCCEEDED" ? run.job.totalItems : run.job.processedItems,
    },
  });
  run.job = finished;
  observeJob(run.rt, finished);
  await run.progress.finish(finished);
  run.rt.log.info("sync job finished", {
    jobId: job.id,
    status,
    updated: finished.updatedItems,
    failed: finished.failedItems,
  });
}

/** A finished job in the metrics: outcome, time from its first start, products compared per second. */
function observeJob(rt: SyncRuntime, job: SyncJob): void {
  const labels = { type: job.type, outcome: job.status };
  rt.metrics.syncJobs.inc(labels);
  const seconds =
    ((job.finishedAt?.getTime() ?? Date.now()) - (job.startedAt ?? job.createdAt).getTime()) / 1000;
  rt.metrics.syncJobDuration.observe(labels, seconds);
  rt.metrics.syncItems.inc({ type: job.type }, job.totalItems);
  if (seconds > 0 && job.totalItems > 0)
    rt.metrics.syncItemsPerSecond.observe({ type: job.type }, job.totalItems / seconds);
}

/** Item alerts (stock, price) for every product the job looked at, after its writes. */
async function stockAlerts(run: JobRun): Promise<void> {
  const settings = await loadSettings(run);
  const { job } = run;
  await run.tx(async (c) => {
    const scoped = job.type !== "FULL";
    const { rows } = await c.query<{ id: string }>(
      scoped
        ? `SELECT id FROM products WHERE sku = ANY($1::text[])
           UNION SELECT product_id FROM sync_job_items
            WHERE job_id = $2 AND job_created_at = (SELECT created_at FROM sync_jobs WHERE id = $2)
              AND product_id IS NOT NULL`
        : "SELECT DISTINCT product_id AS id FROM product_listings",
      scoped ? [((job.filters ?? {}) as { skus?: string[] }).skus ?? [], job.id] : [],
    );
    await evaluateItemAlerts(
      c,
      run.tenantId,
      rows.map((r) => r.id),
      "SYNC",
      {
        jobId: job.id,
        settings: {
          lowStockThreshold: settings.lowStockThreshold,
          outOfStockThreshold: settings.outOfStockThreshold,
          maxPriceVariancePct: Number(settings.maxPriceVariancePct),
        },
      },
    );
  });
}
