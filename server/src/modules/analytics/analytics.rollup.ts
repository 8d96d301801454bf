import type pg from "pg";
import { connectionLock, Prisma, type RoundLock, withTenant } from "../../platform/db";
import { alertDailySql, platformDailySql, syncDailySql, VALUE_NOW_SQL } from "./analytics.sql";

const DAY_MS = 86_400_000;
/** Days before the last refresh recomputed each time: a job finishing after midnight counts on its first day. */
const RECOMPUTED_DAYS = 2;
const EVERY_MS = 15 * 60_000;

const run = (c: pg.PoolClient, sql: Prisma.Sql) => c.query(sql.text, sql.values);

const SYNC_COLUMNS = `day, job_type, jobs, succeeded, failed, cancelled, duration_ms_sum, duration_p50_ms,
  duration_p95_ms, durations_ms, processed_items, updated_items, failed_items, conflicts`;
const PLATFORM_COLUMNS = `day, job_type, platform, jobs, succeeded, failed_jobs, duration_ms_sum, durations_ms, read, updated,
  failed, conflicts`;
const ALERT_COLUMNS = "day, type, priority, raised, resolved";

/**
 * Brings one tenant's rollups up to today (UTC): the days since its last refresh (a couple before it too)
 * recomputed from the jobs and alerts, today's inventory value snapshot replaced. Runs as the application role
 * in the tenant's transaction, so row-level security keeps it to that tenant; refreshes of one tenant queue up.
 */
export async function refreshTenantRollups(appPool: pg.Pool, tenantId: string, now = new Date()) {
  return withTenant(appPool, tenantId, async (c) => {
    await c.query("SELECT pg_advisory_xact_lock(hashtextextended('analytics_rollup:' || $1, 0))", [tenantId]);
    const today = new Date(Math.floor(now.getTime() / DAY_MS) * DAY_MS);
    const { rows } = await c.query<{ from: Date | null }>(
      `SELECT coalesce(
          (SELECT (rolled_through::timestamp AT TIME ZONE 'UTC') - make_interval(days => $1)
             FROM analytics_rollup_state),
          least((SELECT min(created_at) FROM sync_jobs), (SELECT min(created_at) FROM alerts))) AS "from"`,
      [RECOMPUTED_DAYS],
    );
    const earliest = rows[0]?.from ?? today;
    const from = new Date(Math.floor(earliest.getTime() / DAY_MS) * DAY_MS);
    if (from < today) {
      const days = Prisma.sql`day >= ${from.toISOString().slice(0, 10)}::date AND day < ${today.toISOString().slice(0, 10)}::date`;
      const tables: [string, string, Prisma.Sql][] = [
        ["analytics_sync_daily", SYNC_COLUMNS, syncDailySql(from, today)],
        ["analytics_platform_daily", PLATFORM_COLUMNS, platformDailySql(from, today)],
        ["analytics_alert_daily", ALERT_COLUMNS, alertDailySql(from, today)],
      ];
      for (const [table, columns, live] of tables) {
        await run(c, Prisma.sql`DELETE FROM ${Prisma.raw(table)} WHERE ${days}`);
        await run(
          c,
          Prisma.sql`INSERT INTO ${Prisma.raw(table)} (${Prisma.raw(columns)})
                     SELECT ${Prisma.raw(columns)} FROM (${live}) live`,
        );
      }
    }
    const day = today.toISOString().slice(0, 10);
    await run(c, Prisma.sql`DELETE FROM analytics_value_daily WHERE day = ${day}::date`);
    await run(
      c,
      Prisma.sql`INSERT INTO analytics_value_daily (day, scope, units, value_at_price, value_at_cost)
                 SELECT ${day}::date, scope, units, value_at_price::numeric, value_at_cost::numeric
                   FROM (${VALUE_NOW_SQL}) v`,
    );
    await run(
      c,
      Prisma.sql`INSERT INTO analytics_rollup_state (rolled_through, refreshed_at) VALUES (${day}::date, now())
                 ON CONFLICT (tenant_id) DO UPDATE SET rolled_through = EXCLUDED.rolled_through,
                                                       refreshed_at = EXCLUDED.refreshed_at`,
    );
  });
}

/** Refreshes every tenant's rollups, one tenant at a time; returns how many were refreshed. */
export async function refreshAllRollups(
  ownerPool: pg.Pool | pg.PoolClient,
  appPool: pg.Pool,
  now = new Date(),
) {
  const { rows } = await ownerPool.query<{ id: string }>("SELECT id FROM tenants ORDER BY id");
  for (const { id } of rows) await refreshTenantRollups(appPool, id, now);
  return rows.length;
}

const ROLLUP_LOCK = "analytics_rollup_round";

/** One round across the processes at a time: a process that finds another's round running skips its own. */
async function refreshUnlessRunning(ownerPool: pg.Pool, appPool: pg.Pool, given?: RoundLock) {
  const client = await ownerPool.connect();
  const lock = given ?? connectionLock(client);
  try {
    if (!(await lock.tryLock(ROLLUP_LOCK))) return 0;
    try {
      return await refreshAllRollups(client, appPool);
    } finally {
      await lock.unlock(ROLLUP_LOCK);
    }
  } finally {
    client.release();
  }
}

/**
 * Keeps the analytics rollups fresh while the process runs: every tenant at start and every 15 minutes after.
 * A failed round is logged and the next one catches up (answers stay right meanwhile: unrolled days are read live).
 */
export function startAnalyticsRollups(options: {
  ownerPool: pg.Pool;
  appPool: pg.Pool;
  /** Who holds each round's lock: the process's session connection. */
  lock?: RoundLock;
  everyMs?: number;
  log: { warn(o: object, m: string): void };
}) {
  let current: Promise<unknown> = Promise.resolve();
  let busy = false;
  let stopped = false;
  const round = () => {
    if (stopped || busy) return;
    busy = true;
    current = refreshUnlessRunning(options.ownerPool, options.appPool, options.lock)
      .catch((error) => {
        if (!stopped)
          options.log.warn({ err: error }, "analytics rollup refresh failed; it runs again later");
      })
      .finally(() => {
        busy = false;
      });
  };
  round();
  const first = current;
  const timer = setInterval(round, options.everyMs ?? EVERY_MS);
  timer.unref();
  return {
    /** The first round (failures already logged), for a start that wants its rollups in place. */
    ready: first,
    async stop() {
      stopped = true;
      clearInterval(timer);
      await current;
    },
  };
}
