import fs from "node:fs";
import path from "node:path";
import { pipeline } from "node:stream/promises";
import { createGzip } from "node:zlib";
import type pg from "pg";

/** Months of partitions kept ready ahead of today, so an insert never finds its month missing. */
const MONTHS_AHEAD = 3;
/** Rows read per round trip while a partition is archived. */
const ARCHIVE_BATCH = 5_000;
const PARTITION = /^sync_history_(\d{4})_(\d{2})$/;

export interface ArchivedPartition {
  partition: string;
  /** First day of the month the partition held (UTC), e.g. 2025-10-01. */
  month: string;
  rows: number;
  file: string;
}

/** Creates the monthly partitions from `from` to three months ahead of now; returns how many it made. */
export async function ensureHistoryPartitions(owner: pg.Pool, from: Date = new Date()): Promise<number> {
  const { rows } = await owner.query<{ made: number }>(
    `SELECT sync_history_ensure_partitions($1, now() + make_interval(months => $2)) AS made`,
    [from, MONTHS_AHEAD],
  );
  return rows[0]?.made ?? 0;
}

/** The partitions whose whole month ended more than `retentionMonths` months before `now`, oldest first. */
export async function expiredHistoryPartitions(owner: pg.Pool, retentionMonths: number, now = new Date()) {
  const { rows } = await owner.query<{ name: string }>(
    `SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
      WHERE i.inhparent = 'sync_history'::regclass ORDER BY c.relname`,
  );
  const cutoff = Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - retentionMonths, 1);
  return rows
    .flatMap(({ name }) => {
      const match = PARTITION.exec(name);
      if (!match) return [];
      const [year, month] = [Number(match[1]), Number(match[2]) - 1];
      return [{ name, start: Date.UTC(year, month, 1), end: Date.UTC(year, month + 1, 1) }];
    })
    .filter((partition) => partition.end <= cutoff);
}

/**
 * Moves history past its retention out of the database: each expired month is written to
 * `<archiveDir>/sync_history/<YYYY-MM>.jsonl.gz` (one row per line, every tenant's rows with their tenant id),
 * the file made durable, and only then the partition detached and dropped. One process at a time (an advisory
 * lock); a run cut short leaves the partition in place and rewrites its file the next time.
 */
export async function archiveExpiredHistory(
  owner: pg.Pool,
  options: { retentionMonths: number; archiveDir: string; now?: Date },
): Promise<ArchivedPartition[]> {
  const client = await owner.connect();
  const archived: ArchivedPartition[] = [];
  try {
    const { rows } = await client.query<{ locked: boolean }>(
      "SELECT pg_try_advisory_lock(hashtextextended('sync_history_archive', 0)) AS locked",
    );
    if (!rows[0]?.locked) return archived;
    try {
      const dir = path.join(options.archiveDir, "sync_history");
      for (const partition of await expiredHistoryPartitions(owner, options.retentionMonths, options.now)) {
        fs.mkdirSync(dir, { recursive: true });
        const month = new Date(partition.start).toISOString().slice(0, 10);
        const file = path.join(dir, `${month.slice(0, 7)}.jsonl.gz`);
        const count = await writePartition(client, partition.name, file);
        await client.query("BEGIN");
        await client.query(
          `ALTER TABLE sync_history DETACH PARTITION ${client.escapeIdentifier(partition.name)}`,
        );
        await client.query(`DROP TABLE ${client.escapeIdentifier(partition.name)}`);
        await client.query("COMMIT");
        archived.push({ partition: partition.name, month, rows: count, file });
      }
    } catch (error) {
      await client.query("ROLLBACK").catch(() => {});
      throw error;
    } finally {
      await client.query("SELECT pg_advisory_unlock(hashtextextended('sync_history_archive', 0))");
    }
  } finally {
    client.release();
  }
  return archived;
}

/** Streams one partition to a gzip file in (created_at, id) batches; returns the number of rows written. */
async function writePartition(client: pg.PoolClient, partition: string, file: string): Promise<number> {
  const table = client.escapeIdentifier(partition);
  const temporary = `${file}.partial`;
  let count = 0;
  async function* lines() {
    let after: { at: string; id: string } | null = null;
    for (;;) {
      const { rows }: pg.QueryResult<{ at: string; id: string; line: string }> = await client.query(
        `SELECT created_at::text AS at, id::text AS id, row_to_json(h)::text AS line FROM ${table} h
          WHERE $1::timestamptz IS NULL OR (created_at, id) > ($1::timestamptz, $2::uuid)
          ORDER BY created_at, id LIMIT ${ARCHIVE_BATCH}`,
        [after?.at ?? null, after?.id ?? null],
      );
      if (rows.length === 0) return;
      count += rows.length;
      yield `${rows.map((r: { line: string }) => r.line).join("\n")}\n`;
      const last: { at: string; id: string } = rows[rows.length - 1]!;
      after = { at: last.at, id: last.id };
    }
  }
  await pipeline(lines, createGzip(), fs.createWriteStream(temporary));
  const handle = fs.openSync(temporary, "r");
  fs.fsyncSync(handle);
  fs.closeSync(handle);
  fs.renameSync(temporary, file);
  return count;
}

/**
 * Keeps history's partitions in shape while the process runs: months ahead created at start and every few
 * hours, months past retention archived and dropped. Failures are logged and retried on the next round.
 */
export function startHistoryMaintenance(
  owner: pg.Pool,
  options: {
    retentionMonths: number;
    archiveDir: string;
    everyMs?: number;
    log: { info(o: object, m: string): void; warn(o: object, m: string): void };
  },
) {
  const round = async () => {
    try {
      await ensureHistoryPartitions(owner);
      for (const done of await archiveExpiredHistory(owner, options))
        options.log.info(done, `history of ${done.month.slice(0, 7)} archived to ${done.file}`);
    } catch (error) {
      options.log.warn({ err: error }, "history maintenance failed; it runs again later");
    }
  };
  const first = round();
  const timer = setInterval(() => void round(), options.everyMs ?? 6 * 60 * 60_000);
  timer.unref();
  return {
    /** The first round, for a start that wants to wait for it. */
    ready: first,
    async stop() {
      clearInterval(timer);
      await first;
    },
  };
}
