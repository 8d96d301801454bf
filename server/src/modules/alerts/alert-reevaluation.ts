import type { TenantDb } from "../../platform/db";
import type { AlertChanges } from "./alert.store";
import { alertSettings, evaluateItemAlerts } from "./alert-evaluation";

/** Products one transaction re-evaluates: short locks, and a crash loses at most one chunk of work. */
const CHUNK = 1000;

/**
 * Runs every item rule again over all of the tenant's products, a chunk per transaction, under the settings as
 * they are now: after the thresholds change, the stock levels the inventory page shows and the open alerts
 * agree (items now under the low-stock line raise theirs, items above it resolve theirs, with the cause
 * SETTINGS in their history). Idempotent, so a retried or duplicate run changes nothing more.
 */
export async function reevaluateTenantAlerts(db: TenantDb, tenantId: string): Promise<AlertChanges> {
  const total: AlertChanges = { created: 0, updated: 0, reopened: 0, resolved: 0 };
  let after = "00000000-0000-0000-0000-000000000000";
  for (;;) {
    const ids = await db.transaction(async (tx) => {
      const rows = await tx.$queryRaw<{ id: string }[]>`
        SELECT id FROM products WHERE id > ${after}::uuid ORDER BY id LIMIT ${CHUNK}`;
      if (rows.length === 0) return rows;
      const settings = await alertSettings(tx);
      const changes = await evaluateItemAlerts(
        tx,
        tenantId,
        rows.map((r) => r.id),
        "SETTINGS",
        { settings },
      );
      total.created += changes.created;
      total.updated += changes.updated;
      total.reopened += changes.reopened;
      total.resolved += changes.resolved;
      return rows;
    });
    if (ids.length < CHUNK) return total;
    after = ids[ids.length - 1]!.id;
  }
}
