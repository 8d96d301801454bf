import type pg from "pg";
import { connectionLock, Prisma, type RoundLock, withTenant } from "../../platform/db";
import { compactStockCounters, reconcileStockCounters, tenantsToCompact } from "./analytics.counters";
import { alertDailySql, platformDailySql, syncDailySql, VALUE_NOW_SQL } from "./analytics.sql";

const DAY_MS = 86_400_000;
/** Days before the last refresh recomputed each time: a job finishing after midnight counts on its first day. */
const RECOMPUTED_DAYS = 2;
const EVERY_MS = 15 * 60_000;
/** Counter rows a tenant may gather before the next fold; reading a few hundred rows still takes about a ms. */
const COMPACT_ABOVE_ROWS = 256;
const COMPACT_EVERY_MS = 30_000;

const run = (c: pg.PoolClient, sql: Prisma.Sql) => c.query(sql.text, sql.values);

const SYNC_COLUMNS = `day, job_type, jobs, succeeded, failed, cancelled, duration_ms_sum, duration_p50_ms,
  duration_p95_ms, durations_ms, processed_items, updated_items, failed_items, conflicts`;
const PLATFORM_COLUMNS = `day, job_type, platform, jobs, succeeded, failed_jobs, duration_ms_sum, durations_ms, read, updated,
  failed, conflicts`;
const ALERT_COLUMNS = "day, type, priority, raised, resolved";

/**
 * Brings one tenant's rollups up to today (UTC): the days since its last refresh (a couple before it too)
 * recomputed from the jobs and alerts, today's inventory value snapshot replaced; then checks the stock counters
 * against a full recount and repairs them if they drifted. Runs as the application role in the tenant's
 * transactions, so row-level security keeps it to that tenant; refreshes of one tenant queue up.
 * Returns how many counter keys had to be repaired (0 when they were right).
 */
export async function refreshTenantRollups(appPool: pg.Pool, tenantId: string, now = new Date()) {
  await refreshHistory(appPool, tenantId, now);
  // Its own transaction: a repair holds the tenant's stock writers only for the recount.
  return withTenant(appPool, tenantId, reconcileStockCounters);
}

async function refreshHistory(appPool: pg.Pool, tenantId: string, now: Date) {
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

/**
 * Refreshes every tenant's rollups, one tenant at a time; returns how many were refreshed and the tenants whose
 * stock counters were repaired. The owner lists the tenants as a member of inventory_maintenance, which row-level
 * security lets see them all even when the owner is no superuser.
 */
export async function refreshAllRollups(
  ownerPool: pg.Pool | pg.PoolClient,
  appPool: pg.Pool,
  now = new Date(),
): Promise<{ tenants: number; repaired: string[] }> {
  const { rows } = await ownerPool.query<{ id: string }>("SELECT id::text AS id FROM tenants ORDER BY id");
  const repaired: string[] = [];
  for (const { id } of rows) if ((await refreshTenantRollups(appPool, id, now)) > 0) repaired.push(id);
  return { tenants: rows.length, repaired };
}

/** Folds the delta rows of the tenants that wrote many since the last fold, so reading the counters stays cheap. */
export async function compactAllStockCounters(
  ownerPool: pg.Pool,
  appPool: pg.Pool,
  above = COMPACT_ABOVE_ROWS,
) {
  const tenants = await tenantsToCompact(ownerPool, above);
  for (const id of tenants) await withTenant(appPool, id, compactStockCounters);
  return tenants.length;
}

const ROLLUP_LOCK = "analytics_rollup_round";

/** One round across the processes at a time: a process that finds another's round running skips its own. */
async function refreshUnlessRunning(ownerPool: pg.Pool, appPool: pg.Pool, given?: RoundLock) {
  const client = await ownerPool.connect();
  const lock = given ?? connectionLock(client);
  try {
    if (!(await lock.tryLock(ROLLUP_LOCK))) return { tenants: 0, repaired: [] };
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
 * Keeps the analytics rollups fresh while the process runs: every tenant at start and every 15 minutes after,
 * with the stock counters verified (and repaired, logged) each round and folded every 30 seconds where they grew.
 * A failed round is logged and the next one catches up (answers stay right meanwhile: unrolled days are read live).
 */
export function startAnalyticsRollups(options: {
  ownerPool: pg.Pool;
  appPool: pg.Pool;
  /** Who holds each round's lock: the process's session connection. */
  lock?: RoundLock;
  everyMs?: number;
  compactEveryMs?: number;
  log: { warn(o: object, m: string): void };
}) {
  let current: Promise<unknown> = Promise.resolve();
  let busy = false;
  let stopped = false;
  const round = () => {
    if (stopped || busy) return;
    busy = true;
    current = refreshUnlessRunning(options.ownerPool, options.appPool, options.lock)
      .then(({ repaired }) => {
        if (repaired.length > 0)
          options.log.warn({ tenants: repaired }, "analytics stock counters had drifted; recounted");
      })
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
  let compacting = false;
  const compaction = setInterval(() => {
    if (stopped || compacting) return;
    compacting = true;
    compactAllStockCounters(options.ownerPool, options.appPool)
      .catch((error) => {
        if (!stopped)
          options.log.warn({ err: error }, "analytics counter compaction failed; it runs again later");
      })
      .finally(() => {
        compacting = false;
      });
  }, options.compactEveryMs ?? COMPACT_EVERY_MS);
  compaction.unref();
  return {
    /** The first round (failures already logged), for a start that wants its rollups in place. */
    ready: first,
    async stop() {
      stopped = true;
      clearInterval(timer);
      clearInterval(compaction);
      await current;
    },
  };
}
