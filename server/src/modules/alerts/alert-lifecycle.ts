import type { Tx } from "../../platform/db";
import { resolveAlertsWhere } from "./alert.store";

/** The conflicts whose alerts close, as the conflicts module hands them over. */
export interface ClosedConflict {
  id: string;
  sku: string;
  field: string;
}

/**
 * Resolves the open and acknowledged alerts about conflicts that were just resolved or ignored, inside the
 * caller's transaction: the alerts pointing at them, and SYNC_CONFLICT alerts raised for the same SKU and
 * field without a link (raised before alerts carried their conflict). With `pricesAgree`, the PRICE_VARIANCE
 * alert of a resolved price conflict closes too, as it does when a sync resolves one.
 */
export async function resolveConflictAlerts(
  tx: Tx,
  conflicts: ClosedConflict[],
  by: string,
  options: { now?: Date; pricesAgree?: boolean } = {},
): Promise<number> {
  if (conflicts.length === 0) return 0;
  const keys = conflicts.map((c) => `SYNC_CONFLICT:${c.sku}:${c.field}`);
  if (options.pricesAgree) {
    for (const c of conflicts) if (c.field === "price") keys.push(`PRICE_VARIANCE:${c.sku}`);
  }
  const closed = await resolveAlertsWhere(
    tx,
    { conflictIds: conflicts.map((c) => c.id), unlinkedKeys: keys },
    by,
    `Conflict closed by ${by}`,
    "RESOLUTION",
    options.now,
  );
  return closed.length;
}
