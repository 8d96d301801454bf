import { createHash } from "node:crypto";
import { connectorRegistry } from "../../connectors";
import type { Prisma, SyncJob } from "../../generated/prisma/client";
import type { ConflictStrategy, PlatformKind, SyncTrigger } from "../../generated/prisma/enums";
import type { TenantDb, Tx } from "../../platform/db";
import { QUEUE_SCHEMA, QUEUES } from "../../platform/queue";
import { ProgressPublisher } from "./progress";
import type { SyncRuntime } from "./sync.runtime";
import { type StartSyncInput, startSyncErrors } from "./sync-input";

export const RUNNING_STATUSES = ["PENDING", "FETCHING", "COMPARING", "APPLYING"] as const;
export const TERMINAL_STATUSES = ["SUCCEEDED", "FAILED", "CANCELLED"] as const;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Jobs with at most this many writes, all quantity decreases, take the fast lane. */
const URGENT_MAX_ITEMS = 100;
/** A webhook-triggered partial sync of at most this many SKUs takes the fast lane. */
const URGENT_MAX_SKUS = 20;

export class SyncInputError extends Error {
  override name = "SyncInputError";
  constructor(readonly userErrors: Array<{ field: string[]; code: string; message: string }>) {
    super(userErrors.map((e) => e.message).join("; "));
  }
}

export type PlannedField = "quantity" | "price" | "status";

export interface PlannedItem {
  productId: string;
  sku: string;
  platform: PlatformKind;
  field: PlannedField;
  fromValue: unknown;
  toValue: unknown;
  expectedQuantity?: number | null;
}

/** What a running job remembers across crashes (sync_jobs.checkpoint). */
export interface JobCheckpoint {
  /** FETCH until the plan is committed, then APPLY. */
  phase: "FETCH" | "APPLY";
  /** Written by planJob: the writes were decided by the caller. */
  planned?: boolean;
  /** Compare-and-set expectations of planned quantity writes, by "platform|sku". */
  expected?: Record<string, number>;
  /** Quantity writes compare-and-set against their from value (the value the job read). */
  casFrom?: boolean;
  /** Each claim of the job by a worker: a job resumed after a crash has more than one. */
  runs?: Array<{ worker: string; at: string; phase: string }>;
  /** Products in scope, for progress. */
  scope?: number;
}

export function isTerminal(status: string): boolean {
  return (TERMINAL_STATUSES as readonly string[]).includes(status);
}

/** Validates a start request against the tenant's connections: userErrors, empty when it may start. */
/** Unknown SKUs reported one by one, up to this many (the rest are summed up in the last error). */
const MAX_UNKNOWN_SKU_ERRORS = 20;

export async function validateStartSync(db: TenantDb, input: StartSyncInput) {
  const connections = await db.client.platformConnection.findMany({ select: { kind: true, enabled: true } });
  const errors = startSyncErrors(input, connections);
  if (errors.length > 0 || !input.skus?.length) return errors;
  // A sync of SKUs the seller does not have would succeed having done nothing: say so instead.
  const known = new Set(
    (
      await db.client.sellerInventory.findMany({ where: { sku: { in: input.skus } }, select: { sku: true } })
    ).map((row) => row.sku),
  );
  const unknown = input.skus.flatMap((sku, index) => (known.has(sku) ? [] : [{ sku, index }]));
  for (const { sku, index } of unknown.slice(0, MAX_UNKNOWN_SKU_ERRORS)) {
    errors.push({
      field: ["input", "skus", String(index)],
      code: "UNKNOWN_SKU",
      message: `No item has the SKU ${sku}`,
    });
  }
  if (unknown.length > MAX_UNKNOWN_SKU_ERRORS) {
    errors.push({
      field: ["input", "skus"],
      code: "UNKNOWN_SKU",
      message: `${unknown.length - MAX_UNKNOWN_SKU_ERRORS} more SKUs are not in the inventory`,
    });
  }
  return errors;
}

type SyncRequest = StartSyncInput & { trigger?: SyncTrigger; actorId?: string | null };

/**
 * Starts a sync: creates the job (PENDING) and puts it on the queue. A FULL sync while another FULL sync of the
 * tenant is still running returns that one (created: false) instead of starting a second.
 */
export async function startSync(
  runtime: SyncRuntime,
  db: TenantDb,
  input: SyncRequest,
): Promise<{ job: SyncJob; created: boolean }> {
  const errors = await validateStartSync(db, input);
  if (errors.length > 0) throw new SyncInputError(errors);
  const result = await db.transaction(async (tx) => {
    if (input.type === "FULL") {
      // Serialises concurrent starts of one tenant; released at commit.
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`sync-full:${db.tenantId}`}, 0))`;
      const running = await tx.syncJob.findFirst({
        where: { type: "FULL", status: { in: [...RUNNING_STATUSES] } },
        orderBy: { createdAt: "asc" },
      });
      if (running && (await isQueued(runtime, running.id))) return { job: running, created: false };
      if (running) {
        // No queue entry and no worker: nothing will ever finish it, so it must not block new syncs.
        await tx.syncJob.update({
          where: { id: running.id },
          data: { status: "FAILED", finishedAt: new Date(), error: "Abandoned: no worker was running it" },
        });
      }
    }
    return { job: await insertJob(tx, input), created: true };
  });
  if (result.created) {
    await publishJob(runtime, result.job);
    await enqueueJob(runtime, db.tenantId, result.job.id);
  }
  return result;
}

function insertJob(tx: Tx, input: SyncRequest): Promise<SyncJob> {
  const skus = input.skus ? [...new Set(input.skus)] : undefined;
  const filters: Prisma.InputJsonObject = skus ? { skus } : {};
  return tx.syncJob.create({
    data: {
      type: input.type,
      trigger: input.trigger ?? "MANUAL",
      dryRun: input.dryRun ?? false,
      platforms: input.platforms ?? [],
      filters,
      createdById: input.actorId && UUID.test(input.actorId) ? input.actorId : null,
    },
  });
}

/**
 * Creates a PARTIAL or INCREMENTAL job (PENDING) inside the caller's transaction, so it commits with the
 * caller's own writes; after the commit, publishJob and enqueueJob start it. Throws SyncInputError.
 */
export async function createSyncJob(tx: Tx, input: SyncRequest): Promise<SyncJob> {
  if (input.type === "FULL") throw new Error("A FULL sync starts through startSync");
  const connections = await tx.platformConnection.findMany({ select: { kind: true, enabled: true } });
  const errors = startSyncErrors(input, connections);
  if (errors.length > 0) throw new SyncInputError(errors);
  return insertJob(tx, input);
}

/**
 * Asks a job to stop. A job still waiting on the queue is cancelled at once; a running one stops within a
 * second, keeping what it applied. A finished job is returned unchanged.
 */
export async function cancelSync(runtime: SyncRuntime, db: TenantDb, jobId: string): Promise<SyncJob> {
  const now = new Date();
  const job = await db.transaction(async (tx) => {
    const waiting = await tx.syncJob.updateMany({
      where: { id: jobId, status: "PENDING" },
      data: {
        status: "CANCELLED",
        cancelRequestedAt: now,
        finishedAt: now,
        error: "Cancelled before it started",
      },
    });
    if (waiting.count > 0) {
      const { createdAt } = await tx.syncJob.findUniqueOrThrow({
        where: { id: jobId },
        select: { createdAt: true },
      });
      await tx.syncJobItem.updateMany({
        where: { jobId, jobCreatedAt: createdAt, status: "PENDING" },
        data: {
          status: "SKIPPED",
          errorCode: "CANCELLED",
          error: "The job was cancelled before it was sent",
        },
      });
    } else {
      await tx.syncJob.updateMany({
        where: { id: jobId, status: { in: ["FETCHING", "COMPARING", "APPLYING"] }, cancelRequestedAt: null },
        data: { cancelRequestedAt: now },
      });
    }
    return tx.syncJob.findUnique({ where: { id: jobId } });
  });
  if (!job) throw new SyncInputError([{ field: ["id"], code: "NOT_FOUND", message: "No such sync job" }]);
  await publishJob(runtime, job);
  return job;
}

/**
 * Creates a job whose writes are already decided (bulk updates, conflict resolutions) inside the caller's
 * transaction, so the job and its items commit with the caller's own changes. Call enqueueJob after commit.
 * A write the platform must not get (see `unwritable`) is recorded SKIPPED with its reason, never sent.
 */
export async function planJob(
  tx: Tx,
  input: { trigger: SyncTrigger; dryRun: boolean; items: PlannedItem[] },
): Promise<SyncJob> {
  const seen = new Set<string>();
  const expected: Record<string, number> = {};
  for (const [i, item] of input.items.entries()) {
    const where = `items[${i}] (${item.sku} ${item.platform} ${item.field})`;
    if (!["quantity", "price", "status"].includes(item.field)) throw new Error(`${where}: unknown field`);
    if (item.field === "quantity" && !(Number.isInteger(item.toValue) && (item.toValue as number) >= 0))
      throw new Error(`${where}: toValue must be a whole number of 0 or more`);
    if (
      item.field === "price" &&
      !(typeof item.toValue === "string" && /^\d{1,9}(\.\d{1,4})?$/.test(item.toValue))
    )
      throw new Error(`${where}: toValue must be a decimal string`);
    if (item.field === "status" && !["ACTIVE", "INACTIVE", "DELETED"].includes(String(item.toValue)))
      throw new Error(`${where}: toValue must be ACTIVE, INACTIVE or DELETED`);
    const key = `${item.sku}|${item.platform}|${item.field}`;
    if (seen.has(key)) throw new Error(`${where}: planned twice`);
    seen.add(key);
    if (item.field === "quantity" && item.expectedQuantity != null) {
      expected[`${item.platform}|${item.sku}`] = item.expectedQuantity;
    }
  }
  const refused = await unwritable(tx, input.items);
  const skus = [...new Set(input.items.map((i) => i.sku))];
  const platforms = [...new Set(input.items.map((i) => i.platform))];
  const checkpoint: JobCheckpoint = { phase: "APPLY", planned: true, expected, scope: skus.length };
  const job = await tx.syncJob.create({
    data: {
      type: "PARTIAL",
      trigger: input.trigger,
      dryRun: input.dryRun,
      platforms,
      filters: { skus, planned: true },
      totalItems: skus.length,
      checkpoint: checkpoint as unknown as Prisma.InputJsonObject,
    },
  });
  if (input.items.length > 0) {
    await tx.syncJobItem.createMany({
      data: input.items.map((item, i) => ({
        jobId: job.id,
        jobCreatedAt: job.createdAt,
        productId: item.productId,
        sku: item.sku,
        platform: item.platform,
        field: item.field,
        fromValue: (item.fromValue ?? null) as Prisma.InputJsonValue,
        toValue: item.toValue as Prisma.InputJsonValue,
        ...(refused[i]
          ? { status: "SKIPPED" as const, errorCode: refused[i]!.code, error: refused[i]!.message }
          : {}),
      })),
    });
  }
  return job;
}

export type UnwritableCode = "NOT_LISTED" | "PLATFORM_MANAGED";

/**
 * Why a planned write must not be sent, by item: the product has no listing on that platform (a write would
 * create one: Amazon makes a partial listing of an unknown SKU), or the platform sets that field itself
 * (an FBA quantity). Undefined where the write may go.
 */
export async function unwritable(
  tx: Tx,
  items: Array<Pick<PlannedItem, "productId" | "platform" | "field">>,
): Promise<Array<{ code: UnwritableCode; message: string } | undefined>> {
  if (items.length === 0) return [];
  const rows = await tx.$queryRaw<
    { productId: string; platform: string; fulfillmentChannel: string | null }[]
  >`
    SELECT l.product_id AS "productId", l.platform::text AS platform, s.fulfillment_channel::text AS "fulfillmentChannel"
      FROM product_listings l LEFT JOIN seller_inventory s ON s.product_id = l.product_id
     WHERE l.product_id = ANY(${[...new Set(items.map((i) => i.productId))]}::uuid[]) AND l.status <> 'DELETED'`;
  const listed = new Map(rows.map((r) => [`${r.productId}|${r.platform}`, r]));
  return items.map((item) => {
    const listing = listed.get(`${item.productId}|${item.platform}`);
    if (!listing)
      return {
        code: "NOT_LISTED",
        message: `The product is not listed on ${item.platform}: nothing is written there`,
      };
    const managed = connectorRegistry.rules(item.platform).managedFields(listing);
    if (managed.includes(item.field as PlannedField))
      return {
        code: "PLATFORM_MANAGED",
        message: `${item.platform} sets this listing's ${item.field} itself (fulfilment channel ${listing.fulfillmentChannel}); it cannot be written`,
      };
    return undefined;
  });
}

/** Whether a job is waiting on the queue or held by a worker (a queue entry that is created, retrying or active). */
export async function isQueued(runtime: SyncRuntime, jobId: string): Promise<boolean> {
  const { rows } = await runtime.queue.getDb().executeSql(
    `SELECT EXISTS (SELECT 1 FROM ${QUEUE_SCHEMA}.job WHERE name = ANY($1) AND state IN ('created', 'retry', 'active')
                    AND data->>'jobId' = $2) AS queued`,
    [[QUEUES.sync, QUEUES.urgent], jobId],
  );
  return rows[0]?.queued === true;
}

/** Puts a committed job on the queue unless it is there already (or finished): for callers recovering from a crash. */
export async function ensureJobQueued(runtime: SyncRuntime, tenantId: string, jobId: string): Promise<void> {
  if (!(await isQueued(runtime, jobId))) await enqueueJob(runtime, tenantId, jobId);
}

/** Puts a committed job on the queue; small jobs of quantity decreases and webhook syncs take the fast lane. */
export async function enqueueJob(runtime: SyncRuntime, tenantId: string, jobId: string): Promise<void> {
  const db = runtime.db(tenantId);
  const job = await db.client.syncJob.findUnique({ where: { id: jobId } });
  if (!job) throw new Error(`sync job ${jobId} not found`);
  if (isTerminal(job.status)) return;
  let urgent = false;
  const checkpoint = job.checkpoint as JobCheckpoint | null;
  if (checkpoint?.planned) {
    const items = await db.client.syncJobItem.findMany({
      where: { jobId, jobCreatedAt: job.createdAt },
      select: { field: true, fromValue: true, toValue: true },
      take: URGENT_MAX_ITEMS + 1,
    });
    urgent =
      items.length > 0 &&
      items.length <= URGENT_MAX_ITEMS &&
      items.every((i) => i.field === "quantity" && Number(i.toValue) < Number(i.fromValue));
  } else if (job.type === "PARTIAL" && job.trigger === "WEBHOOK") {
    const skus = (job.filters as { skus?: string[] } | null)?.skus ?? [];
    urgent = skus.length <= URGENT_MAX_SKUS;
  }
  await runtime.queue.send(
    urgent ? QUEUES.urgent : QUEUES.sync,
    { tenantId, jobId },
    { priority: urgent ? 10 : 0 },
  );
}

/** Publishes a job's state once (outside a running job, which has its own coalescing publisher). */
export async function publishJob(runtime: SyncRuntime, job: SyncJob): Promise<void> {
  const publisher = new ProgressPublisher((key, payload) => runtime.pubSub.publish(key, payload), {
    onError: (error) => runtime.log.warn("progress event not published", { error: String(error) }),
  });
  await publisher.finish(job);
}

/** Seconds into its interval at which a tenant's syncs fall, from its id, so tenants do not all sync at once. */
export function scheduleOffsetSeconds(tenantId: string, intervalMinutes: number): number {
  // A hash of the whole id: ids that share a prefix (time-ordered uuids, bulk-made tenants) still spread out.
  const spread = createHash("sha256").update(tenantId).digest().readUInt32BE(0);
  return spread % Math.max(1, intervalMinutes * 60);
}

/**
 * Reads the tenant's sync settings and creates, replaces or removes its row in the scheduler's table. An
 * unchanged interval keeps its next run; a new one starts at the tenant's offset within the interval.
 */
export async function rescheduleTenant(runtime: SyncRuntime, tenantId: string): Promise<void> {
  const settings = await runtime.db(tenantId).client.platformSyncSettings.findFirst();
  const db = runtime.queue.getDb();
  if (!settings?.autoSync || settings.syncIntervalMinutes <= 0) {
    await db.executeSql("DELETE FROM sync_schedules WHERE tenant_id = $1", [tenantId]);
    return;
  }
  const interval = settings.syncIntervalMinutes;
  await db.executeSql(
    `INSERT INTO sync_schedules (tenant_id, interval_minutes, next_run_at)
     VALUES ($1, $2, now() + make_interval(secs => $3))
     ON CONFLICT (tenant_id) DO UPDATE SET interval_minutes = EXCLUDED.interval_minutes,
       next_run_at = EXCLUDED.next_run_at
      WHERE sync_schedules.interval_minutes <> EXCLUDED.interval_minutes`,
    [tenantId, interval, scheduleOffsetSeconds(tenantId, interval)],
  );
}

/**
 * Claims up to `limit` tenants whose auto-sync is due and moves each one's next run on by whole intervals
 * (keeping its phase). SKIP LOCKED lets every worker claim at once without waiting or sharing a tenant, and
 * the index on next_run_at keeps the look-up as cheap for 10,000 tenants as for 10.
 */
export async function claimDueSyncs(runtime: SyncRuntime, limit: number): Promise<string[]> {
  const { rows } = await runtime.queue.getDb().executeSql(
    `WITH due AS (
       SELECT tenant_id FROM sync_schedules WHERE next_run_at <= now()
        ORDER BY next_run_at LIMIT $1 FOR UPDATE SKIP LOCKED
     )
     UPDATE sync_schedules s
        SET last_run_at = now(),
            next_run_at = s.next_run_at + make_interval(mins => s.interval_minutes)
                          * (floor(extract(epoch FROM now() - s.next_run_at) / (s.interval_minutes * 60)) + 1)
       FROM due WHERE s.tenant_id = due.tenant_id
     RETURNING s.tenant_id`,
    [limit],
  );
  return (rows as Array<{ tenant_id: string }>).map((r) => r.tenant_id);
}

export type { ConflictStrategy };
