import type pg from "pg";

/** How long dropping a partition may wait for its lock before leaving it to the next round. */
const DROP_LOCK_TIMEOUT = "5s";

export interface MonthPartition {
  name: string;
  /** First instant of the month (UTC), inclusive. */
  start: Date;
  /** First instant of the next month (UTC), exclusive. */
  end: Date;
}

/**
 * Creates the monthly partitions (`<parent>_YYYY_MM`) of a table partitioned by month from `from`'s month to
 * `monthsAhead` months ahead of now; returns how many it made (0 when they all exist).
 */
export async function ensureMonthPartitions(
  owner: pg.Pool,
  parent: string,
  from: Date,
  monthsAhead: number,
): Promise<number> {
  const { rows } = await owner.query<{ made: number }>(
    "SELECT ensure_month_partitions($1::regclass, $2, now() + make_interval(months => $3)) AS made",
    [parent, from, monthsAhead],
  );
  return rows[0]?.made ?? 0;
}

/** The monthly partitions (`<parent>_YYYY_MM`) of a table partitioned by month, oldest first. */
export async function monthPartitions(owner: pg.Pool, parent: string): Promise<MonthPartition[]> {
  const pattern = new RegExp(`^${parent}_(\\d{4})_(\\d{2})$`);
  const { rows } = await owner.query<{ name: string }>(
    `SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
      WHERE i.inhparent = $1::regclass ORDER BY c.relname`,
    [parent],
  );
  return rows.flatMap(({ name }) => {
    const match = pattern.exec(name);
    if (!match) return [];
    const [year, month] = [Number(match[1]), Number(match[2]) - 1];
    return [{ name, start: new Date(Date.UTC(year, month, 1)), end: new Date(Date.UTC(year, month + 1, 1)) }];
  });
}

/** Detaches and drops one partition; false when its lock is busy (the next round tries again). */
export async function dropPartition(owner: pg.Pool, parent: string, name: string): Promise<boolean> {
  const client = await owner.connect();
  try {
    await client.query("BEGIN");
    try {
      await client.query(`SET LOCAL lock_timeout = '${DROP_LOCK_TIMEOUT}'`);
      await client.query(
        `ALTER TABLE ${client.escapeIdentifier(parent)} DETACH PARTITION ${client.escapeIdentifier(name)}`,
      );
      await client.query(`DROP TABLE ${client.escapeIdentifier(name)}`);
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
