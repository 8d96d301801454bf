import type { Actor } from "../../platform/auth/actor";
import type { Tx } from "../../platform/db";

export interface HistoryRow {
  productId: string | null;
  sku: string | null;
  field: string;
  oldValue: unknown;
  newValue: unknown;
  platform?: string | null;
  connectionId?: string | null;
}

/** Appends history rows (old -> new per field) in one statement, however many there are. */
export async function writeHistory(
  tx: Tx,
  rows: HistoryRow[],
  context: { jobId: string | null; actor: Actor; reason: string },
) {
  if (rows.length === 0) return;
  await tx.$executeRaw`
    INSERT INTO sync_history (product_id, sku, job_id, actor_type, actor_id, platform, connection_id, field,
                              old_value, new_value, reason)
    SELECT v.product_id, v.sku, ${context.jobId}::uuid, ${context.actor.type}::"ActorType", ${context.actor.id},
           v.platform::"PlatformKind", v.connection_id, v.field, v.old_value::jsonb, v.new_value::jsonb,
           ${context.reason}
      FROM unnest(${rows.map((r) => r.productId)}::uuid[], ${rows.map((r) => r.sku)}::text[],
                  ${rows.map((r) => r.platform ?? null)}::text[], ${rows.map((r) => r.connectionId ?? null)}::uuid[],
                  ${rows.map((r) => r.field)}::text[], ${rows.map((r) => JSON.stringify(r.oldValue ?? null))}::text[],
                  ${rows.map((r) => JSON.stringify(r.newValue ?? null))}::text[])
           AS v(product_id, sku, platform, connection_id, field, old_value, new_value)`;
}
