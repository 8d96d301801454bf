import type pg from "pg";
import {
  dropPartition,
  ensureMonthPartitions,
  type MonthPartition,
  monthPartitions,
} from "../../platform/db";

/** Months of webhook event partitions kept ready ahead of today, so an event never finds its month missing. */
const MONTHS_AHEAD = 3;

/** Creates webhook_events' monthly partitions from `from` to three months ahead of now; returns how many it made. */
export function ensureWebhookEventPartitions(owner: pg.Pool, from: Date = new Date()): Promise<number> {
  return ensureMonthPartitions(owner, "webhook_events", from, MONTHS_AHEAD);
}

/** webhook_events' monthly partitions, oldest first. */
export function webhookEventPartitions(owner: pg.Pool): Promise<MonthPartition[]> {
  return monthPartitions(owner, "webhook_events");
}

/**
 * Drops whole months of webhook events that ended before `before` (every tenant's cutoff) instead of deleting
 * their rows; a month whose lock is busy is left to the next round. Their keys are expired with each tenant's
 * retention. Returns the partitions dropped.
 */
export async function dropExpiredWebhookEventPartitions(owner: pg.Pool, before: Date): Promise<string[]> {
  const dropped: string[] = [];
  for (const partition of (await webhookEventPartitions(owner)).filter((p) => p.end <= before)) {
    if (await dropPartition(owner, "webhook_events", partition.name)) dropped.push(partition.name);
  }
  return dropped;
}
