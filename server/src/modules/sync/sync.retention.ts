import type pg from "pg";
import { deleteInBatches } from "../../platform/db";

/**
 * Deletes the tenant's job items written before `before`, of finished jobs only, in batches. The table is not
 * partitioned: its unique key (job, SKU, platform, field) is what makes a resumed job skip writes it made, and
 * a partitioned table's unique keys must hold the partition key, which would break that.
 */
export function expireJobItems(owner: pg.Pool, tenantId: string, before: Date): Promise<number> {
  return deleteInBatches(
    owner,
    tenantId,
    `DELETE FROM sync_job_items WHERE id IN (
       SELECT i.id FROM sync_job_items i JOIN sync_jobs j ON j.id = i.job_id
        WHERE i.tenant_id = $1 AND i.created_at < $2 AND j.status IN ('SUCCEEDED', 'FAILED', 'CANCELLED')
        LIMIT $3)`,
    before,
  );
}
