import type pg from "pg";
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

/** Marker on an item whose write was sent and whose outcome is not known yet. */
export const IN_FLIGHT = "IN_FLIGHT";

export async function pendingItems(c: pg.ClientBase, jobId: string): Promise<ItemRow[]> {
  const { rows } = await c.query<ItemRow>(
    `SELECT id, product_id, sku, platform::text, field, from_value, to_value, attempts, error_code, updated_at
       FROM sync_job_items WHERE job_id = $1 AND status = 'PENDING' ORDER BY sku, platform, field`,
    [jobId],
  );
  return rows;
}

export async function markSent(c: pg.ClientBase, ids: string[]): Promise<void> {
  await c.query(
    `UPDATE sync_job_items SET attempts = attempts + 1, error_code = $2, error = NULL, updated_at = now()
      WHERE id = ANY($1::uuid[]) AND status = 'PENDING'`,
    [ids, IN_FLIGHT],
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
    `SELECT platform::text, status::text, count(*)::int AS n FROM sync_job_items WHERE job_id = $1 GROUP BY 1, 2`,
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
      WHERE job_id = $1 AND status = 'PENDING'`,
    [jobId],
  );
  return { byStatus, byPlatform, pendingProducts: pending.rows[0]?.n ?? 0 };
}

/** Raises or refreshes alerts by dedupe key (an open or acknowledged one is updated, never duplicated) and resolves those whose cause is gone. */
export async function upsertAlerts(
  c: pg.ClientBase,
  tenantId: string,
  drafts: AlertDraft[],
  resolveKeys: string[] = [],
): Promise<{ created: number; updated: number; resolved: number }> {
  const byKey = new Map(drafts.map((d) => [d.dedupeKey, d]));
  const raise = new Set(byKey.keys());
  const resolve = [...new Set(resolveKeys)].filter((k) => !raise.has(k));
  if (byKey.size === 0 && resolve.length === 0) return { created: 0, updated: 0, resolved: 0 };
  // Two jobs of one tenant raising the same key at once would otherwise both insert.
  await c.query("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))", [`alerts:${tenantId}`]);
  const list = [...byKey.values()];
  const existing = await c.query<{ dedupe_key: string }>(
    `SELECT DISTINCT dedupe_key FROM alerts WHERE dedupe_key = ANY($1::text[]) AND status IN ('OPEN', 'ACKNOWLEDGED')`,
    [list.map((d) => d.dedupeKey)],
  );
  const open = new Set(existing.rows.map((r) => r.dedupe_key));
  const cols = (rows: AlertDraft[]) => [
    rows.map((d) => d.type),
    rows.map((d) => d.priority),
    rows.map((d) => d.title),
    rows.map((d) => d.message),
    rows.map((d) => JSON.stringify(d.payload)),
    rows.map((d) => d.productId ?? null),
    rows.map((d) => d.jobId ?? null),
    rows.map((d) => d.conflictId ?? null),
    rows.map((d) => d.dedupeKey),
  ];
  const toUpdate = list.filter((d) => open.has(d.dedupeKey));
  const toInsert = list.filter((d) => !open.has(d.dedupeKey));
  if (toUpdate.length > 0) {
    await c.query(
      `UPDATE alerts a SET priority = v.priority::"AlertPriority", title = v.title, message = v.message,
              payload = v.payload::jsonb, job_id = coalesce(v.job_id, a.job_id),
              conflict_id = coalesce(v.conflict_id, a.conflict_id), updated_at = now()
         FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::uuid[], $7::uuid[], $8::uuid[], $9::text[])
              AS v(type, priority, title, message, payload, product_id, job_id, conflict_id, dedupe_key)
        WHERE a.dedupe_key = v.dedupe_key AND a.status IN ('OPEN', 'ACKNOWLEDGED')`,
      cols(toUpdate),
    );
  }
  if (toInsert.length > 0) {
    await c.query(
      `INSERT INTO alerts (type, priority, title, message, payload, product_id, job_id, conflict_id, dedupe_key, updated_at)
       SELECT v.type::"AlertType", v.priority::"AlertPriority", v.title, v.message, v.payload::jsonb, v.product_id,
              v.job_id, v.conflict_id, v.dedupe_key, now()
         FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::uuid[], $7::uuid[], $8::uuid[], $9::text[])
              AS v(type, priority, title, message, payload, product_id, job_id, conflict_id, dedupe_key)`,
      cols(toInsert),
    );
  }
  let resolved = 0;
  if (resolve.length > 0) {
    const r = await c.query(
      `UPDATE alerts SET status = 'RESOLVED', resolved_at = now(), resolved_by = 'system', updated_at = now()
        WHERE dedupe_key = ANY($1::text[]) AND status IN ('OPEN', 'ACKNOWLEDGED')`,
      [resolve],
    );
    resolved = r.rowCount ?? 0;
  }
  return { created: toInsert.length, updated: toUpdate.length, resolved };
}
