import type pg from "pg";
import { type AlertChanges, applyAlerts } from "../alerts";
import type { AlertDraft } from "../alerts/rules";

export interface ItemRow {
  id: string;
  product_id: string | null;
  sku: string;
  platform: string;
  field: "quantity" | "price" | "status";
  from_value: unknown;
  to_value: unknown;
  attempts: number;
  error_code: string | null;
  updated_at: Date;
}

/**
 * The one partition of a job's items (by its job's month), for a query whose job id is `$1`: without it a
 * lookup by job id probes every month's partition.
 */
export const ITEMS_OF_JOB = "job_created_at = (SELECT created_at FROM sync_jobs WHERE id = $1)";

/** Marker on an item whose write was sent and whose outcome is not known yet. */
export const IN_FLIGHT = "IN_FLIGHT";

export async function pendingItems(c: pg.ClientBase, jobId: string): Promise<ItemRow[]> {
  const { rows } = await c.query<ItemRow>(
    `SELECT id, product_id, sku, platform::text, field, from_value, to_value, attempts, error_code, updated_at
       FROM sync_job_items WHERE job_id = $1 AND ${ITEMS_OF_JOB} AND status = 'PENDING' ORDER BY sku, platform, field`,
    [jobId],
  );
  return rows;
}

/** Marks items sent; `jobCreatedAt` (their partition key) keeps the update to the job's partition. */
export async function markSent(c: pg.ClientBase, ids: string[], jobCreatedAt: Date): Promise<void> {
  await c.query(
    `UPDATE sync_job_items SET attempts = attempts + 1, error_code = $2, error = NULL, updated_at = now()
      WHERE id = ANY($1::uuid[]) AND job_created_at = $3 AND status = 'PENDING'`,
    [ids, IN_FLIGHT, jobCreatedAt],
  );
}

/** Item counters of a job, overall and per platform. */
export async function itemCounts(
  c: pg.ClientBase,
  jobId: string,
): Promise<{
  byStatus: Record<string, number>;
  byPlatform: Record<string, Record<string, number>>;
  pendingProducts: number;
}> {
  const { rows } = await c.query<{ platform: string; status: string; n: number }>(
    `SELECT platform::text, status::text, count(*)::int AS n FROM sync_job_items WHERE job_id = $1 AND ${ITEMS_OF_JOB} GROUP BY 1, 2`,
    [jobId],
  );
  const byStatus: Record<string, number> = {};
  const byPlatform: Record<string, Record<string, number>> = {};
  for (const r of rows) {
    byStatus[r.status] = (byStatus[r.status] ?? 0) + r.n;
    byPlatform[r.platform] ??= {};
    byPlatform[r.platform]![r.status] = r.n;
  }
  const pending = await c.query<{ n: number }>(
    `SELECT count(DISTINCT coalesce(product_id::text, sku))::int AS n FROM sync_job_items
      WHERE job_id = $1 AND ${ITEMS_OF_JOB} AND status = 'PENDING'`,
    [jobId],
  );
  return { byStatus, byPlatform, pendingProducts: pending.rows[0]?.n ?? 0 };
}

/** Raises or refreshes a sync's alerts by dedupe key and resolves those whose cause is gone, through the alerts module. */
export function upsertAlerts(
  c: pg.ClientBase,
  tenantId: string,
  drafts: AlertDraft[],
  resolveKeys: string[] = [],
): Promise<AlertChanges> {
  return applyAlerts(c, tenantId, drafts, resolveKeys, "SYNC");
}
