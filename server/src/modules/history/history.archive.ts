import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import { createGzip } from "node:zlib";
import type pg from "pg";
import { connectionLock, type RoundLock } from "../../platform/db";
import { archiveFileName, DEFAULT_RETENTION_MONTHS, retentionCutoff } from "./history-retention.rules";

/** Rows read per round trip while a month is archived. */
const ARCHIVE_BATCH = 5_000;
const PARTITION = /^sync_history_(\d{4})_(\d{2})$/;
/** How long dropping a partition may wait for its lock before leaving it to the next round. */
const DROP_LOCK_TIMEOUT = "5s";

export interface ArchivedMonth {
  tenantId: string;
  /** First day of the month (UTC), e.g. 2025-10-01. */
  month: string;
  part: number;
  rows: number;
  bytes: number;
  sha256: string;
  /** Absolute path of the file written. */
  file: string;
}

/** Another append-only table that follows the tenant's retention: deletes the tenant's rows older than `before`. */
export interface RetentionStep {
  table: string;
  expire(owner: pg.Pool, tenantId: string, before: Date): Promise<number>;
  /**
   * For a table partitioned by month: drops the months that ended before `before` (past every tenant's
   * retention) whole, ahead of the per-tenant deletes; returns the partitions dropped.
   */
  dropPartitions?(owner: pg.Pool, tenantIds: string[], before: Date): Promise<string[]>;
  /** For a table partitioned by month: creates the months ahead (each maintenance round, before retention). */
  ensurePartitions?(owner: pg.Pool): Promise<number>;
}

export interface RetentionReport {
  archived: ArchivedMonth[];
  /** Partitions dropped: history's because no tenant had rows left in them, the steps' past every retention. */
  dropped: string[];
  /** Rows deleted from the other tables, by table. */
  expired: Record<string, number>;
}

interface Partition {
  name: string;
  start: Date;
  end: Date;
}

async function historyPartitions(client: pg.PoolClient): Promise<Partition[]> {
  const { rows } = await client.query<{ name: string }>(
    `SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
      WHERE i.inhparent = 'sync_history'::regclass ORDER BY c.relname`,
  );
  return rows.flatMap(({ name }) => {
    const match = PARTITION.exec(name);
    if (!match) return [];
    const [year, month] = [Number(match[1]), Number(match[2]) - 1];
    return [{ name, start: new Date(Date.UTC(year, month, 1)), end: new Date(Date.UTC(year, month + 1, 1)) }];
  });
}

const HISTORY_LOCK = "sync_history_archive";

/**
 * Applies every tenant's retention: each month of a tenant's history that ended before its cutoff is written to
 * `<archivesDir>/<tenant id>/<YYYY-MM>.jsonl.gz`, made durable, recorded in history_archives and deleted from
 * the database in one transaction (a crash before it commits leaves the rows, and the next run writes the same
 * file again); then partitions past every tenant's retention with no rows left are dropped, and the other
 * tables' old rows deleted. One process at a time (an advisory lock); a second process returns at once.
 */
export async function applyHistoryRetention(
  owner: pg.Pool,
  options: {
    archivesDir: string;
    now?: Date;
    steps?: RetentionStep[];
    /** Who holds the round's lock (the process's session connection; default: the round's own connection). */
    lock?: RoundLock;
  },
): Promise<RetentionReport> {
  const report: RetentionReport = { archived: [], dropped: [], expired: {} };
  const now = options.now ?? new Date();
  const client = await owner.connect();
  const lock = options.lock ?? connectionLock(client);
  try {
    if (!(await lock.tryLock(HISTORY_LOCK))) return report;
    try {
      const tenants = (
        await client.query<{ id: string; months: number }>(
          "SELECT id::text AS id, history_retention_months AS months FROM tenants ORDER BY id",
        )
      ).rows;
      const partitions = await historyPartitions(client);
      // Only months past every tenant's retention: an empty month some tenant still keeps stays writable.
      const longest = Math.max(DEFAULT_RETENTION_MONTHS, ...tenants.map((t) => t.months));
      const everyCutoff = retentionCutoff(longest, now);
      for (const step of options.steps ?? []) {
        if (!step.dropPartitions) continue;
        const dropped = await step.dropPartitions(
          owner,
          tenants.map((t) => t.id),
          everyCutoff,
        );
        report.dropped.push(...dropped);
      }
      for (const tenant of tenants) {
        const cutoff = retentionCutoff(tenant.months, now);
        for (const partition of partitions.filter((p) => p.end <= cutoff)) {
          const done = await archiveMonth(client, options.archivesDir, tenant.id, partition);
          if (done) report.archived.push(done);
        }
        for (const step of options.steps ?? []) {
          const deleted = await step.expire(owner, tenant.id, cutoff);
          report.expired[step.table] = (report.expired[step.table] ?? 0) + deleted;
        }
      }
      for (const partition of partitions.filter((p) => p.end <= everyCutoff)) {
        if (await dropIfEmpty(client, partition.name)) report.dropped.push(partition.name);
      }
    } finally {
      await lock.unlock(HISTORY_LOCK);
    }
  } finally {
    client.release();
  }
  return report;
}

/** Archives and deletes one tenant's rows of one partition; null when it has none there. */
async function archiveMonth(
  client: pg.PoolClient,
  archivesDir: string,
  tenantId: string,
  partition: Partition,
): Promise<ArchivedMonth | null> {
  const table = client.escapeIdentifier(partition.name);
  // One snapshot: the file holds exactly the rows the delete then removes, whatever is written meanwhile.
  await client.query("BEGIN ISOLATION LEVEL REPEATABLE READ");
  try {
    await client.query("SELECT set_config('app.tenant_id', $1, true)", [tenantId]);
    const any = await client.query(`SELECT 1 FROM ${table} WHERE tenant_id = $1 LIMIT 1`, [tenantId]);
    if (any.rowCount === 0) {
      await client.query("COMMIT");
      return null;
    }
    const month = partition.start;
    const { rows } = await client.query<{ part: number }>(
      "SELECT coalesce(max(part), 0)::int + 1 AS part FROM history_archives WHERE tenant_id = $1 AND month = $2",
      [tenantId, month.toISOString().slice(0, 10)],
    );
    const part = rows[0]!.part;
    const name = archiveFileName(tenantId, month, part);
    const file = path.join(archivesDir, name);
    const written = await writeRows(client, table, tenantId, file);
    const deleted = await client.query(`DELETE FROM ${table} WHERE tenant_id = $1`, [tenantId]);
    if (deleted.rowCount !== written.rows) {
      throw new Error(
        `archive of ${partition.name}: wrote ${written.rows} rows, would delete ${deleted.rowCount}`,
      );
    }
    await client.query(
      `INSERT INTO history_archives (tenant_id, month, part, rows, bytes, sha256, file)
       VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [tenantId, month.toISOString().slice(0, 10), part, written.rows, written.bytes, written.sha256, name],
    );
    await client.query("COMMIT");
    return {
      tenantId,
      month: month.toISOString().slice(0, 10),
      part,
      rows: written.rows,
      bytes: written.bytes,
      sha256: written.sha256,
      file,
    };
  } catch (error) {
    await client.query("ROLLBACK").catch(() => {});
    throw error;
  }
}

/**
 * Streams a tenant's rows of one partition to a gzip file in (created_at, id) order, through a temporary file
 * that is fsynced and renamed (and its folder fsynced), so the file is whole and durable before it is used.
 */
async function writeRows(client: pg.PoolClient, table: string, tenantId: string, file: string) {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const temporary = `${file}.partial`;
  let rows = 0;
  let bytes = 0;
  const hash = createHash("sha256");
  async function* lines() {
    let after: { at: string; id: string } | null = null;
    for (;;) {
      const batch: pg.QueryResult<{ at: string; id: string; line: string }> = await client.query(
        `SELECT created_at::text AS at, id::text AS id, row_to_json(h)::text AS line FROM ${table} h
          WHERE tenant_id = $1 AND ($2::timestamptz IS NULL OR (created_at, id) > ($2::timestamptz, $3::uuid))
          ORDER BY created_at, id LIMIT ${ARCHIVE_BATCH}`,
        [tenantId, after?.at ?? null, after?.id ?? null],
      );
      if (batch.rows.length === 0) return;
      rows += batch.rows.length;
      yield `${batch.rows.map((r) => r.line).join("\n")}\n`;
      const last = batch.rows[batch.rows.length - 1]!;
      after = { at: last.at, id: last.id };
    }
  }
  const measure = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      bytes += chunk.length;
      hash.update(chunk);
      done(null, chunk);
    },
  });
  await pipeline(lines, createGzip(), measure, fs.createWriteStream(temporary));
  const handle = fs.openSync(temporary, "r");
  try {
    fs.fsyncSync(handle);
  } finally {
    fs.closeSync(handle);
  }
  fs.renameSync(temporary, file);
  const folder = fs.openSync(path.dirname(file), "r");
  try {
    fs.fsyncSync(folder);
  } finally {
    fs.closeSync(folder);
  }
  return { rows, bytes, sha256: hash.digest("hex") };
}

/** Detaches and drops a partition with no rows; false when it has rows or its lock is busy (the next round). */
async function dropIfEmpty(client: pg.PoolClient, name: string): Promise<boolean> {
  const table = client.escapeIdentifier(name);
  if (((await client.query(`SELECT 1 FROM ${table} LIMIT 1`)).rowCount ?? 0) > 0) return false;
  await client.query("BEGIN");
  try {
    await client.query(`SET LOCAL lock_timeout = '${DROP_LOCK_TIMEOUT}'`);
    // Detached first (it locks the parent, then the partition) and checked again under that lock: a row that
    // arrived since the first look keeps the partition.
    await client.query(`ALTER TABLE sync_history DETACH PARTITION ${table}`);
    if (((await client.query(`SELECT 1 FROM ${table} LIMIT 1`)).rowCount ?? 0) > 0) {
      await client.query("ROLLBACK");
      return false;
    }
    await client.query(`DROP TABLE ${table}`);
    await client.query("COMMIT");
    return true;
  } catch (error) {
    await client.query("ROLLBACK").catch(() => {});
    // Lock not granted in time, or a deadlock with a reader: the next round tries again.
    if (["55P03", "40P01"].includes((error as { code?: string }).code ?? "")) return false;
    throw error;
  }
}
