import type pg from "pg";
import {
  dropPartition,
  ensureMonthPartitions,
  type MonthPartition,
  monthPartitions,
  withTenant,
} from "../../platform/db";

/** Months of job item partitions kept ready ahead of today, so a new job's items never find their month missing. */
const MONTHS_AHEAD = 3;

/** Creates sync_job_items' monthly partitions from `from` to three months ahead of now; returns how many it made. */
export function ensureJobItemPartitions(owner: pg.Pool, from: Date = new Date()): Promise<number> {
  return ensureMonthPartitions(owner, "sync_job_items", from, MONTHS_AHEAD);
}

/** sync_job_items' monthly partitions, oldest first. */
export function jobItemPartitions(owner: pg.Pool): Promise<MonthPartition[]> {
  return monthPartitions(owner, "sync_job_items");
}

/**
 * Drops whole months of job items that ended before `before` (every tenant's cutoff), instead of deleting their
 * rows: a month is kept while any tenant has a job of that month still unfinished, or while its lock is busy
 * (the next round tries again). Returns the partitions dropped.
 */
export async function dropExpiredJobItemPartitions(
  owner: pg.Pool,
  tenantIds: string[],
  before: Date,
): Promise<string[]> {
  const dropped: string[] = [];
  for (const partition of (await jobItemPartitions(owner)).filter((p) => p.end <= before)) {
    if (await unfinishedJobIn(owner, tenantIds, partition)) continue;
    if (await dropPartition(owner, "sync_job_items", partition.name)) dropped.push(partition.name);
  }
  return dropped;
}

/** Whether some tenant has a job created in the partition's month that has not finished (its items stay). */
async function unfinishedJobIn(
  owner: pg.Pool,
  tenantIds: string[],
  partition: MonthPartition,
): Promise<boolean> {
  for (const tenantId of tenantIds) {
    const running = await withTenant(owner, tenantId, async (c) => {
      const { rowCount } = await c.query(
        `SELECT 1 FROM sync_jobs WHERE tenant_id = $1 AND created_at >= $2 AND created_at < $3
            AND status NOT IN ('SUCCEEDED', 'FAILED', 'CANCELLED') LIMIT 1`,
        [tenantId, partition.start, partition.end],
      );
      return (rowCount ?? 0) > 0;
    });
    if (running) return true;
  }
  return false;
}
