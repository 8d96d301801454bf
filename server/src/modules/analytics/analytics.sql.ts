import { Prisma } from "../../platform/db";

// Every query here runs in the caller's tenant transaction: row-level security picks the tenant's rows.

const TERMINAL = Prisma.raw(`('SUCCEEDED', 'FAILED', 'CANCELLED')`);
/** A job's running time in milliseconds; null for a job that never started. */
const DURATION_MS = Prisma.raw(`extract(epoch FROM j.finished_at - j.started_at) * 1000`);
/** A counter of a job's per-platform result, 0 where it is missing or not a number. */
const counter = (name: string) =>
  Prisma.raw(
    `CASE WHEN jsonb_typeof(r.value -> '${name}') = 'number' THEN (r.value ->> '${name}')::numeric ELSE 0 END`,
  );

/** Finished jobs per UTC day of creation and type, over [start, end). Columns as analytics_sync_daily. */
export function syncDailySql(start: Date, end: Date): Prisma.Sql {
  return Prisma.sql`
    SELECT (j.created_at AT TIME ZONE 'UTC')::date AS day, j.type AS job_type,
           count(*)::int AS jobs,
           count(*) FILTER (WHERE j.status = 'SUCCEEDED')::int AS succeeded,
           count(*) FILTER (WHERE j.status = 'FAILED')::int AS failed,
           count(*) FILTER (WHERE j.status = 'CANCELLED')::int AS cancelled,
           coalesce(sum(${DURATION_MS}), 0)::bigint AS duration_ms_sum,
           percentile_cont(0.5) WITHIN GROUP (ORDER BY ${DURATION_MS}) AS duration_p50_ms,
           percentile_cont(0.95) WITHIN GROUP (ORDER BY ${DURATION_MS}) AS duration_p95_ms,
           coalesce(array_agg(${DURATION_MS} ORDER BY ${DURATION_MS}) FILTER (WHERE j.started_at IS NOT NULL
                                                                      AND j.finished_at IS NOT NULL), '{}') AS durations_ms,
           sum(j.processed_items)::bigint AS processed_items, sum(j.updated_items)::bigint AS updated_items,
           sum(j.failed_items)::bigint AS failed_items, sum(j.conflict_count)::bigint AS conflicts
      FROM sync_jobs j
     WHERE j.created_at >= ${start} AND j.created_at < ${end} AND j.status IN ${TERMINAL} AND NOT j.dry_run
     GROUP BY 1, 2`;
}

/** The same jobs per platform of their results. Columns as analytics_platform_daily. */
export function platformDailySql(start: Date, end: Date): Prisma.Sql {
  return Prisma.sql`
    SELECT (j.created_at AT TIME ZONE 'UTC')::date AS day, j.type AS job_type, r.key::"PlatformKind" AS platform,
           count(*)::int AS jobs,
           count(*) FILTER (WHERE j.status = 'SUCCEEDED')::int AS succeeded,
           count(*) FILTER (WHERE j.status = 'FAILED')::int AS failed_jobs,
           coalesce(sum(${DURATION_MS}), 0)::bigint AS duration_ms_sum,
           coalesce(array_agg(${DURATION_MS} ORDER BY ${DURATION_MS}) FILTER (WHERE j.started_at IS NOT NULL
                                                                      AND j.finished_at IS NOT NULL), '{}') AS durations_ms,
           sum(${counter("read")})::bigint AS read, sum(${counter("updated")})::bigint AS updated,
           sum(${counter("failed")})::bigint AS failed, sum(${counter("conflicts")})::bigint AS conflicts
      FROM sync_jobs j
     CROSS JOIN LATERAL jsonb_each(CASE WHEN jsonb_typeof(j.platform_results) = 'object'
                                        THEN j.platform_results ELSE '{}'::jsonb END) r
     WHERE j.created_at >= ${start} AND j.created_at < ${end} AND j.status IN ${TERMINAL} AND NOT j.dry_run
       AND r.key = ANY (enum_range(NULL::"PlatformKind")::text[]) AND jsonb_typeof(r.value) = 'object'
     GROUP BY 1, 2, 3`;
}

/** Alerts raised (by creation) and resolved (by resolution) per UTC day, type and priority, over [start, end). */
export function alertDailySql(start: Date, end: Date): Prisma.Sql {
  return Prisma.sql`
    SELECT day, type, priority, sum(raised)::int AS raised, sum(resolved)::int AS resolved FROM (
      SELECT (a.created_at AT TIME ZONE 'UTC')::date AS day, a.type, a.priority, 1 AS raised, 0 AS resolved
        FROM alerts a WHERE a.created_at >= ${start} AND a.created_at < ${end}
      UNION ALL
      SELECT (a.resolved_at AT TIME ZONE 'UTC')::date, a.type, a.priority, 0, 1
        FROM alerts a WHERE a.resolved_at >= ${start} AND a.resolved_at < ${end} AND a.status = 'RESOLVED'
    ) x GROUP BY 1, 2, 3`;
}

/** The seller inventory's value now: overall (TOTAL) and per fulfillment channel. */
export const STOCK_NOW_SQL = Prisma.sql`
  SELECT coalesce(s.fulfillment_channel::text, 'TOTAL') AS scope, count(*)::int AS items,
         coalesce(sum(s.quantity), 0)::float8 AS units,
         coalesce(sum(s.quantity - s.reserved_quantity), 0)::float8 AS available_units,
         coalesce(sum(s.quantity * s.price), 0)::numeric(18, 2)::text AS value_at_price,
         coalesce(sum(s.quantity * p.cost), 0)::numeric(18, 2)::text AS value_at_cost,
         count(*) FILTER (WHERE s.price IS NULL)::int AS items_without_price,
         count(*) FILTER (WHERE p.cost IS NULL)::int AS items_without_cost
    FROM seller_inventory s JOIN products p ON p.id = s.product_id
   GROUP BY GROUPING SETS ((), (s.fulfillment_channel))`;

/** The listings' value now per platform, at each platform's own quantity and price. */
export const PLATFORM_VALUE_NOW_SQL = Prisma.sql`
  SELECT l.platform::text AS scope, count(*)::int AS items, coalesce(sum(l.quantity), 0)::float8 AS units,
         NULL::float8 AS available_units,
         coalesce(sum(l.quantity * l.price), 0)::numeric(18, 2)::text AS value_at_price,
         coalesce(sum(l.quantity * p.cost), 0)::numeric(18, 2)::text AS value_at_cost,
         NULL::int AS items_without_price, NULL::int AS items_without_cost
    FROM product_listings l JOIN products p ON p.id = l.product_id
   GROUP BY l.platform`;

/** Both, as the refresh snapshots them. */
export const VALUE_NOW_SQL = Prisma.sql`${STOCK_NOW_SQL} UNION ALL ${PLATFORM_VALUE_NOW_SQL}`;

/** Listings per platform and status (status null: the platform's inventory items, counted as its filter does). */
export const PRODUCTS_BY_PLATFORM_SQL = Prisma.sql`
  SELECT l.platform::text AS platform, l.status::text AS status, count(*)::int AS listings, 0 AS items
    FROM product_listings l GROUP BY 1, 2
  UNION ALL
  SELECT d.platform::text, NULL, 0, count(*)::int
    FROM seller_inventory s JOIN (SELECT DISTINCT product_id, platform FROM product_listings) d ON d.product_id = s.product_id
   GROUP BY 1`;

export const ITEMS_BY_STATUS_SQL = Prisma.sql`
  SELECT s.status::text AS status, count(*)::int AS count FROM seller_inventory s GROUP BY 1`;

export const OPEN_ALERTS_SQL = Prisma.sql`
  SELECT a.type::text AS type, a.priority::text AS priority, count(*)::int AS count
    FROM alerts a WHERE a.status IN ('OPEN', 'ACKNOWLEDGED') GROUP BY 1, 2`;

/**
 * Duration percentiles of the jobs in `rows` (rolled-up days, each with every job's running time): per type
 * (platform null), and per type and platform when the rows carry one.
 */
export function durationPercentilesSql(rows: Prisma.Sql, perPlatform: boolean): Prisma.Sql {
  const platform = Prisma.raw(perPlatform ? "r.platform::text" : "NULL::text");
  return Prisma.sql`
    SELECT r.job_type::text AS job_type, ${platform} AS platform,
           percentile_cont(0.5) WITHIN GROUP (ORDER BY d) AS p50, percentile_cont(0.95) WITHIN GROUP (ORDER BY d) AS p95
      FROM (${rows}) r CROSS JOIN LATERAL unnest(r.durations_ms) d
     GROUP BY 1, 2`;
}

/**
 * A rollup table's rows over [start, end): the stored days before `cut` (the tenant's first day not rolled up,
 * within the range), the rest computed live by `live` (the query the refresh stores), so an answer never waits
 * for a refresh and reads only the days since the last one from the jobs and alerts themselves.
 */
export function rolledUp(
  table: "analytics_sync_daily" | "analytics_platform_daily" | "analytics_alert_daily",
  columns: string,
  range: { start: Date; end: Date },
  cut: Date,
  live: (start: Date, end: Date) => Prisma.Sql,
): Prisma.Sql {
  const stored = Prisma.sql`
    SELECT ${Prisma.raw(columns)} FROM ${Prisma.raw(table)}
     WHERE day >= ${isoDay(range.start)}::date AND day < ${isoDay(cut)}::date`;
  if (cut >= range.end) return stored;
  return Prisma.sql`${stored} UNION ALL SELECT ${Prisma.raw(columns)} FROM (${live(cut, range.end)}) live`;
}

const isoDay = (date: Date) => date.toISOString().slice(0, 10);
