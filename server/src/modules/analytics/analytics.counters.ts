import type pg from "pg";
import { Prisma } from "../../platform/db";

// The current stock's counters (analytics_stock_counters): the triggers in the migration append each statement's
// deltas in the writing transaction; these functions read, compact, verify and repair them. Every query runs in
// the caller's tenant transaction, so row-level security keeps it to that tenant.

/** A tenant's counter rows folded per key; a STALE row says a delta was lost and the stock must be read live. */
const SUMMED = `
  SELECT scope, channel, platform, status, sum(items) AS items, sum(units) AS units,
         sum(available_units) AS available_units, sum(value_at_price) AS value_at_price,
         sum(value_at_cost) AS value_at_cost, sum(items_without_price) AS items_without_price,
         sum(items_without_cost) AS items_without_cost
    FROM analytics_stock_counters GROUP BY 1, 2, 3, 4`;
const NONZERO = `(scope = 'STALE' OR items <> 0 OR units <> 0 OR available_units <> 0 OR value_at_price <> 0
  OR value_at_cost <> 0 OR items_without_price <> 0 OR items_without_cost <> 0)`;
const COLUMNS = `scope, channel, platform, status, items, units, available_units, value_at_price, value_at_cost,
  items_without_price, items_without_cost`;

/**
 * The analytics' current-stock rows from the counters, shaped as the live queries shape them: STOCK (TOTAL and per
 * channel, as STOCK_NOW_SQL), STATUS (items per status), LISTING (per platform and status), PLATFORM_VALUE (per
 * platform, as PLATFORM_VALUE_NOW_SQL), PLATFORM_ITEMS (items with a listing on the platform), STALE.
 */
export const COUNTED_STOCK_SQL = Prisma.sql`
  WITH c AS (${Prisma.raw(SUMMED)})
  SELECT 'STOCK' AS kind, coalesce(channel::text, 'TOTAL') AS scope, NULL::text AS status,
         coalesce(sum(items), 0)::int AS items, coalesce(sum(units), 0)::float8 AS units,
         coalesce(sum(available_units), 0)::float8 AS available_units,
         coalesce(sum(value_at_price), 0)::numeric(18, 2)::text AS value_at_price,
         coalesce(sum(value_at_cost), 0)::numeric(18, 2)::text AS value_at_cost,
         coalesce(sum(items_without_price), 0)::int AS items_without_price,
         coalesce(sum(items_without_cost), 0)::int AS items_without_cost
    FROM c WHERE scope = 'ITEM'
   GROUP BY GROUPING SETS ((), (channel)) HAVING GROUPING(channel) = 1 OR sum(items) <> 0
  UNION ALL
  SELECT 'STATUS', status::text, NULL, sum(items)::int, 0, 0, '0', '0', 0, 0
    FROM c WHERE scope = 'ITEM' GROUP BY status HAVING sum(items) <> 0
  UNION ALL
  SELECT 'LISTING', platform::text, status::text, items::int, 0, 0, '0', '0', 0, 0
    FROM c WHERE scope = 'LISTING' AND items <> 0
  UNION ALL
  SELECT 'PLATFORM_VALUE', platform::text, NULL, sum(items)::int, sum(units)::float8, NULL,
         sum(value_at_price)::numeric(18, 2)::text, sum(value_at_cost)::numeric(18, 2)::text, NULL, NULL
    FROM c WHERE scope = 'LISTING' GROUP BY platform HAVING sum(items) <> 0
  UNION ALL
  SELECT 'PLATFORM_ITEMS', platform::text, NULL, items::int, 0, 0, '0', '0', 0, 0
    FROM c WHERE scope = 'PLATFORM' AND items <> 0
  UNION ALL
  SELECT 'STALE', 'STALE', NULL, 0, 0, 0, '0', '0', 0, 0 FROM c WHERE scope = 'STALE'`;

/** Items, units and value of one scope (a channel, a platform, the whole stock). */
export interface StockValueRow {
  scope: string;
  items: number;
  units: number;
  available_units: number | null;
  value_at_price: string;
  value_at_cost: string;
  items_without_price: number | null;
  items_without_cost: number | null;
}

export interface CountedRow extends StockValueRow {
  kind: "STOCK" | "STATUS" | "LISTING" | "PLATFORM_VALUE" | "PLATFORM_ITEMS" | "STALE";
  status: string | null;
}

const lockCompaction = (c: pg.PoolClient) =>
  c.query(
    "SELECT pg_advisory_xact_lock(hashtextextended('analytics_stock_compact:' || app_current_tenant(), 0))",
  );

/** Folds the tenant's delta rows into one row per key (writers keep appending meanwhile); returns the rows left. */
export async function compactStockCounters(c: pg.PoolClient): Promise<number> {
  await lockCompaction(c);
  const { rowCount } = await c.query(
    `WITH gone AS (DELETE FROM analytics_stock_counters RETURNING *)
     INSERT INTO analytics_stock_counters (${COLUMNS})
     SELECT ${COLUMNS} FROM (${SUMMED.replace("analytics_stock_counters", "gone")}) s WHERE ${NONZERO}`,
  );
  return rowCount ?? 0;
}

/** How many keys the summed counters and a full recount of the stock disagree on (0: they are equal). */
export async function stockCounterDrift(c: pg.PoolClient): Promise<number> {
  const { rows } = await c.query<{ n: number }>(
    `WITH counted AS (SELECT ${COLUMNS} FROM (${SUMMED}) s WHERE ${NONZERO}),
          truth AS (SELECT ${COLUMNS} FROM analytics_stock_recount())
     SELECT count(*)::int AS n FROM ((SELECT * FROM counted EXCEPT ALL SELECT * FROM truth)
                                     UNION ALL (SELECT * FROM truth EXCEPT ALL SELECT * FROM counted)) d`,
  );
  return rows[0]?.n ?? 0;
}

/**
 * Compacts the tenant's counters and checks them against a full recount; on any difference (or a STALE mark)
 * rewrites them from the recount while the tenant's stock writers wait, so none of their deltas is lost.
 * Returns the keys that were wrong (0 when the counters were right).
 */
export async function reconcileStockCounters(c: pg.PoolClient): Promise<number> {
  await compactStockCounters(c);
  const drift = await stockCounterDrift(c);
  if (drift === 0) return 0;
  // The writers' triggers hold this lock shared: they finish first, and later ones wait for the recount.
  await c.query(
    "SELECT pg_advisory_xact_lock(hashtextextended('analytics_stock:' || app_current_tenant(), 0))",
  );
  await c.query("DELETE FROM analytics_stock_counters");
  await c.query(
    `INSERT INTO analytics_stock_counters (${COLUMNS}) SELECT ${COLUMNS} FROM analytics_stock_recount()`,
  );
  return drift;
}

/** Tenants with more than `rows` counter rows (the owner lists them as a member of inventory_maintenance). */
export async function tenantsToCompact(owner: pg.Pool | pg.PoolClient, rows: number): Promise<string[]> {
  const result = await owner.query<{ id: string }>(
    "SELECT tenant_id::text AS id FROM analytics_stock_counters GROUP BY 1 HAVING count(*) > $1 ORDER BY 1",
    [rows],
  );
  return result.rows.map((r) => r.id);
}
