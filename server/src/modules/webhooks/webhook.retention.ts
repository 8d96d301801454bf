import type pg from "pg";
import { deleteInBatches } from "../../platform/db";

/**
 * Deletes the tenant's webhook events received before `before`, in batches. The table is not partitioned: its
 * unique key (tenant, platform, event id) is how a redelivered notification is recognised, and a partitioned
 * table's unique keys must hold the partition key (the time received), which would let a redelivery in.
 */
export function expireWebhookEvents(owner: pg.Pool, tenantId: string, before: Date): Promise<number> {
  return deleteInBatches(
    owner,
    tenantId,
    `DELETE FROM webhook_events WHERE id IN (
       SELECT id FROM webhook_events WHERE tenant_id = $1 AND received_at < $2 LIMIT $3)`,
    before,
  );
}
