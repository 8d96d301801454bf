import type pg from "pg";
import { deleteInBatches } from "../../platform/db";
import { dropExpiredJobItemPartitions, ensureJobItemPartitions } from "./sync.partitions";

/**
 * Deletes the tenant's job items of finished jobs created before `before`, in batches. Months past every
 * tenant's retention leave whole (dropJobItemPartitions, run first), so this only deletes what a tenant with a
 * shorter retention than others no longer keeps; the job's month names the partitions it reads.
 */
export function expireJobItems(owner: pg.Pool, tenantId: string, before: Date): Promise<number> {
  return deleteInBatches(
    owner,
    tenantId,
    `DELETE FROM sync_job_items WHERE (id, job_created_at) IN (
       SELECT i.id, i.job_created_at FROM sync_job_items i
         JOIN sync_jobs j ON j.id = i.job_id AND j.created_at = i.job_created_at
        WHERE i.tenant_id = $1 AND i.job_created_at < $2 AND j.status IN ('SUCCEEDED', 'FAILED', 'CANCELLED')
        LIMIT $3)`,
    before,
  );
}

/** Drops the months of job items past every tenant's retention, but a month with a job still unfinished. */
export const dropJobItemPartitions = dropExpiredJobItemPartitions;

/** Job items' share of the retention round: whole months dropped first, then each tenant's older rows. */
export const jobItemsRetention = {
  table: "sync_job_items",
  expire: expireJobItems,
  dropPartitions: dropJobItemPartitions,
  ensurePartitions: (owner: pg.Pool) => ensureJobItemPartitions(owner),
};
