import type pg from "pg";
import { withTenant } from "./with-tenant";

/** Rows deleted per transaction by deleteInBatches: short locks and little WAL per commit. */
export const DELETE_BATCH = 5_000;

/**
 * Runs `deleteBatch` (a DELETE of at most `$3` of the tenant's rows, `$1` the tenant id and `$2` a bound) in
 * its own transaction with the tenant set until a batch deletes fewer than a whole batch; returns the total.
 */
export async function deleteInBatches(
  pool: pg.Pool,
  tenantId: string,
  deleteBatch: string,
  bound: unknown,
  batch = DELETE_BATCH,
): Promise<number> {
  let total = 0;
  for (;;) {
    const deleted = await withTenant(
      pool,
      tenantId,
      async (c) => (await c.query(deleteBatch, [tenantId, bound, batch])).rowCount ?? 0,
    );
    total += deleted;
    if (deleted < batch) return total;
  }
}
