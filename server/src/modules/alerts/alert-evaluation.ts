import type pg from "pg";
import type { Tx } from "../../platform/db";
import { type AlertCause, type AlertChanges, alertSql, applyAlerts } from "./alert.store";
import {
  ALL_CHANNELS,
  type AlertClear,
  type AlertDraft,
  agedConflictAlert,
  evaluateItem,
  type ItemSnapshot,
} from "./rules";

export interface AlertSettings {
  lowStockThreshold: number;
  outOfStockThreshold: number;
  maxPriceVariancePct: number;
}

const DEFAULTS: AlertSettings = { lowStockThreshold: 10, outOfStockThreshold: 0, maxPriceVariancePct: 5 };

/** The tenant's alert thresholds (the schema's defaults when it has saved none). */
export async function alertSettings(db: Tx | pg.ClientBase): Promise<AlertSettings> {
  const [row] = await alertSql(db).query<{ low: number; out: number; pct: string }>(
    `SELECT low_stock_threshold AS low, out_of_stock_threshold AS out, max_price_variance_pct::text AS pct
       FROM platform_sync_settings LIMIT 1`,
    [],
  );
  return row
    ? { lowStockThreshold: row.low, outOfStockThreshold: row.out, maxPriceVariancePct: Number(row.pct) }
    : DEFAULTS;
}

interface SnapshotRow {
  id: string;
  sku: string;
  title: string | null;
  available: number | null;
  inventory_status: string | null;
  is_bestseller: boolean | null;
  listings: Array<{ platform: string; quantity: number; price: string | null; status: string }>;
  changes: Array<{ platform: string; from: unknown; to: unknown }>;
  baselines: Array<{ platform: string; price: string | null }>;
}

const CHUNK = 1000;
/** Locks per tenant that item evaluations take turns on (a product's is chosen by a hash of its id). */
const ITEM_LOCKS = 64;

/**
 * Re-evaluates every item rule for these products inside the writer's transaction, after its writes: stock per
 * listing and overall by the tenant's thresholds, price variance between platforms, and price jumps in the price
 * changes this transaction (or, for a sync, `jobId`) recorded in history. Raises, refreshes, re-opens and
 * resolves alerts so that each cause has one open alert, with the cause on every event.
 */
export async function evaluateItemAlerts(
  db: Tx | pg.ClientBase,
  tenantId: string,
  productIds: string[],
  cause: AlertCause,
  options: { jobId?: string | null; settings?: AlertSettings } = {},
): Promise<AlertChanges> {
  const total: AlertChanges = { created: 0, updated: 0, reopened: 0, resolved: 0 };
  const ids = [...new Set(productIds)];
  if (ids.length === 0) return total;
  const sql = alertSql(db);
  const settings = options.settings ?? (await alertSettings(db));
  // Evaluations of one item take turns: each holds its items' locks until its transaction ends, so one that
  // waited then reads (in its next statement) what the earlier one's transaction wrote and the alerts it left,
  // instead of deciding from an older read and undoing them. Advisory locks, not row locks: writers hold their
  // products FOR SHARE (the analytics counters) until they commit, so two of them upgrading to an exclusive row
  // lock would deadlock. Items share ITEM_LOCKS locks per tenant (a full sync's check takes at most that many),
  // all taken at once in order so that evaluators of overlapping items cannot deadlock either.
  await sql.query(
    `SELECT count(*)::int AS locked
       FROM (SELECT pg_advisory_xact_lock(hashtextextended('alert_items:' || $1::text || ':' || b, 0))
               FROM (SELECT DISTINCT abs(hashtextextended(id::text, 0) % $3::int) AS b
                       FROM unnest($2::uuid[]) id ORDER BY 1 OFFSET 0) x) y`,
    [tenantId, ids, ITEM_LOCKS],
  );
  for (let i = 0; i < ids.length; i += CHUNK) {
    const chunk = ids.slice(i, i + CHUNK);
    const rows = await sql.query<SnapshotRow>(
      `SELECT p.id, p.sku, p.title, s.available_quantity AS available, s.status::text AS inventory_status,
              s.is_bestseller,
              coalesce((SELECT json_agg(json_build_object('platform', l.platform, 'quantity', l.quantity,
                                                          'price', l.price::text, 'status', l.status) ORDER BY l.platform)
                          FROM product_listings l WHERE l.product_id = p.id), '[]'::json) AS listings,
              -- The latest price change per platform written by this transaction or this job.
              coalesce((SELECT json_agg(json_build_object('platform', h.platform, 'from', h.old_value, 'to', h.new_value))
                          FROM (SELECT DISTINCT ON (1) coalesce(h.platform::text, '${ALL_CHANNELS}') AS platform,
                                       h.old_value, h.new_value
                                  FROM sync_history h
                                 WHERE h.product_id = p.id AND h.field = 'price'
                                   AND (h.created_at >= now() OR h.job_id = $2::uuid)
                                 ORDER BY 1, h.created_at DESC, h.id DESC) h), '[]'::json) AS changes,
              -- An open price-jump alert compares later changes with the price before the jump.
              coalesce((SELECT json_agg(json_build_object('platform', a.payload->>'platform',
                                                          'price', a.payload->>'previousPrice'))
                          FROM alerts a WHERE a.product_id = p.id AND a.dedupe_key LIKE 'PRICE_CHANGE:%'
                           AND a.status IN ('OPEN', 'ACKNOWLEDGED')), '[]'::json) AS baselines
         FROM products p
         LEFT JOIN LATERAL (SELECT * FROM seller_inventory s WHERE s.product_id = p.id ORDER BY s.id LIMIT 1) s ON true
        WHERE p.id = ANY($1::uuid[])`,
      [chunk, options.jobId ?? null],
    );
    const raise: AlertDraft[] = [];
    const clear: AlertClear[] = [];
    for (const row of rows) {
      const baseline = new Map(row.baselines.map((b) => [b.platform, b.price]));
      const item: ItemSnapshot = {
        productId: row.id,
        sku: row.sku,
        title: row.title,
        inventory:
          row.available === null
            ? null
            : {
                available: row.available,
                status: row.inventory_status ?? "ACTIVE",
                isBestseller: row.is_bestseller ?? false,
              },
        listings: row.listings,
        priceChanges: row.changes
          .filter((c) => c.from !== null && c.to !== null)
          .map((c) => ({
            platform: c.platform,
            from: baseline.get(c.platform) ?? String(c.from),
            to: String(c.to),
          })),
      };
      const found = evaluateItem(item, settings);
      for (const d of found.raise) raise.push({ ...d, jobId: d.jobId ?? options.jobId ?? null });
      clear.push(...found.clear);
    }
    const changes = await applyAlerts(db, tenantId, raise, clear, cause);
    total.created += changes.created;
    total.updated += changes.updated;
    total.reopened += changes.reopened;
    total.resolved += changes.resolved;
  }
  return total;
}

/** Conflicts open for longer than this raise a HIGH alert of their own. */
export const AGED_CONFLICT_HOURS = 24;

/**
 * Raises an alert for each of the tenant's conflicts open for `limitHours` or more (the periodic check calls it);
 * the alert closes with its conflict.
 */
export async function raiseAgedConflictAlerts(
  db: Tx | pg.ClientBase,
  tenantId: string,
  options: { limitHours?: number; now?: Date } = {},
): Promise<AlertChanges> {
  const limitHours = options.limitHours ?? AGED_CONFLICT_HOURS;
  const now = options.now ?? new Date();
  const rows = await alertSql(db).query<{
    id: string;
    sku: string;
    field: string;
    created_at: Date;
    product_id: string | null;
  }>(
    `SELECT c.id, p.sku, c.field, c.created_at, c.product_id
       FROM sync_conflicts c JOIN products p ON p.id = c.product_id
      WHERE c.status = 'OPEN' AND c.created_at <= $1::timestamptz - make_interval(hours => $2::int)
        AND NOT EXISTS (SELECT 1 FROM alerts a WHERE a.dedupe_key = 'CONFLICT_AGED:' || c.id::text
                                                 AND a.status IN ('OPEN', 'ACKNOWLEDGED'))
      ORDER BY c.created_at LIMIT 1000`,
    [now, limitHours],
  );
  const drafts = rows
    .map((r) =>
      agedConflictAlert(
        { id: r.id, sku: r.sku, field: r.field, createdAt: new Date(r.created_at), productId: r.product_id },
        limitHours,
        now,
      ),
    )
    .filter((d): d is AlertDraft => d !== null);
  return applyAlerts(db, tenantId, drafts, [], "SCHEDULE");
}
