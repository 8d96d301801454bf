import type pg from "pg";
import type {
  ListingPage,
  ListingUpdate,
  NormalizedListing,
  PlatformConnector,
  UpdateResult,
} from "../../connectors";
import type { PlatformConnection, Prisma, SyncJob } from "../../generated/prisma/client";
import type { ConflictStrategy } from "../../generated/prisma/enums";
import {
  type AlertDraft,
  conflictAlert,
  priceVarianceAlert,
  stockAlert,
  stockAlertKeys,
  syncErrorAlert,
} from "../alerts/rules";
import { ProgressPublisher } from "./progress";
import {
  type Decision,
  decideProduct,
  type FieldValue,
  fieldValue,
  type Observation,
  type SyncField,
  sameValue,
} from "./sync.compare";
import type { SyncRuntime } from "./sync.runtime";
import { isTerminal, type JobCheckpoint } from "./sync.service";
import {
  IN_FLIGHT,
  type ItemRow,
  itemCounts,
  markSent,
  pendingItems,
  tenantTx,
  upsertAlerts,
} from "./sync.store";

class Cancelled extends Error {
  override name = "Cancelled";
}

const READ_CHUNK = 500;
const PAGE_SIZE = 100;
/** Overlap of an incremental read with the previous sync, against clock skew between us and the platform. */
const INCREMENTAL_OVERLAP_MS = 5 * 60_000;
const COUNTER_FLUSH_MS = 250;

interface PlatformResult {
  read: number;
  unmatched: number;
  updated: number;
  failed: number;
  skipped: number;
  conflicts: number;
  readMs?: number;
  status?: string;
}

interface Settings {
  conflictStrategy: ConflictStrategy;
  lowStockThreshold: number;
  outOfStockThreshold: number;
  maxPriceVariancePct: number;
}

interface Fetched {
  listing: NormalizedListing;
  readAt: Date;
}

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    signal.addEventListener("abort", onAbort, { once: true });
  });

/** One run of one job in this process: its state, signal, counters and progress events. */
class JobRun {
  readonly db;
  readonly results: Record<string, PlatformResult> = {};
  private flushAt = 0;
  private flushing: Promise<void> = Promise.resolve();

  constructor(
    readonly rt: SyncRuntime,
    readonly tenantId: string,
    public job: SyncJob,
    readonly signal: AbortSignal,
    readonly progress: ProgressPublisher,
  ) {
    this.db = rt.db(tenantId);
    Object.assign(this.results, (job.platformResults ?? {}) as unknown as Record<string, PlatformResult>);
  }

  get checkpoint(): JobCheckpoint {
    return (this.job.checkpoint ?? { phase: "FETCH" }) as unknown as JobCheckpoint;
  }

  result(platform: string): PlatformResult {
    this.results[platform] ??= { read: 0, unmatched: 0, updated: 0, failed: 0, skipped: 0, conflicts: 0 };
    return this.results[platform]!;
  }

  tx<T>(fn: (c: pg.PoolClient) => Promise<T>) {
    return tenantTx(this.rt.pool, this.tenantId, fn);
  }

  async update(data: Prisma.SyncJobUpdateInput): Promise<SyncJob> {
    this.job = await this.db.client.syncJob.update({
      where: { id: this.job.id },
      data: { platformResults: this.results as unknown as Prisma.InputJsonObject, ...data },
    });
    this.progress.update(this.job);
    return this.job;
  }

  /** Recomputes the counters from the items (exact after a crash) and publishes them, at most every 250 ms. */
  refreshCounters(force = false): Promise<void> {
    const now = Date.now();
    if (!force && now < this.flushAt) return this.flushing;
    this.flushAt = now + COUNTER_FLUSH_MS;
    this.flushing = this.flushing.then(async () => {
      const counts = await this.tx((c) => itemCounts(c, this.job.id));
      const dryRun = this.job.dryRun;
      for (const [platform, byStatus] of Object.entries(counts.byPlatform)) {
        const r = this.result(platform);
        r.updated = dryRun ? (byStatus.SKIPPED ?? 0) : (byStatus.APPLIED ?? 0);
        r.failed = byStatus.FAILED ?? 0;
        r.skipped = byStatus.SKIPPED ?? 0;
      }
      const total = this.job.totalItems;
      await this.update({
        updatedItems: dryRun ? (counts.byStatus.SKIPPED ?? 0) : (counts.byStatus.APPLIED ?? 0),
        failedItems: counts.byStatus.FAILED ?? 0,
        processedItems: Math.max(this.job.processedItems, Math.max(0, total - counts.pendingProducts)),
      });
    });
    return this.flushing;
  }

  throwIfStopped() {
    if (this.signal.aborted) throw this.signal.reason ?? new Cancelled("stopped");
  }
}

/**
 * Runs one sync job to a terminal state, or until this worker loses its lock (`lost`): then it stops where it
 * is and another worker resumes from the checkpoint. Jobs started by startSync fetch, compare and plan first
 * (the plan commits in one transaction, as the checkpoint); planned jobs start at applying.
 */
export async function runJob(
  rt: SyncRuntime,
  tenantId: string,
  jobId: string,
  options: { lost: AbortSignal },
): Promise<void> {
  const db = rt.db(tenantId);
  const found = await db.client.syncJob.findUnique({ where: { id: jobId } });
  if (!found || isTerminal(found.status)) return;
  const cancel = new AbortController();
  const signal = AbortSignal.any([cancel.signal, options.lost]);
  const progress = new ProgressPublisher((key, payload) => rt.pubSub.publish(key, payload), {
    intervalMs: rt.options.progressIntervalMs,
    onError: (error) => rt.log.warn("progress event not published", { jobId, error: String(error) }),
  });
  const run = new JobRun(rt, tenantId, found, signal, progress);
  const checkpoint: JobCheckpoint = { ...run.checkpoint };
  checkpoint.phase ??= "FETCH";
  checkpoint.runs = [
    ...(checkpoint.runs ?? []),
    { worker: rt.workerId, at: new Date().toISOString(), phase: checkpoint.phase },
  ];
  await run.update({
    checkpoint: checkpoint as unknown as Prisma.InputJsonObject,
    startedAt: found.startedAt ?? new Date(),
    status: checkpoint.phase === "APPLY" ? "APPLYING" : "FETCHING",
  });
  rt.log.info("sync job started", { jobId, type: found.type, runs: checkpoint.runs.length });

  let watching = true;
  const watch = (async () => {
    while (watching && !signal.aborted) {
      try {
        const state = await db.client.syncJob.findUnique({
          where: { id: jobId },
          select: { cancelRequestedAt: true, status: true },
        });
        if (state?.cancelRequestedAt || (state && isTerminal(state.status))) {
          cancel.abort(new Cancelled("cancel requested"));
          return;
        }
      } catch {
        // A missed poll is retried on the next tick.
      }
      await new Promise((r) => setTimeout(r, rt.options.cancelPollMs));
    }
  })();

  try {
    if (found.cancelRequestedAt) throw new Cancelled("cancel requested");
    if (run.checkpoint.phase !== "APPLY") await fetchCompareAndPlan(run);
    await applyPlan(run);
    await finalize(run, "SUCCEEDED");
  } catch (error) {
    if (options.lost.aborted) {
      rt.log.warn("sync job stopped: this worker lost its lock", { jobId });
    } else if (cancel.signal.aborted) {
      await finalize(run, "CANCELLED");
    } else {
      rt.log.error("sync job failed", { jobId, error: String((error as Error)?.stack ?? error) });
      await finalize(run, "FAILED", (error as Error)?.message ?? String(error)).catch((e) =>
        rt.log.error("could not record the failure", { jobId, error: String(e) }),
      );
    }
  } finally {
    watching = false;
    await watch;
    await progress.drained();
  }
}

async function loadSettings(run: JobRun): Promise<Settings> {
  const s = await run.db.client.platformSyncSettings.findFirst();
  return {
    conflictStrategy: s?.conflictStrategy ?? "SOURCE_WINS",
    lowStockThreshold: s?.lowStockThreshold ?? 10,
    outOfStockThreshold: s?.outOfStockThreshold ?? 0,
    maxPriceVariancePct: s ? Number(s.maxPriceVariancePct) : 5,
  };
}

async function jobConnections(run: JobRun): Promise<PlatformConnection[]> {
  const all = await run.db.client.platformConnection.findMany({
    orderBy: [{ priority: "asc" }, { kind: "asc" }],
  });
  const wanted = run.job.platforms;
  return all.filter((c) => c.enabled && (wanted.length === 0 || wanted.includes(c.kind)));
}

/** Retries a platform read on retryable errors (throttling, outages) a few times before giving up. */
async function withRetries<T>(run: JobRun, what: string, fn: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    run.throwIfStopped();
    try {
      return await fn();
    } catch (error) {
      if (run.signal.aborted) throw run.signal.reason;
      const retryable = (error as { retryable?: boolean }).retryable !== false;
      if (!retryable || attempt >= 4) throw new Error(`${what}: ${(error as Error).message}`);
      await sleep(500 * 2 ** (attempt - 1), run.signal);
    }
  }
}

async function readAll(
  run: JobRun,
  kind: string,
  connector: PlatformConnector,
  into: Map<string, Fetched>,
  options: { since?: Date },
): Promise<void> {
  let cursor: string | null = null;
  do {
    const at: string | null = cursor;
    const readAt = new Date();
    const page: ListingPage = await withRetries(run, `reading ${kind}`, () =>
      connector.readPage(at, { limit: PAGE_SIZE, since: options.since, signal: run.signal }),
    );
    for (const listing of page.listings) into.set(listing.sku, { listing, readAt });
    run.result(kind).read = into.size;
    cursor = page.nextCursor;
    void run.refreshCounters().catch(() => {});
  } while (cursor);
}

async function readSkus(
  run: JobRun,
  kind: string,
  connector: PlatformConnector,
  skus: string[],
  into: Map<string, Fetched>,
): Promise<void> {
  for (let i = 0; i < skus.length; i += READ_CHUNK) {
    const chunk = skus.slice(i, i + READ_CHUNK);
    const readAt = new Date();
    const listings = await withRetries(run, `reading ${kind}`, () =>
      connector.readBySkus(chunk, { signal: run.signal }),
    );
    for (const listing of listings) into.set(listing.sku, { listing, readAt });
    run.result(kind).read = into.size;
  }
}

async function fetchCompareAndPlan(run: JobRun): Promise<void> {
  const { rt, job } = run;
  const settings = await loadSettings(run);
  const connections = await jobConnections(run);
  if (connections.length === 0) throw new Error("No enabled platform connection takes part in this sync");
  const filters = (job.filters ?? {}) as { skus?: string[] };
  const skus = filters.skus ?? [];

  // FETCHING: every platform at once; each connector paces itself to its platform's rate limits.
  let since: Date | undefined;
  if (job.type === "INCREMENTAL") {
    const previous = await run.db.client.syncJob.findFirst({
      where: {
        status: "SUCCEEDED",
        dryRun: false,
        type: { in: ["FULL", "INCREMENTAL"] },
        id: { not: job.id },
      },
      orderBy: { startedAt: "desc" },
    });
    if (previous?.startedAt) since = new Date(previous.startedAt.getTime() - INCREMENTAL_OVERLAP_MS);
  }
  const fetched = new Map<string, Map<string, Fetched>>();
  const connectors = new Map<string, PlatformConnector>();
  await Promise.all(
    connections.map(async (c) => {
      const connector = rt.connections.connectorFor(c);
      connectors.set(c.kind, connector);
      const into = new Map<string, Fetched>();
      fetched.set(c.kind, into);
      const started = Date.now();
      if (job.type === "PARTIAL") await readSkus(run, c.kind, connector, skus, into);
      else if (job.type === "INCREMENTAL" && since) {
        await readAll(run, c.kind, connector, into, { since });
        const flagged = skus.filter((s) => !into.has(s));
        if (flagged.length > 0) await readSkus(run, c.kind, connector, flagged, into);
      } else await readAll(run, c.kind, connector, into, {});
      run.result(c.kind).readMs = Date.now() - started;
    }),
  );
  if (job.type === "INCREMENTAL" && since) {
    // A change seen on one platform is compared with every other platform's current value.
    const changed = new Set<string>();
    for (const m of fetched.values()) for (const sku of m.keys()) changed.add(sku);
    await Promise.all(
      connections.map(async (c) => {
        const into = fetched.get(c.kind)!;
        const missing = [...changed].filter((s) => !into.has(s));
        if (missing.length > 0) await readSkus(run, c.kind, connectors.get(c.kind)!, missing, into);
      }),
    );
  }
  run.throwIfStopped();

  // COMPARING
  await run.update({ status: "COMPARING" });
  const scopeSkus = new Set<string>();
  for (const m of fetched.values()) for (const sku of m.keys()) scopeSkus.add(sku);
  const fullScope = job.type === "FULL" || (job.type === "INCREMENTAL" && !since);
  const state = await run.tx(async (c) => {
    const skuFilter = fullScope ? "" : "WHERE p.sku = ANY($1::text[])";
    const params = fullScope ? [] : [[...scopeSkus]];
    const products = await c.query<{ id: string; sku: string; title: string }>(
      `SELECT p.id, p.sku, p.title FROM products p ${skuFilter}`,
      params,
    );
    // Listings by external id too: a platform SKU that differs from ours still finds its product.
    const listings = await c.query<{
      id: string;
      product_id: string;
      connection_id: string;
      platform: string;
      sku: string;
      external_id: string | null;
      external_variant_id: string | null;
      quantity: number;
      price: string | null;
      status: string;
    }>(
      `SELECT l.id, l.product_id, l.connection_id, l.platform::text, l.sku, l.external_id, l.external_variant_id,
              l.quantity, l.price::text, l.status::text
         FROM product_listings l WHERE l.connection_id = ANY($1::uuid[])`,
      [connections.map((x) => x.id)],
    );
    const inventory = await c.query<{
      product_id: string;
      sku: string;
      asin: string | null;
      reserved_quantity: number;
      is_bestseller: boolean;
    }>(`SELECT product_id, sku, asin, reserved_quantity, is_bestseller FROM seller_inventory`);
    const conflicts = await c.query<{
      id: string;
      product_id: string;
      field: string;
      status: string;
      values: Record<string, FieldValue>;
    }>(
      `SELECT id, product_id, field, status::text, values FROM sync_conflicts WHERE status IN ('OPEN', 'IGNORED')
        ORDER BY created_at`,
    );
    return {
      products: products.rows,
      listings: listings.rows,
      inventory: inventory.rows,
      conflicts: conflicts.rows,
    };
  });
  run.throwIfStopped();

  const productBySku = new Map(state.products.map((p) => [p.sku, p]));
  const productById = new Map(state.products.map((p) => [p.id, p]));
  const listingOf = new Map<string, (typeof state.listings)[number]>();
  const byExternal = new Map<string, string>();
  for (const l of state.listings) {
    listingOf.set(`${l.connection_id}|${l.product_id}`, l);
    if (l.external_id) byExternal.set(`${l.platform}|id|${l.external_id}`, l.product_id);
    if (l.external_variant_id) byExternal.set(`${l.platform}|variant|${l.external_variant_id}`, l.product_id);
  }
  const inventoryByProduct = new Map(state.inventory.map((i) => [i.product_id, i]));
  for (const i of state.inventory) if (i.asin) byExternal.set(`AMAZON|id|${i.asin}`, i.product_id);
  const openConflict = new Map<string, string>();
  const ignoredConflict = new Map<string, Partial<Record<SyncField, Record<string, FieldValue>>>>();
  for (const k of state.conflicts) {
    if (k.status === "OPEN") openConflict.set(`${k.product_id}|${k.field}`, k.id);
    else {
      const entry = ignoredConflict.get(k.product_id) ?? {};
      entry[k.field as SyncField] = k.values;
      ignoredConflict.set(k.product_id, entry);
    }
  }

  const observations = new Map<string, Observation[]>();
  const confirmations: Array<{
    connection: PlatformConnection;
    productId: string;
    fetched: Fetched;
    listingId?: string;
  }> = [];
  for (const c of connections) {
    const writable = new Set(connectors.get(c.kind)!.capabilities().writableFields);
    for (const [sku, f] of fetched.get(c.kind)!) {
      const ids = f.listing.externalIds;
      const productId =
        productBySku.get(sku)?.id ??
        (ids.asin ? byExternal.get(`${c.kind}|id|${ids.asin}`) : undefined) ??
        (ids.variantId ? byExternal.get(`${c.kind}|variant|${ids.variantId}`) : undefined) ??
        (ids.productId ? byExternal.get(`${c.kind}|id|${ids.productId}`) : undefined);
      if (!productId || !productById.has(productId)) {
        run.result(c.kind).unmatched++;
        continue;
      }
      const row = listingOf.get(`${c.id}|${productId}`);
      const fixed: SyncField[] = (["quantity", "price", "status"] as SyncField[]).filter(
        (x) => !writable.has(x),
      );
      if (f.listing.fulfillmentChannel === "FBA") fixed.push("quantity");
      const list = observations.get(productId) ?? [];
      list.push({
        platform: c.kind,
        sku,
        priority: c.priority,
        quantity: f.listing.quantity,
        price: f.listing.price,
        status: f.listing.status,
        fixed,
        base: row ? { quantity: row.quantity, price: row.price, status: row.status } : null,
      });
      observations.set(productId, list);
      confirmations.push({ connection: c, productId, fetched: f, listingId: row?.id });
    }
  }

  const items: Array<{
    productId: string;
    sku: string;
    platform: string;
    field: SyncField;
    from: FieldValue;
    to: FieldValue;
  }> = [];
  const conflictRows: Array<{ productId: string; sku: string; decision: Decision; existingId?: string }> = [];
  const resolveOpen: string[] = [];
  const alertDrafts: AlertDraft[] = [];
  const resolveAlertKeys: string[] = [];
  for (const [productId, obs] of observations) {
    const product = productById.get(productId)!;
    const { decisions, agreed } = decideProduct(
      obs,
      settings.conflictStrategy,
      ignoredConflict.get(productId),
    );
    for (const field of agreed) {
      const open = openConflict.get(`${productId}|${field}`);
      if (open) resolveOpen.push(open);
      resolveAlertKeys.push(`SYNC_CONFLICT:${product.sku}:${field}`);
      if (field === "price") resolveAlertKeys.push(`PRICE_VARIANCE:${product.sku}`);
    }
    for (const d of decisions) {
      for (const w of d.writes)
        items.push({ productId, sku: w.sku, platform: w.platform, field: d.field, from: w.from, to: w.to });
      if (d.kind !== "CONFLICT") {
        const open = openConflict.get(`${productId}|${d.field}`);
        if (open) resolveOpen.push(open);
        continue;
      }
      conflictRows.push({
        productId,
        sku: product.sku,
        decision: d,
        existingId: openConflict.get(`${productId}|${d.field}`),
      });
      for (const p of Object.keys(d.values)) run.result(p).conflicts++;
      if (d.resolution) {
        resolveAlertKeys.push(`SYNC_CONFLICT:${product.sku}:${d.field}`);
        if (d.field === "price") resolveAlertKeys.push(`PRICE_VARIANCE:${product.sku}`);
      } else {
        alertDrafts.push(
          conflictAlert({
            sku: product.sku,
            field: d.field,
            values: d.values,
            strategy: settings.conflictStrategy,
            productId,
            jobId: job.id,
          }),
        );
        if (d.field === "price") {
          const variance = priceVarianceAlert(
            { sku: product.sku, values: d.values, productId, jobId: job.id },
            settings.maxPriceVariancePct,
          );
          if (variance) alertDrafts.push(variance);
        }
      }
    }
  }
  run.throwIfStopped();

  // The plan commits as one transaction: from here on a crash resumes at APPLYING with these items.
  const dryRun = job.dryRun;
  const productsWithWrites = new Set(items.map((i) => i.productId)).size;
  const total = observations.size;
  const strategy = settings.conflictStrategy;
  const checkpoint: JobCheckpoint = { ...run.checkpoint, phase: "APPLY", casFrom: true, scope: total };
  await run.tx(async (c) => {
    if (items.length > 0) {
      await c.query(
        `INSERT INTO sync_job_items (job_id, product_id, sku, platform, field, from_value, to_value, status, updated_at)
         SELECT $1, v.product_id, v.sku, v.platform::"PlatformKind", v.field, v.from_value::jsonb, v.to_value::jsonb,
                $8::"SyncItemStatus", now()
           FROM unnest($2::uuid[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[])
                AS v(product_id, sku, platform, field, from_value, to_value)
         ON CONFLICT (job_id, sku, platform, field) DO NOTHING`,
        [
          job.id,
          items.map((i) => i.productId),
          items.map((i) => i.sku),
          items.map((i) => i.platform),
          items.map((i) => i.field),
          items.map((i) => JSON.stringify(i.from)),
          items.map((i) => JSON.stringify(i.to)),
          dryRun ? "SKIPPED" : "PENDING",
        ],
      );
    }
    if (dryRun) return;
    await writeConflicts(c, job.id, strategy, conflictRows, resolveOpen);
    await confirmListings(c, confirmations, inventoryByProduct);
    await upsertAlerts(c, run.tenantId, alertDrafts, resolveAlertKeys);
  });
  await run.update({
    status: "APPLYING",
    totalItems: total,
    processedItems: dryRun ? total : total - productsWithWrites,
    conflictCount: conflictRows.length,
    updatedItems: dryRun ? items.length : 0,
    checkpoint: checkpoint as unknown as Prisma.InputJsonObject,
  });
}

async function writeConflicts(
  c: pg.ClientBase,
  jobId: string,
  strategy: ConflictStrategy,
  rows: Array<{ productId: string; sku: string; decision: Decision; existingId?: string }>,
  resolveOpen: string[],
): Promise<void> {
  const resolution = (d: Decision) =>
    d.resolution
      ? JSON.stringify({
          strategy,
          mode: "AUTOMATIC",
          kind: d.resolution.mode,
          winner: d.resolution.winner,
          appliedTo: d.writes.map((w) => w.platform),
          reason: d.resolution.reason,
        })
      : null;
  if (rows.length > 0) {
    // An open conflict on the same product and field is the same disagreement: it is updated, not repeated.
    await c.query(
      `INSERT INTO sync_conflicts (id, product_id, job_id, sku, type, field, values, strategy, status, resolved_value,
                                   resolution, resolved_at, resolved_by, updated_at)
       SELECT coalesce(v.existing_id, gen_random_uuid()), v.product_id, $1, v.sku, v.type::"ConflictType", v.field,
              v.values::jsonb, $2::"ConflictStrategy", v.status::"ConflictStatus", v.resolved_value::jsonb,
              v.resolution::jsonb, CASE WHEN v.status = 'RESOLVED' THEN now() END,
              CASE WHEN v.status = 'RESOLVED' THEN 'system' END, now()
         FROM unnest($3::uuid[], $4::uuid[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[], $11::text[])
              AS v(existing_id, product_id, sku, type, field, values, status, resolved_value, resolution)
       ON CONFLICT (id) DO UPDATE SET job_id = EXCLUDED.job_id, values = EXCLUDED.values, strategy = EXCLUDED.strategy,
              status = EXCLUDED.status, resolved_value = EXCLUDED.resolved_value, resolution = EXCLUDED.resolution,
              resolved_at = EXCLUDED.resolved_at, resolved_by = EXCLUDED.resolved_by, updated_at = now()`,
      [
        jobId,
        strategy,
        rows.map((r) => r.existingId ?? null),
        rows.map((r) => r.productId),
        rows.map((r) => r.sku),
        rows.map((r) => r.decision.type),
        rows.map((r) => r.decision.field),
        rows.map((r) => JSON.stringify(r.decision.values)),
        rows.map((r) => (r.decision.resolution ? "RESOLVED" : "OPEN")),
        rows.map((r) => (r.decision.resolution ? JSON.stringify(r.decision.resolution.value) : null)),
        rows.map((r) => resolution(r.decision)),
      ],
    );
  }
  if (resolveOpen.length > 0) {
    await c.query(
      `UPDATE sync_conflicts SET status = 'RESOLVED', resolved_at = now(), resolved_by = 'system', updated_at = now(),
              resolution = jsonb_build_object('mode', 'AUTOMATIC', 'kind', 'OBSERVED', 'jobId', $2::text,
                                              'reason', 'The platforms agree again')
        WHERE id = ANY($1::uuid[]) AND status = 'OPEN'`,
      [resolveOpen, jobId],
    );
  }
}

/** Records what each platform confirmed on this read, unless a newer confirmation is already recorded. */
async function confirmListings(
  c: pg.ClientBase,
  confirmations: Array<{
    connection: PlatformConnection;
    productId: string;
    fetched: Fetched;
    listingId?: string;
  }>,
  inventoryByProduct: Map<string, { reserved_quantity: number }>,
): Promise<void> {
  const known = confirmations.filter((x) => x.listingId);
  if (known.length > 0) {
    await c.query(
      `UPDATE product_listings l SET quantity = coalesce(v.quantity, l.quantity), price = coalesce(v.price::numeric, l.price),
              status = v.status::"ListingStatus", last_confirmed_at = v.read_at, last_synced_at = v.read_at, updated_at = now()
         FROM unnest($1::uuid[], $2::int[], $3::text[], $4::text[], $5::timestamptz[]) AS v(id, quantity, price, status, read_at)
        WHERE l.id = v.id AND (l.last_confirmed_at IS NULL OR l.last_confirmed_at <= v.read_at)`,
      [
        known.map((x) => x.listingId),
        known.map((x) => x.fetched.listing.quantity),
        known.map((x) => x.fetched.listing.price),
        known.map((x) => x.fetched.listing.status),
        known.map((x) => x.fetched.readAt),
      ],
    );
  }
  const fresh = confirmations.filter((x) => !x.listingId);
  if (fresh.length > 0) {
    await c.query(
      `INSERT INTO product_listings (product_id, connection_id, platform, sku, external_id, external_variant_id,
                                     external_inventory_item_id, quantity, price, status, last_confirmed_at, last_synced_at, updated_at)
       SELECT v.product_id, v.connection_id, v.platform::"PlatformKind", v.sku, v.external_id, v.variant_id, v.item_id,
              coalesce(v.quantity, 0), v.price::numeric, v.status::"ListingStatus", v.read_at, v.read_at, now()
         FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::int[], $9::text[],
                     $10::text[], $11::timestamptz[])
              AS v(product_id, connection_id, platform, sku, external_id, variant_id, item_id, quantity, price, status, read_at)
       ON CONFLICT (connection_id, product_id) DO NOTHING`,
      [
        fresh.map((x) => x.productId),
        fresh.map((x) => x.connection.id),
        fresh.map((x) => x.connection.kind),
        fresh.map((x) => x.fetched.listing.sku),
        fresh.map(
          (x) => x.fetched.listing.externalIds.asin ?? x.fetched.listing.externalIds.productId ?? null,
        ),
        fresh.map((x) => x.fetched.listing.externalIds.variantId ?? null),
        fresh.map((x) => x.fetched.listing.externalIds.inventoryItemId ?? null),
        fresh.map((x) => x.fetched.listing.quantity),
        fresh.map((x) => x.fetched.listing.price),
        fresh.map((x) => x.fetched.listing.status),
        fresh.map((x) => x.fetched.readAt),
      ],
    );
  }
  const amazon = confirmations.filter(
    (x) => x.connection.kind === "AMAZON" && inventoryByProduct.has(x.productId),
  );
  if (amazon.length > 0) {
    // Amazon's quantity here includes reserved units; what the listing offers is quantity minus reserved.
    await c.query(
      `UPDATE seller_inventory s SET
              reserved_quantity = coalesce(v.reserved, s.reserved_quantity),
              quantity = coalesce(v.available + coalesce(v.reserved, s.reserved_quantity), s.quantity),
              price = coalesce(v.price::numeric, s.price), status = v.status::"ListingStatus",
              last_seen_at = v.read_at, updated_at = now()
         FROM unnest($1::uuid[], $2::int[], $3::int[], $4::text[], $5::text[], $6::timestamptz[])
              AS v(product_id, available, reserved, price, status, read_at)
        WHERE s.product_id = v.product_id AND (s.last_seen_at IS NULL OR s.last_seen_at <= v.read_at)`,
      [
        amazon.map((x) => x.productId),
        amazon.map((x) => x.fetched.listing.quantity),
        amazon.map((x) => x.fetched.listing.quantityDetail?.reserved ?? null),
        amazon.map((x) => x.fetched.listing.price),
        amazon.map((x) => x.fetched.listing.status),
        amazon.map((x) => x.fetched.readAt),
      ],
    );
  }
}

interface Unit {
  sku: string;
  items: ItemRow[];
}

function toUpdate(unit: Unit, expected: (item: ItemRow) => number | undefined): ListingUpdate {
  const update: ListingUpdate = { sku: unit.sku, ref: unit.items[0]!.id };
  for (const item of unit.items) {
    if (item.field === "quantity") {
      update.quantity = Number(item.to_value);
      const e = expected(item);
      if (e !== undefined) update.expectedQuantity = e;
    } else if (item.field === "price") update.price = String(item.to_value);
    else update.status = item.to_value as ListingUpdate["status"];
  }
  return update;
}

const isDecrease = (i: ItemRow) =>
  i.field === "quantity" && typeof i.from_value === "number" && Number(i.to_value) < i.from_value;

/**
 * APPLYING: quantity decreases first on every platform at once (a sale must reach every channel before
 * anything else uses the rate budget), then everything else. Each batch goes through the connector's bulk
 * path; quantity writes are compare-and-set against the value read.
 */
async function applyPlan(run: JobRun): Promise<void> {
  const { job } = run;
  const items = await run.tx((c) => pendingItems(c, job.id));
  if (items.length === 0) return;
  if (job.dryRun) {
    await run.tx((c) =>
      c.query(
        `UPDATE sync_job_items SET status = 'SKIPPED', updated_at = now() WHERE job_id = $1 AND status = 'PENDING'`,
        [job.id],
      ),
    );
    await run.refreshCounters(true);
    return;
  }
  if (job.status !== "APPLYING") await run.update({ status: "APPLYING" });
  const connections = new Map(
    (await run.db.client.platformConnection.findMany()).map((c) => [c.kind as string, c]),
  );
  const checkpoint = run.checkpoint;
  const expected = (item: ItemRow): number | undefined => {
    const planned = checkpoint.expected?.[`${item.platform}|${item.sku}`];
    if (planned !== undefined) return planned;
    return checkpoint.casFrom && typeof item.from_value === "number" ? item.from_value : undefined;
  };
  const byPlatform = new Map<string, ItemRow[]>();
  for (const item of items) byPlatform.set(item.platform, [...(byPlatform.get(item.platform) ?? []), item]);
  const lanes = [(i: ItemRow) => isDecrease(i), (i: ItemRow) => !isDecrease(i)];
  for (const inLane of lanes) {
    await Promise.all(
      [...byPlatform].map(async ([platform, list]) => {
        const laneItems = list.filter(inLane);
        if (laneItems.length === 0) return;
        const connection = connections.get(platform);
        if (!connection?.enabled) {
          await failItems(run, laneItems, "UNAVAILABLE", `The ${platform} connection is disabled or gone`);
          return;
        }
        await applyLane(run, connection, laneItems, expected);
      }),
    );
  }
  await run.refreshCounters(true);
}

async function applyLane(
  run: JobRun,
  connection: PlatformConnection,
  items: ItemRow[],
  expected: (item: ItemRow) => number | undefined,
): Promise<void> {
  const { rt } = run;
  const connector = rt.connections.connectorFor(connection);
  const asynchronous = connector.capabilities().asynchronousWrites;
  let pending = items;
  let lastError = new Map<string, { code: string; message: string }>();
  for (let pass = 0; pass < rt.options.retryPasses && pending.length > 0; pass++) {
    if (pass > 0) await sleep(1000 * 2 ** (pass - 1), run.signal);
    run.throwIfStopped();
    // Writes sent before a crash or timeout may have landed: read them back before sending again.
    const inDoubt = pending.filter((i) => i.error_code === IN_FLIGHT);
    if (inDoubt.length > 0) {
      const stillToWrite = await settleInDoubt(run, connection, connector, inDoubt, asynchronous);
      const again = new Set(stillToWrite.map((i) => i.id));
      pending = pending.filter((i) => i.error_code !== IN_FLIGHT || again.has(i.id));
    }
    const units = new Map<string, Unit>();
    for (const item of pending) {
      const unit = units.get(item.sku) ?? { sku: item.sku, items: [] };
      unit.items.push(item);
      units.set(item.sku, unit);
    }
    const all = [...units.values()];
    const retry: ItemRow[] = [];
    for (let start = 0; start < all.length; start += rt.options.batchSize) {
      run.throwIfStopped();
      const batch = all.slice(start, start + rt.options.batchSize);
      const batchItems = batch.flatMap((u) => u.items);
      await run.tx((c) =>
        markSent(
          c,
          batchItems.map((i) => i.id),
        ),
      );
      for (const i of batchItems) i.error_code = IN_FLIGHT;
      const updates = batch.map((u) => toUpdate(u, expected));
      const results = await connector.applyUpdates(updates, { signal: run.signal });
      run.throwIfStopped();
      const outcome = await recordResults(run, connection, batch, results);
      retry.push(...outcome.retry);
      lastError = new Map([...lastError, ...outcome.errors]);
      await run.refreshCounters();
    }
    pending = retry;
  }
  if (pending.length > 0) {
    for (const item of pending) {
      const e = lastError.get(item.id);
      await failItems(run, [item], e?.code ?? "PLATFORM_ERROR", e?.message ?? "Still failing after retries");
    }
  }
}

async function failItems(run: JobRun, items: ItemRow[], code: string, message: string): Promise<void> {
  await run.tx((c) =>
    c.query(
      `UPDATE sync_job_items SET status = 'FAILED', error = $2, error_code = $3, updated_at = now()
        WHERE id = ANY($1::uuid[]) AND status = 'PENDING'`,
      [items.map((i) => i.id), message, code],
    ),
  );
}

/**
 * Reads back writes whose outcome is unknown: those that show the new value are applied (no second write),
 * those that still show the old value are written again (after waiting out a platform's processing delay),
 * and any other value means the platform changed meanwhile: a conflict, never an overwrite.
 */
async function settleInDoubt(
  run: JobRun,
  connection: PlatformConnection,
  connector: PlatformConnector,
  items: ItemRow[],
  asynchronous: boolean,
): Promise<ItemRow[]> {
  const settleMs = run.rt.options.asyncSettleMs;
  let waiting = items;
  const rewrite: ItemRow[] = [];
  for (;;) {
    const listings = new Map(
      (
        await withRetries(run, `reading ${connection.kind}`, () =>
          connector.readBySkus([...new Set(waiting.map((i) => i.sku))], { signal: run.signal }),
        )
      ).map((l) => [l.sku, l]),
    );
    const applied: ItemRow[] = [];
    const conflicts: Array<{ item: ItemRow; current: FieldValue }> = [];
    const notFound: ItemRow[] = [];
    const stillOld: ItemRow[] = [];
    for (const item of waiting) {
      const listing = listings.get(item.sku);
      if (!listing) {
        notFound.push(item);
        continue;
      }
      const current = fieldValue(listing, item.field);
      if (sameValue(item.field, current, item.to_value as FieldValue)) applied.push(item);
      else if (sameValue(item.field, current, item.from_value as FieldValue)) stillOld.push(item);
      else conflicts.push({ item, current });
    }
    if (applied.length > 0) await markApplied(run, connection, applied, "CONFIRMED");
    if (notFound.length > 0) await failItems(run, notFound, "NOT_FOUND", `Not found on ${connection.kind}`);
    for (const { item, current } of conflicts) await recordCasConflict(run, connection, item, current);
    const now = Date.now();
    const settling = asynchronous
      ? stillOld.filter((i) => new Date(i.updated_at).getTime() + settleMs > now)
      : [];
    rewrite.push(...stillOld.filter((i) => !settling.includes(i)));
    if (settling.length === 0) return rewrite;
    waiting = settling;
    await sleep(Math.min(2000, Math.max(200, settleMs / 10)), run.signal);
  }
}

async function recordResults(
  run: JobRun,
  connection: PlatformConnection,
  batch: Unit[],
  results: UpdateResult[],
): Promise<{ retry: ItemRow[]; errors: Map<string, { code: string; message: string }> }> {
  const applied: ItemRow[] = [];
  const accepted: ItemRow[] = [];
  const failed: Array<{ item: ItemRow; code: string; message: string }> = [];
  const retry: ItemRow[] = [];
  const errors = new Map<string, { code: string; message: string }>();
  const conflicts: Array<{ item: ItemRow; current: FieldValue }> = [];
  batch.forEach((unit, i) => {
    const r = results[i];
    if (!r) {
      retry.push(...unit.items);
      return;
    }
    if (r.status === "applied") {
      (r.confirmation === "CONFIRMED" ? applied : accepted).push(...unit.items);
      return;
    }
    for (const item of unit.items) {
      errors.set(item.id, { code: r.code, message: r.message });
      if (r.code === "CONFLICT" && item.field === "quantity")
        conflicts.push({ item, current: r.currentQuantity ?? null });
      else if (r.code === "CONFLICT") failed.push({ item, code: r.code, message: r.message });
      else if (r.retryable) {
        // A timeout may have reached the platform: the item stays in doubt and is read back before a resend.
        if (r.code !== "TIMEOUT") item.error_code = r.code;
        retry.push(item);
      } else failed.push({ item, code: r.code, message: r.message });
    }
  });
  if (applied.length > 0) await markApplied(run, connection, applied, "CONFIRMED");
  if (accepted.length > 0) await markApplied(run, connection, accepted, "ACCEPTED");
  if (failed.length > 0) {
    await run.tx(async (c) => {
      for (const f of failed) {
        await c.query(
          `UPDATE sync_job_items SET status = 'FAILED', error = $2, error_code = $3, updated_at = now()
            WHERE id = $1 AND status = 'PENDING'`,
          [f.item.id, f.message, f.code],
        );
      }
    });
  }
  const definite = retry.filter((i) => i.error_code !== IN_FLIGHT);
  if (definite.length > 0) {
    await run.tx(async (c) => {
      for (const item of definite) {
        await c.query(
          `UPDATE sync_job_items SET error_code = $2, error = $3, updated_at = now() WHERE id = $1 AND status = 'PENDING'`,
          [item.id, item.error_code, errors.get(item.id)?.message ?? null],
        );
      }
    });
  }
  for (const { item, current } of conflicts) await recordCasConflict(run, connection, item, current);
  return { retry, errors };
}

/** Marks items applied once the platform took them, with their history and our record of the listing. */
async function markApplied(
  run: JobRun,
  connection: PlatformConnection,
  items: ItemRow[],
  confirmation: "CONFIRMED" | "ACCEPTED",
): Promise<void> {
  const { job } = run;
  const reason = `${job.type} sync (${job.trigger.toLowerCase()})${confirmation === "ACCEPTED" ? ", accepted by the platform" : ""}`;
  await run.tx(async (c) => {
    const { rows } = await c.query<ItemRow>(
      `UPDATE sync_job_items SET status = 'APPLIED', error = NULL, error_code = NULL, updated_at = now()
        WHERE id = ANY($1::uuid[]) AND status = 'PENDING'
        RETURNING id, product_id, sku, platform::text, field, from_value, to_value`,
      [items.map((i) => i.id)],
    );
    if (rows.length === 0) return;
    await c.query(
      `INSERT INTO sync_history (product_id, sku, job_id, actor_type, actor_id, platform, connection_id, field,
                                 old_value, new_value, reason)
       SELECT v.product_id, coalesce(p.sku, v.sku), $1::uuid, 'JOB', $10::text, $2::"PlatformKind", $3, v.field,
              v.old_value::jsonb, v.new_value::jsonb, $4
         FROM unnest($5::uuid[], $6::text[], $7::text[], $8::text[], $9::text[]) AS v(product_id, sku, field, old_value, new_value)
         LEFT JOIN products p ON p.id = v.product_id`,
      [
        job.id,
        connection.kind,
        connection.id,
        reason,
        rows.map((r) => r.product_id),
        rows.map((r) => r.sku),
        rows.map((r) => r.field),
        rows.map((r) => JSON.stringify(r.from_value ?? null)),
        rows.map((r) => JSON.stringify(r.to_value ?? null)),
        job.id,
      ],
    );
    const confirmed = confirmation === "CONFIRMED";
    for (const field of ["quantity", "price", "status"] as const) {
      const of = rows.filter((r) => r.field === field && r.product_id);
      if (of.length === 0) continue;
      const column =
        field === "quantity"
          ? "quantity = v.value::int"
          : field === "price"
            ? "price = v.value::numeric"
            : `status = v.value::"ListingStatus"`;
      await c.query(
        `UPDATE product_listings l SET ${column}, last_synced_at = now(),
                last_confirmed_at = CASE WHEN $3 THEN now() ELSE l.last_confirmed_at END, updated_at = now()
           FROM unnest($1::uuid[], $2::text[]) AS v(product_id, value)
          WHERE l.connection_id = $4 AND l.product_id = v.product_id`,
        [of.map((r) => r.product_id), of.map((r) => String(r.to_value)), confirmed, connection.id],
      );
      if (connection.kind === "AMAZON") {
        const inventoryColumn =
          field === "quantity"
            ? "quantity = v.value::int + s.reserved_quantity"
            : field === "price"
              ? "price = v.value::numeric"
              : `status = v.value::"ListingStatus"`;
        await c.query(
          `UPDATE seller_inventory s SET ${inventoryColumn}, updated_at = now()
             FROM unnest($1::uuid[], $2::text[]) AS v(product_id, value) WHERE s.product_id = v.product_id`,
          [of.map((r) => r.product_id), of.map((r) => String(r.to_value))],
        );
      }
    }
  });
}

/** A compare-and-set write found another value on the platform: the item fails and the disagreement becomes an open conflict. */
async function recordCasConflict(
  run: JobRun,
  connection: PlatformConnection,
  item: ItemRow,
  current: FieldValue,
): Promise<void> {
  const { job } = run;
  if (current !== null && sameValue(item.field, current, item.to_value as FieldValue)) {
    // Someone else (a fast-lane job, a person) already set what this job meant to write: nothing to do.
    await run.tx((c) =>
      c.query(
        `UPDATE sync_job_items SET status = 'SKIPPED', error_code = 'ALREADY_SET', updated_at = now(),
                error = 'The platform already holds this value' WHERE id = $1 AND status = 'PENDING'`,
        [item.id],
      ),
    );
    return;
  }
  await run.tx(async (c) => {
    const updated = await c.query(
      `UPDATE sync_job_items SET status = 'FAILED', error_code = 'CONFLICT', updated_at = now(),
              error = $2 WHERE id = $1 AND status = 'PENDING'`,
      [
        item.id,
        `${connection.kind} holds ${JSON.stringify(current)}, not the ${JSON.stringify(item.from_value)} the job read: left for the next sync`,
      ],
    );
    if (!item.product_id || updated.rowCount === 0) return;
    const others = await c.query<{
      platform: string;
      quantity: number;
      price: string | null;
      status: string;
      sku: string;
    }>(
      `SELECT l.platform::text, l.quantity, l.price::text, l.status::text, p.sku FROM product_listings l
         JOIN products p ON p.id = l.product_id WHERE l.product_id = $1`,
      [item.product_id],
    );
    const values: Record<string, FieldValue> = {};
    for (const o of others.rows) values[o.platform] = fieldValue(o, item.field);
    values[connection.kind] = current;
    const sku = others.rows[0]?.sku ?? item.sku;
    const type = item.field === "quantity" ? "QUANTITY" : item.field === "price" ? "PRICE" : "STATUS";
    const settings = await c.query<{ conflict_strategy: ConflictStrategy }>(
      `SELECT conflict_strategy::text FROM platform_sync_settings`,
    );
    const strategy = settings.rows[0]?.conflict_strategy ?? "SOURCE_WINS";
    const inserted = await c.query<{ id: string }>(
      `INSERT INTO sync_conflicts (product_id, job_id, sku, type, field, values, strategy, status, resolution, updated_at)
       VALUES ($1, $2, $3, $4::"ConflictType", $5, $6::jsonb, $7::"ConflictStrategy", 'OPEN', $8::jsonb, now()) RETURNING id`,
      [
        item.product_id,
        job.id,
        sku,
        type,
        item.field,
        JSON.stringify(values),
        strategy,
        JSON.stringify({
          kind: "CHANGED_DURING_SYNC",
          intended: item.to_value,
          expected: item.from_value,
          platform: connection.kind,
        }),
      ],
    );
    await c.query(
      `UPDATE sync_jobs SET conflict_count = conflict_count + 1, updated_at = now() WHERE id = $1`,
      [job.id],
    );
    await upsertAlerts(c, run.tenantId, [
      conflictAlert({
        sku,
        field: item.field,
        values,
        strategy,
        productId: item.product_id,
        jobId: job.id,
        conflictId: inserted.rows[0]?.id,
      }),
    ]);
  });
  run.result(connection.kind).conflicts++;
  run.job = { ...run.job, conflictCount: run.job.conflictCount + 1 };
}

/** Ends a job: items left behind are accounted for, stock and error alerts raised, the terminal state published. */
async function finalize(
  run: JobRun,
  status: "SUCCEEDED" | "FAILED" | "CANCELLED",
  error?: string,
): Promise<void> {
  const { job } = run;
  await run.tx(async (c) => {
    if (status !== "SUCCEEDED") {
      await c.query(
        `UPDATE sync_job_items SET status = 'FAILED', error_code = 'UNCONFIRMED', updated_at = now(),
                error = 'Stopped while being sent: the platform may have applied it; the next sync compares again'
          WHERE job_id = $1 AND status = 'PENDING' AND error_code = $2`,
        [job.id, IN_FLIGHT],
      );
      await c.query(
        `UPDATE sync_job_items SET status = 'SKIPPED', error_code = $2, updated_at = now(), error = $3
          WHERE job_id = $1 AND status = 'PENDING'`,
        [
          job.id,
          status,
          status === "CANCELLED"
            ? "The job was cancelled before this was sent"
            : "The job failed before this was sent",
        ],
      );
    }
  });
  await run.refreshCounters(true);
  if (!job.dryRun && status !== "CANCELLED")
    await stockAlerts(run).catch((e) => run.rt.log.warn("stock alerts", { error: String(e) }));
  const finished = await run.db.client.syncJob.update({
    where: { id: job.id },
    data: {
      status,
      finishedAt: new Date(),
      error:
        error ??
        (status === "CANCELLED"
          ? "Cancelled"
          : run.job.failedItems > 0
            ? `${run.job.failedItems} writes failed`
            : null),
      platformResults: run.results as unknown as Prisma.InputJsonObject,
      processedItems: status === "SUCCEEDED" ? run.job.totalItems : run.job.processedItems,
    },
  });
  run.job = finished;
  const alert = job.dryRun ? null : syncErrorAlert(finished);
  if (alert) await run.tx((c) => upsertAlerts(c, run.tenantId, [alert]));
  await run.progress.finish(finished);
  run.rt.log.info("sync job finished", {
    jobId: job.id,
    status,
    updated: finished.updatedItems,
    failed: finished.failedItems,
  });
}

/** Stock alerts from our record of every listing the job looked at, after its writes. */
async function stockAlerts(run: JobRun): Promise<void> {
  const settings = await loadSettings(run);
  const { job } = run;
  await run.tx(async (c) => {
    const scoped = job.type !== "FULL";
    const { rows } = await c.query<{
      product_id: string;
      platform: string;
      sku: string;
      title: string;
      quantity: number;
      status: string;
      is_bestseller: boolean | null;
    }>(
      `SELECT l.product_id, l.platform::text, p.sku, p.title, l.quantity, l.status::text, s.is_bestseller
         FROM product_listings l JOIN products p ON p.id = l.product_id
         LEFT JOIN seller_inventory s ON s.product_id = l.product_id
        ${scoped ? "WHERE p.sku = ANY($1::text[]) OR l.product_id IN (SELECT product_id FROM sync_job_items WHERE job_id = $2)" : ""}`,
      scoped ? [((job.filters ?? {}) as { skus?: string[] }).skus ?? [], job.id] : [],
    );
    const drafts: AlertDraft[] = [];
    const clear: string[] = [];
    for (const r of rows) {
      const draft = stockAlert(
        {
          platform: r.platform,
          sku: r.sku,
          title: r.title,
          quantity: r.quantity,
          status: r.status,
          isBestseller: r.is_bestseller ?? false,
          productId: r.product_id,
        },
        settings,
      );
      if (draft) drafts.push({ ...draft, jobId: job.id });
      clear.push(...stockAlertKeys(r.platform, r.sku).filter((k) => k !== draft?.dedupeKey));
    }
    await upsertAlerts(c, run.tenantId, drafts, clear);
  });
}
