import { randomUUID } from "node:crypto";
import type pg from "pg";
import type { ListingPage, PlatformConnector } from "../../connectors";
import type { PlatformConnection, Prisma } from "../../generated/prisma/client";
import type { ConflictStrategy } from "../../generated/prisma/enums";
import { type AlertDraft, conflictAlert, priceVarianceAlert } from "../alerts/rules";
import {
  type Decision,
  decideProduct,
  type FieldValue,
  type Observation,
  SYNC_FIELDS,
  type SyncField,
} from "./sync.compare";
import { type Fetched, JobRun, loadSettings, withRetries } from "./sync.run";
import { type JobCheckpoint } from "./sync.service";
import { upsertAlerts } from "./sync.store";

const READ_CHUNK = 500;
const PAGE_SIZE = 100;
/** Overlap of an incremental read with the previous sync, against clock skew between us and the platform. */
const INCREMENTAL_OVERLAP_MS = 5 * 60_000;

async function jobConnections(run: JobRun): Promise<PlatformConnection[]> {
  const all = await run.db.client.platformConnection.findMany({
    orderBy: [{ priority: "asc" }, { kind: "asc" }],
  });
  const wanted = run.job.platforms;
  return all.filter((c) => c.enabled && (wanted.length === 0 || wanted.includes(c.kind)));
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

export async function fetchCompareAndPlan(run: JobRun): Promise<void> {
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
    const connectionIds = connections.map((x) => x.id);
    // A partial or incremental job loads only its products, found by SKU or by the platforms' own ids (a platform SKU
    // that differs from ours still finds its product); a full one loads everything.
    let productIds: string[] | null = null;
    if (!fullScope) {
      const ids = { asin: new Set<string>(), product: new Set<string>(), variant: new Set<string>() };
      for (const m of fetched.values()) {
        for (const f of m.values()) {
          const e = f.listing.externalIds;
          if (e.asin) ids.asin.add(e.asin);
          if (e.productId) ids.product.add(e.productId);
          if (e.variantId) ids.variant.add(e.variantId);
        }
      }
      const found = await c.query<{ id: string }>(
        `SELECT id FROM products WHERE sku = ANY($1::text[])
         UNION SELECT product_id FROM product_listings
          WHERE connection_id = ANY($2::uuid[]) AND (external_id = ANY($3::text[]) OR external_variant_id = ANY($4::text[]))
         UNION SELECT product_id FROM seller_inventory WHERE asin = ANY($5::text[])`,
        [[...scopeSkus], connectionIds, [...ids.asin, ...ids.product], [...ids.variant], [...ids.asin]],
      );
      productIds = found.rows.map((r) => r.id);
    }
    const scoped = (column: string, n: number) => (productIds ? `${column} = ANY($${n}::uuid[])` : "true");
    const withIds = (params: unknown[]) => (productIds ? [...params, productIds] : params);
    const products = await c.query<{ id: string; sku: string; title: string }>(
      `SELECT p.id, p.sku, p.title FROM products p WHERE ${scoped("p.id", 1)}`,
      withIds([]),
    );
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
         FROM product_listings l WHERE l.connection_id = ANY($1::uuid[]) AND ${scoped("l.product_id", 2)}`,
      withIds([connectionIds]),
    );
    const inventory = await c.query<{
      product_id: string;
      sku: string;
      asin: string | null;
      reserved_quantity: number;
      is_bestseller: boolean;
    }>(
      `SELECT product_id, sku, asin, reserved_quantity, is_bestseller FROM seller_inventory WHERE ${scoped("product_id", 1)}`,
      withIds([]),
    );
    const conflicts = await c.query<{
      id: string;
      product_id: string;
      field: string;
      status: string;
      values: Record<string, FieldValue>;
    }>(
      `SELECT id, product_id, field, status::text, values FROM sync_conflicts
        WHERE status IN ('OPEN', 'IGNORED') AND ${scoped("product_id", 1)} ORDER BY created_at`,
      withIds([]),
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
    const rules = rt.connections.rules(c.kind);
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
      // What the platform sets itself (an FBA quantity) is read, never written, and wins for the other channels.
      const managed = new Set(rules.managedFields(f.listing));
      const fixed = SYNC_FIELDS.filter((x) => !writable.has(x) || managed.has(x));
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
  const conflictRows: Array<{ productId: string; sku: string; decision: Decision; id: string }> = [];
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
      // The id is chosen here, not by the database, so the alert raised below can point at its conflict.
      const conflictId = openConflict.get(`${productId}|${d.field}`) ?? randomUUID();
      conflictRows.push({ productId, sku: product.sku, decision: d, id: conflictId });
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
            conflictId,
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
        `INSERT INTO sync_job_items
                (job_id, job_created_at, product_id, sku, platform, field, from_value, to_value, status, updated_at)
         SELECT $1, (SELECT created_at FROM sync_jobs WHERE id = $1), v.product_id, v.sku, v.platform::"PlatformKind",
                v.field, v.from_value::jsonb, v.to_value::jsonb, $8::"SyncItemStatus", now()
           FROM unnest($2::uuid[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[])
                AS v(product_id, sku, platform, field, from_value, to_value)
         ON CONFLICT (job_id, sku, platform, field, job_created_at) DO NOTHING`,
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
  rows: Array<{ productId: string; sku: string; decision: Decision; id: string }>,
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
       SELECT v.id, v.product_id, $1, v.sku, v.type::"ConflictType", v.field,
              v.values::jsonb, $2::"ConflictStrategy", v.status::"ConflictStatus", v.resolved_value::jsonb,
              v.resolution::jsonb, CASE WHEN v.status = 'RESOLVED' THEN now() END,
              CASE WHEN v.status = 'RESOLVED' THEN 'system' END, now()
         FROM unnest($3::uuid[], $4::uuid[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[], $11::text[])
              AS v(id, product_id, sku, type, field, values, status, resolved_value, resolution)
       ON CONFLICT (id) DO UPDATE SET job_id = EXCLUDED.job_id, values = EXCLUDED.values, strategy = EXCLUDED.strategy,
              status = EXCLUDED.status, resolved_value = EXCLUDED.resolved_value, resolution = EXCLUDED.resolution,
              resolved_at = EXCLUDED.resolved_at, resolved_by = EXCLUDED.resolved_by, updated_at = now()`,
      [
        jobId,
        strategy,
        rows.map((r) => r.id),
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
