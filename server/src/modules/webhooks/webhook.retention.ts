import type pg from "pg";
import { deleteInBatches } from "../../platform/db";
import { dropExpiredWebhookEventPartitions, ensureWebhookEventPartitions } from "./webhook.partitions";

/**
 * Deletes the tenant's webhook events received before `before`, and their dedupe keys, in batches. Months past
 * every tenant's retention leave whole first (dropPartitions), so the event rows deleted here are only what a
 * tenant with a shorter retention than others no longer keeps; the keys (small rows, one table across the
 * months, so a redelivery in any month is recognised) are always deleted row by row, at the same cutoff.
 */
export async function expireWebhookEvents(owner: pg.Pool, tenantId: string, before: Date): Promise<number> {
  const events = await deleteInBatches(
    owner,
    tenantId,
    `DELETE FROM webhook_events WHERE (id, received_at) IN (
       SELECT id, received_at FROM webhook_events WHERE tenant_id = $1 AND received_at < $2 LIMIT $3)`,
    before,
  );
  await deleteInBatches(
    owner,
    tenantId,
    `DELETE FROM webhook_event_keys WHERE (tenant_id, platform, event_id) IN (
       SELECT tenant_id, platform, event_id FROM webhook_event_keys WHERE tenant_id = $1 AND received_at < $2 LIMIT $3)`,
    before,
  );
  return events;
}

/** Webhook events' share of the retention round: whole months dropped first, then each tenant's older rows. */
export const webhookEventsRetention = {
  table: "webhook_events",
  expire: expireWebhookEvents,
  dropPartitions: (owner: pg.Pool, _tenantIds: string[], before: Date) =>
    dropExpiredWebhookEventPartitions(owner, before),
  ensurePartitions: (owner: pg.Pool) => ensureWebhookEventPartitions(owner),
};
