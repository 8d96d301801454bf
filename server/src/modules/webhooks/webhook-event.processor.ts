import type { NotificationChange } from "../../connectors";
import type { Prisma } from "../../generated/prisma/client";
import type { PlatformKind } from "../../generated/prisma/enums";
import type { Tx } from "../../platform/db";
import { evaluateItemAlerts } from "../alerts";
import { writeHistory } from "../history";
import {
  createSyncJob,
  enqueueJob,
  ensureJobQueued,
  planJob,
  publishJob,
  SyncInputError,
  type SyncRuntime,
  unwritable,
} from "../sync";
import { planChanges, type SkuState, sortChanges } from "./webhook-changes.rules";

/** What a stored event holds: the notification and the changes its connector read from it. */
export interface StoredPayload {
  body: unknown;
  changes: NotificationChange[];
  /** The urgent WEBHOOK job carrying decreases to the other platforms. */
  jobId?: string | null;
  /** The PARTIAL sync (trigger WEBHOOK) reading the other changed SKUs on every platform. */
  syncJobId?: string | null;
  /** SKUs read by a sync rather than taken from the notification. */
  deferredSkus?: string[];
}

interface EventRow {
  id: string;
  receivedAt: Date;
  status: string;
  platform: PlatformKind;
  connectionId: string | null;
  eventType: string;
  payload: StoredPayload;
}

interface LockedRow {
  sku: string;
  inventoryId: string;
  productId: string;
  inventoryQuantity: number;
  reserved: number;
  listingId: string;
  connectionId: string;
  platform: PlatformKind;
  quantity: number;
}

/** Our record of the SKUs and their listings, locked (FOR UPDATE returns the rows as they are once locked). */
async function loadStates(tx: Tx, skus: string[]): Promise<Map<string, SkuState>> {
  if (skus.length === 0) return new Map();
  const rows = await tx.$queryRaw<LockedRow[]>`
    SELECT s.sku, s.id AS "inventoryId", s.product_id AS "productId", s.quantity AS "inventoryQuantity",
           s.reserved_quantity AS reserved, l.id AS "listingId", l.connection_id AS "connectionId",
           l.platform::text AS platform, l.quantity
      FROM seller_inventory s JOIN product_listings l ON l.product_id = s.product_id
     WHERE s.sku = ANY(${skus}::text[]) ORDER BY s.sku, l.id FOR UPDATE`;
  const states = new Map<string, SkuState>();
  for (const r of rows) {
    let state = states.get(r.sku);
    if (!state) {
      state = {
        inventoryId: r.inventoryId,
        productId: r.productId,
        quantity: r.inventoryQuantity,
        reserved: r.reserved,
        listings: [],
      };
      states.set(r.sku, state);
    }
    state.listings.push({
      id: r.listingId,
      connectionId: r.connectionId,
      platform: r.platform,
      quantity: r.quantity,
    });
  }
  return states;
}

/**
 * Acts on stored webhook events, once each however often it is asked (right after storing, and again from the
 * queue if that did not finish): in one transaction that locks the event, a quantity decrease (a sale on the
 * source platform) lowers the listing and our record and plans an urgent WEBHOOK job for the other platforms;
 * other changes go to a PARTIAL sync of those SKUs. Both jobs are queued after the commit; a repeat finding
 * the event processed only makes sure its jobs are on the queue.
 */
export class WebhookEventProcessor {
  constructor(private readonly sync: SyncRuntime) {}

  async process(tenantId: string, eventRowId: string): Promise<void> {
    const db = this.sync.db(tenantId);
    const outcome = await db.transaction(async (tx) => {
      const [event] = await tx.$queryRaw<EventRow[]>`
        SELECT id, received_at AS "receivedAt", status::text, platform, connection_id AS "connectionId",
               event_type AS "eventType", payload
          FROM webhook_events
         WHERE id = ${eventRowId}::uuid
           -- The event's key says its month: only that partition is read.
           AND received_at = (SELECT received_at FROM webhook_event_keys WHERE event_row_id = ${eventRowId}::uuid)
           FOR UPDATE`;
      if (!event) return null;
      if (event.status === "RECEIVED") return { acted: await this.act(tx, tenantId, event) };
      return { done: [event.payload.jobId, event.payload.syncJobId] };
    });
    if (outcome?.acted) {
      const { jobId, syncJob } = outcome.acted;
      if (jobId) await enqueueJob(this.sync, tenantId, jobId);
      if (syncJob) {
        await publishJob(this.sync, syncJob);
        await enqueueJob(this.sync, tenantId, syncJob.id);
      }
    }
    // Processed before, by a process that may have stopped before queueing its jobs.
    for (const id of outcome?.done ?? []) if (id) await ensureJobQueued(this.sync, tenantId, id);
  }

  private async act(tx: Tx, tenantId: string, event: EventRow) {
    const changes = event.payload.changes ?? [];
    const connections = await tx.platformConnection.findMany({ where: { enabled: true } });
    const states = await loadStates(tx, [...sortChanges(changes).quantities.keys()]);
    const plan = planChanges({
      changes,
      states,
      sourceConnectionId: event.connectionId ?? "",
      sourcePlatform: event.platform,
      connections,
    });
    // A quantity the platform counts itself (FBA) is not ours to lower: it stays as last read, unplanned.
    const refused = await unwritable(tx, plan.items);
    if (refused.some(Boolean)) {
      const managed = new Set(
        plan.items.filter((_, i) => refused[i]).map((i) => `${i.productId}|${i.platform}`),
      );
      const keyOf = new Map<string, string>();
      for (const state of states.values()) {
        for (const l of state.listings) keyOf.set(l.id, `${state.productId}|${l.platform}`);
      }
      plan.items = plan.items.filter((_, i) => !refused[i]);
      plan.listings = plan.listings.filter((l) => l.confirmed || !managed.has(keyOf.get(l.id) ?? ""));
    }
    const now = new Date();
    for (const listing of plan.listings) {
      await tx.productListing.update({
        where: { id: listing.id },
        data: listing.confirmed
          ? { quantity: listing.quantity, lastConfirmedAt: now }
          : { quantity: listing.quantity },
      });
    }
    for (const item of plan.inventory) {
      await tx.sellerInventory.update({ where: { id: item.id }, data: { quantity: item.quantity } });
    }
    const job =
      plan.items.length > 0
        ? await planJob(tx, { trigger: "WEBHOOK", dryRun: false, items: plan.items })
        : null;
    await writeHistory(tx, plan.history, {
      jobId: job?.id ?? null,
      actor: { type: "WEBHOOK", id: event.platform },
      reason: `webhook ${event.eventType}`,
    });
    // In the same transaction as the sale: a sold-out bestseller is a critical alert the moment it commits.
    await evaluateItemAlerts(
      tx,
      tenantId,
      [...states.values()].map((s) => s.productId),
      "WEBHOOK",
      { jobId: job?.id ?? null },
    );
    let syncJob: Awaited<ReturnType<typeof createSyncJob>> | null = null;
    if (plan.deferred.length > 0) {
      try {
        syncJob = await createSyncJob(tx, { type: "PARTIAL", skus: plan.deferred, trigger: "WEBHOOK" });
      } catch (error) {
        // SKUs no sync can take stay flagged on the event (DEFERRED) for a later full or incremental sync.
        if (!(error instanceof SyncInputError)) throw error;
      }
    }
    const payload: StoredPayload = {
      ...event.payload,
      jobId: job?.id ?? null,
      syncJobId: syncJob?.id ?? null,
      ...(plan.deferred.length > 0 ? { deferredSkus: plan.deferred } : {}),
    };
    const deferred = plan.deferred.length > 0 && !syncJob;
    await tx.webhookEvent.update({
      where: { id_receivedAt: { id: event.id, receivedAt: new Date(event.receivedAt) } },
      data: {
        status: deferred ? "DEFERRED" : "PROCESSED",
        processedAt: deferred ? null : now,
        payload: payload as unknown as Prisma.InputJsonObject,
      },
    });
    return { jobId: job?.id ?? null, syncJob };
  }
}
