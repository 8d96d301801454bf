import type pg from "pg";
import { withTenant } from "../../platform/db";

/** Months of job item partitions kept ready ahead of today, so a new job's items never find their month missing. */
const MONTHS_AHEAD = 3;
const PARTITION = /^sync_job_items_(\d{4})_(\d{2})$/;
/** How long dropping a partition may wait for its lock before leaving it to the next round. */
const DROP_LOCK_TIMEOUT = "5s";

/** Creates sync_job_items' monthly partitions from `from` to three months ahead of now; returns how many it made. */
export async function ensureJobItemPartitions(owner: pg.Pool, from: Date = new Date()): Promise<number> {
  const { rows } = await owner.query<{ made: number }>(
    `SELECT sync_job_items_ensure_partitions($1, now() + make_interval(months => $2)) AS made`,
    [from, MONTHS_AHEAD],
  );
  return rows[0]?.made ?? 0;
}

interface Partition {
  name: string;
  start: Date;
  end: Date;
}

/** sync_job_items' monthly partitions, oldest first. */
export async function jobItemPartitions(owner: pg.Pool): Promise<Partition[]> {
  const { rows } = await owner.query<{ name: string }>(
    `SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
      WHERE i.inhparent = 'sync_job_items'::regclass ORDER BY c.relname`,
  );
  return rows.flatMap(({ name }) => {
    const match = PARTITION.exec(name);
    if (!match) return [];
    const [year, month] = [Number(match[1]), Number(match[2]) - 1];
    return [{ name, start: new Date(Date.UTC(year, month, 1)), end: new Date(Date.UTC(year, month + 1, 1)) }];
  });
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
    if (await detachAndDrop(owner, partition)) dropped.push(partition.name);
  }
  return dropped;
}

/** Whether some tenant has a job created in the partition's month that has not finished (its items stay). */
async function unfinishedJobIn(owner: pg.Pool, tenantIds: string[], partition: Partition): Promise<boolean> {
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

async function detachAndDrop(owner: pg.Pool, partition: Partition): Promise<boolean> {
  const client = await owner.connect();
  try {
    const table = client.escapeIdentifier(partition.name);
    await client.query("BEGIN");
    try {
      await client.query(`SET LOCAL lock_timeout = '${DROP_LOCK_TIMEOUT}'`);
      await client.query(`ALTER TABLE sync_job_items DETACH PARTITION ${table}`);
      await client.query(`DROP TABLE ${table}`);
      await client.query("COMMIT");
      return true;
    } catch (error) {
      await client.query("ROLLBACK").catch(() => {});
      // Lock not granted in time, or a deadlock with a reader: the next round tries again.
      if (["55P03", "40P01"].includes((error as { code?: string }).code ?? "")) return false;
      throw error;
    }
  } finally {
    client.release();
  }
}
