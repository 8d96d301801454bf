import { randomUUID } from "node:crypto";
import type pg from "pg";
import { inTransaction } from "../../../platform/db";
import { BulkInsert, flushTogether } from "./bulk-insert";
import { type CloneTarget, cloneTenant } from "./clone";
import {
  DEFAULT_DEMO_SEED,
  type DemoDifference,
  type DemoProduct,
  demoDifferences,
  iterateDemoCatalog,
} from "./generator";
import { hashUnit } from "./random";

export interface SeedTenantOptions {
  slug: string;
  name: string;
  skus: number;
  seed?: number;
  amazonEndpoint?: string | null;
  medusaEndpoint?: string | null;
  onProgress?: (done: number, total: number) => void;
  /** The moment every timestamp is placed relative to (default: the real now). */
  now?: Date;
  /** Products written per statement (default 5,000). */
  batchSize?: number;
  /**
   * An existing user to make the tenant's owner, to whom the demo's manual changes are attributed; without one
   * the tenant has no members and those changes no author.
   */
  ownerId?: string | null;
}

export interface SeedTenantResult {
  tenantId: string;
  created: boolean;
}

const STRATEGY = "SOURCE_WINS";
const LOW_STOCK_THRESHOLD = 10;
const OUT_OF_STOCK_THRESHOLD = 0;
const MAX_PRICE_VARIANCE_PCT = 5;
const AMAZON_NAME = "Amazon US";
const MEDUSA_NAME = "Medusa Store";

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

// Salts for the seed's own deterministic choices, kept apart from the generator's streams.
const SALT = {
  conflictStatus: 0x5101,
  conflictJob: 0x5102,
  resolvedPick: 0x5103,
  resolvedType: 0x5104,
  resolvedMode: 0x5105,
  resolvedJob: 0x5106,
  resolvedDelta: 0x5107,
  propagate: 0x5108,
  stale: 0x5109,
  restocked: 0x510a,
  alertAck: 0x510b,
  alertAge: 0x510c,
  seen: 0x510d,
} as const;

type Platform = "AMAZON" | "MEDUSA";
type JobStatus = "PENDING" | "FETCHING" | "COMPARING" | "APPLYING" | "SUCCEEDED" | "FAILED" | "CANCELLED";

interface ProductRef {
  id: string;
  index: number;
  sku: string;
  asin: string;
  title: string;
}

interface Job {
  id: string;
  type: "FULL" | "PARTIAL" | "INCREMENTAL";
  status: JobStatus;
  trigger: "MANUAL" | "SCHEDULE" | "WEBHOOK" | "BULK_UPDATE" | "RESOLUTION";
  dryRun: boolean;
  platforms: Platform[];
  filters: Record<string, unknown>;
  totalItems: number;
  processedItems: number;
  updatedItems: number;
  conflictCount: number;
  failedItems: number;
  platformResults: Record<string, unknown>;
  checkpoint: Record<string, unknown> | null;
  error: string | null;
  createdById: string | null;
  cancelRequestedAt: Date | null;
  startedAt: Date | null;
  finishedAt: Date | null;
  createdAt: Date;
}

interface OpenDifference {
  ref: ProductRef;
  difference: DemoDifference;
}

/** A product whose Amazon and Medusa listings agree today. */
interface InStepProduct {
  ref: ProductRef;
  product: DemoProduct;
}

interface StockIssue {
  ref: ProductRef;
  product: DemoProduct;
  available: number;
}

/** Everything the streaming pass remembers for the rows written after the catalog. */
interface Notes {
  differences: OpenDifference[];
  resolved: InStepProduct[];
  propagated: InStepProduct[];
  stock: StockIssue[];
  restocked: StockIssue[];
  stale: ProductRef[];
  sample: InStepProduct[];
}

const productsTable = () =>
  new BulkInsert("products", {
    id: "uuid",
    sku: "text",
    title: "text",
    brand: "text",
    category: "text",
    cost: "numeric",
    attributes: "jsonb",
    created_at: "timestamptz",
    updated_at: "timestamptz",
  });

// available_quantity is generated from quantity - reserved_quantity, so it is never listed here.
const sellerInventoryTable = () =>
  new BulkInsert("seller_inventory", {
    id: "uuid",
    product_id: "uuid",
    connection_id: "uuid",
    sku: "text",
    asin: "text",
    title: "text",
    brand: "text",
    category: "text",
    fulfillment_channel: { enum: "FulfillmentChannel" },
    quantity: "int4",
    reserved_quantity: "int4",
    inbound_quantity: "int4",
    unfulfillable_quantity: "int4",
    price: "numeric",
    status: { enum: "ListingStatus" },
    condition: { enum: "ItemCondition" },
    is_bestseller: "bool",
    sales_rank: "int4",
    last_seen_at: "timestamptz",
    created_at: "timestamptz",
    updated_at: "timestamptz",
  });

const listingsTable = () =>
  new BulkInsert("product_listings", {
    id: "uuid",
    product_id: "uuid",
    connection_id: "uuid",
    platform: { enum: "PlatformKind" },
    sku: "text",
    external_id: "text",
    external_variant_id: "text",
    external_inventory_item_id: "text",
    quantity: "int4",
    price: "numeric",
    status: { enum: "ListingStatus" },
    last_confirmed_at: "timestamptz",
    last_synced_at: "timestamptz",
    created_at: "timestamptz",
    updated_at: "timestamptz",
  });

const jobItemsTable = () =>
  new BulkInsert("sync_job_items", {
    job_id: "uuid",
    product_id: "uuid",
    sku: "text",
    platform: { enum: "PlatformKind" },
    field: "text",
    from_value: "jsonb",
    to_value: "jsonb",
    status: { enum: "SyncItemStatus" },
    error: "text",
    error_code: "text",
    attempts: "int4",
    created_at: "timestamptz",
    updated_at: "timestamptz",
    job_created_at: "timestamptz",
  });

const conflictsTable = () =>
  new BulkInsert("sync_conflicts", {
    id: "uuid",
    product_id: "uuid",
    job_id: "uuid",
    sku: "text",
    type: { enum: "ConflictType" },
    field: "text",
    values: "jsonb",
    strategy: { enum: "ConflictStrategy" },
    status: { enum: "ConflictStatus" },
    resolved_value: "jsonb",
    resolution: "jsonb",
    resolved_at: "timestamptz",
    resolved_by: "text",
    created_at: "timestamptz",
    updated_at: "timestamptz",
  });

const alertsTable = () =>
  new BulkInsert("alerts", {
    type: { enum: "AlertType" },
    priority: { enum: "AlertPriority" },
    status: { enum: "AlertStatus" },
    title: "text",
    message: "text",
    payload: "jsonb",
    product_id: "uuid",
    job_id: "uuid",
    conflict_id: "uuid",
    dedupe_key: "text",
    acknowledged_at: "timestamptz",
    resolved_at: "timestamptz",
    resolved_by: "text",
    created_at: "timestamptz",
    updated_at: "timestamptz",
  });

const historyTable = () =>
  new BulkInsert("sync_history", {
    product_id: "uuid",
    sku: "text",
    job_id: "uuid",
    actor_type: { enum: "ActorType" },
    actor_id: "text",
    platform: { enum: "PlatformKind" },
    connection_id: "uuid",
    field: "text",
    old_value: "jsonb",
    new_value: "jsonb",
    reason: "text",
    created_at: "timestamptz",
  });

function available(product: DemoProduct): number {
  return product.amazon.quantity - product.amazon.reserved;
}

function shiftPrice(price: string, pct: number): string {
  const cents = Math.round(Number(price) * 100);
  let shifted = Math.max(49, Math.round((cents * (1 + pct)) / 50) * 50 - 1);
  if (shifted === cents) shifted += 100;
  return (shifted / 100).toFixed(2);
}

function variancePct(a: string, b: string): number {
  const base = Number(a);
  return base === 0 ? 100 : Math.round((Math.abs(Number(b) - base) / base) * 1000) / 10;
}

/**
 * Creates a demo tenant with a realistic catalog, connections, jobs, conflicts, alerts and history in one
 * transaction; does nothing when a tenant with the slug already exists.
 */
export async function seedTenant(pool: pg.Pool, options: SeedTenantOptions): Promise<SeedTenantResult> {
  const total = options.skus;
  if (!Number.isSafeInteger(total) || total < 0) throw new RangeError(`skus must be >= 0, got ${total}`);
  const seed = options.seed ?? DEFAULT_DEMO_SEED;
  const now = (options.now ?? new Date()).getTime();
  const at = (msAgo: number) => new Date(now - msAgo);
  const batchSize = options.batchSize ?? 5_000;

  const client = await pool.connect();
  try {
    await client.query("BEGIN");
    // The tenant_lookup policy lets a non-superuser read one tenant by slug; a superuser sees every row.
    await client.query("SELECT set_config('app.tenant_slug', $1, true)", [options.slug]);
    const existing = await client.query<{ id: string }>("SELECT id FROM tenants WHERE slug = $1", [
      options.slug,
    ]);
    if (existing.rows[0]) {
      await client.query("COMMIT");
      return { tenantId: existing.rows[0].id, created: false };
    }

    const tenantId = randomUUID();
    await client.query("SELECT set_config('app.tenant_id', $1, true)", [tenantId]);
    // A concurrent seeder of the same slug waits here for the other to commit, then inserts nothing.
    const inserted = await client.query(
      `INSERT INTO tenants (id, slug, name, updated_at) VALUES ($1, $2, $3, $4)
       ON CONFLICT (slug) DO NOTHING RETURNING id`,
      [tenantId, options.slug, options.name, at(0)],
    );
    if (inserted.rowCount === 0) {
      // Still inside the transaction, so app.tenant_slug holds; each statement sees what others committed.
      const again = await client.query<{ id: string }>("SELECT id FROM tenants WHERE slug = $1", [
        options.slug,
      ]);
      await client.query("ROLLBACK");
      if (!again.rows[0])
        throw new Error(`Tenant "${options.slug}" exists but this connection cannot read it`);
      return { tenantId: again.rows[0].id, created: false };
    }

    const tenantAge = 420 * DAY;
    const ownerId = options.ownerId ?? null;
    if (ownerId) {
      await client.query(
        `INSERT INTO memberships (user_id, role, created_at, updated_at) VALUES ($1, 'OWNER', $2, $2)`,
        [ownerId, at(tenantAge)],
      );
    }
    await client.query(
      `INSERT INTO platform_sync_settings (auto_sync, sync_interval_minutes, conflict_strategy,
         low_stock_threshold, out_of_stock_threshold, max_price_variance_pct, created_at, updated_at)
       VALUES (true, 30, $1, $2, $3, $4, $5, $5)`,
      [STRATEGY, LOW_STOCK_THRESHOLD, OUT_OF_STOCK_THRESHOLD, MAX_PRICE_VARIANCE_PCT, at(tenantAge)],
    );
    const amazonId = randomUUID();
    const medusaId = randomUUID();
    await client.query(
      `INSERT INTO platform_connections (id, kind, name, priority, region, marketplace_id, seller_id, endpoint,
         created_at, updated_at)
       VALUES ($1, 'AMAZON', $2, 1, 'NA', 'ATVPDKIKX0DER', 'A2DEMOSELLER01', $3, $7, $7),
              ($4, 'MEDUSA', $5, 2, NULL, NULL, NULL, $6, $7, $7)`,
      [
        amazonId,
        AMAZON_NAME,
        options.amazonEndpoint ?? null,
        medusaId,
        MEDUSA_NAME,
        options.medusaEndpoint ?? null,
        at(tenantAge),
      ],
    );

    const jobIds = {
      previous: randomUUID(),
      latest: randomUUID(),
    };
    // The last full sync ran 47 minutes ago; the one before it, yesterday.
    const latestStart = now - 47 * MINUTE;
    const latestEnd = latestStart + jobDuration(total);
    const previousStart = now - 26 * HOUR;
    const previousEnd = previousStart + jobDuration(total);

    const notes = await writeCatalog(client, {
      seed,
      total,
      batchSize,
      now,
      amazonId,
      medusaId,
      syncedAt: new Date(latestEnd),
      onProgress: options.onProgress,
    });

    await writeActivity(client, {
      seed,
      total,
      now,
      notes,
      ownerId,
      amazonId,
      medusaId,
      jobIds,
      latest: { start: latestStart, end: latestEnd },
      previous: { start: previousStart, end: previousEnd },
    });

    await client.query("COMMIT");
    // Fresh statistics, so the first queries on a large tenant get sensible plans without waiting for autovacuum.
    await client.query(
      "ANALYZE products, seller_inventory, product_listings, sync_conflicts, alerts, sync_history, sync_job_items",
    );
    return { tenantId, created: true };
  } catch (error) {
    await client.query("ROLLBACK").catch(() => {});
    throw error;
  } finally {
    client.release();
  }
}

export interface SeedTenantsOptions
  extends Omit<SeedTenantOptions, "slug" | "name" | "ownerId" | "onProgress"> {
  tenants: CloneTarget[];
  /** New tenants copied per statement (default 50). */
  chunk?: number;
  /**
   * For a database no one else uses meanwhile (needs a superuser): drops the catalog's secondary indexes during
   * the copy and builds them once after it, and skips the per-row foreign-key checks and triggers on the copies;
   * several times faster for many tenants. Other sessions touching those tables wait until the copy commits.
   */
  rebuildIndexes?: boolean;
  onProgress?: (done: number, total: number) => void;
}

/**
 * Creates many demo tenants at once: the first from the generator (as seedTenant does), every other one as a copy
 * of it in bulk, with its own ids; tenants whose slug exists are left as they are. The copies have no members.
 */
export async function seedTenants(pool: pg.Pool, options: SeedTenantsOptions): Promise<SeedTenantResult[]> {
  const [first, ...rest] = options.tenants;
  if (!first) return [];
  const { tenants: _, chunk: __, onProgress, ...seedOptions } = options;
  const template = await seedTenant(pool, { ...seedOptions, slug: first.slug, name: first.name });
  const results = new Map<string, SeedTenantResult>([[first.slug, template]]);
  const { rows: existing } = await pool.query<{ id: string; slug: string }>(
    "SELECT id, slug FROM tenants WHERE slug = ANY($1::text[])",
    [rest.map((t) => t.slug)],
  );
  for (const row of existing) results.set(row.slug, { tenantId: row.id, created: false });
  const missing = rest.filter((t) => !results.has(t.slug));
  const chunk = options.chunk ?? 50;
  onProgress?.(options.tenants.length - missing.length, options.tenants.length);
  if (missing.length === 0) return options.tenants.map((t) => results.get(t.slug)!);
  // One transaction: the copies appear together, and with rebuildIndexes no one sees the tables unindexed.
  await inTransaction(pool, async (client) => {
    const rebuild = options.rebuildIndexes ? await dropSecondaryIndexes(client) : [];
    // Copies of rows already checked need neither foreign-key checks nor change triggers (superuser only).
    if (options.rebuildIndexes) await client.query("SET LOCAL session_replication_role = replica");
    for (let from = 0; from < missing.length; from += chunk) {
      const targets = missing.slice(from, from + chunk);
      const ids = await cloneTenant(client, template.tenantId, targets);
      for (const [i, t] of targets.entries()) results.set(t.slug, { tenantId: ids[i]!, created: true });
      onProgress?.(options.tenants.length - missing.length + from + targets.length, options.tenants.length);
    }
    for (const definition of rebuild) await client.query(definition);
  });
  await pool.query(
    "ANALYZE products, seller_inventory, product_listings, sync_conflicts, alerts, sync_history, sync_job_items",
  );
  return options.tenants.map((t) => results.get(t.slug)!);
}

/** Drops the indexes no constraint owns on the tables a tenant's catalog fills; returns what rebuilds them. */
async function dropSecondaryIndexes(client: pg.ClientBase): Promise<string[]> {
  const { rows } = await client.query<{ name: string; definition: string }>(
    `SELECT i.indexrelid::regclass::text AS name, pg_get_indexdef(i.indexrelid) AS definition
       FROM pg_index i
      WHERE i.indrelid = ANY (ARRAY['products', 'seller_inventory', 'product_listings', 'alerts',
                                    'sync_conflicts', 'sync_job_items']::regclass[])
        AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)`,
  );
  for (const row of rows) await client.query(`DROP INDEX ${row.name}`);
  return rows.map((r) => r.definition);
}

async function writeCatalog(
  client: pg.ClientBase,
  input: {
    seed: number;
    total: number;
    batchSize: number;
    now: number;
    amazonId: string;
    medusaId: string;
    syncedAt: Date;
    onProgress?: (done: number, total: number) => void;
  },
): Promise<Notes> {
  const { seed, total, now, amazonId, medusaId, syncedAt } = input;
  const at = (msAgo: number) => new Date(now - msAgo);
  const products = productsTable();
  const inventory = sellerInventoryTable();
  const listings = listingsTable();
  const notes: Notes = {
    differences: [],
    resolved: [],
    propagated: [],
    stock: [],
    restocked: [],
    stale: [],
    sample: [],
  };
  const nowDate = at(0);
  let index = 0;
  let inflight: Promise<void> = Promise.resolve();
  input.onProgress?.(0, total);
  for (const product of iterateDemoCatalog({ seed, skus: total })) {
    const id = randomUUID();
    const ref: ProductRef = { id, index, sku: product.sku, asin: product.asin, title: product.title };
    // Older products first: the catalog grew over the tenant's first year and a bit.
    const createdAt = at(Math.round((400 - (380 * index) / Math.max(1, total)) * DAY));
    const seenAgo = Math.round((2 + 53 * hashUnit(seed, index, SALT.seen)) * MINUTE);
    const { amazon, medusa } = product;
    const avail = available(product);

    products.push({
      id,
      sku: product.sku,
      title: product.title,
      brand: product.brand,
      category: product.category,
      cost: product.cost,
      attributes: product.attributes,
      created_at: createdAt,
      updated_at: nowDate,
    });
    inventory.push({
      id: randomUUID(),
      product_id: id,
      connection_id: amazonId,
      sku: product.sku,
      asin: product.asin,
      title: product.title,
      brand: product.brand,
      category: product.category,
      fulfillment_channel: amazon.fulfillmentChannel,
      quantity: amazon.quantity,
      reserved_quantity: amazon.reserved,
      inbound_quantity: amazon.inbound,
      unfulfillable_quantity: amazon.unfulfillable,
      price: amazon.price,
      status: amazon.status,
      condition: amazon.condition,
      is_bestseller: amazon.isBestseller,
      sales_rank: amazon.salesRank,
      last_seen_at: at(seenAgo),
      created_at: createdAt,
      updated_at: at(seenAgo),
    });
    listings.push({
      id: randomUUID(),
      product_id: id,
      connection_id: amazonId,
      platform: "AMAZON",
      sku: product.sku,
      external_id: product.asin,
      external_variant_id: null,
      external_inventory_item_id: null,
      quantity: avail,
      price: amazon.price,
      status: amazon.status,
      last_confirmed_at: at(seenAgo),
      last_synced_at: syncedAt,
      created_at: createdAt,
      updated_at: at(seenAgo),
    });
    if (medusa) {
      const differences = demoDifferences(product);
      const stale = differences.length === 0 && hashUnit(seed, index, SALT.stale) < 0.006;
      if (stale) notes.stale.push(ref);
      const confirmedAgo = stale
        ? Math.round((50 + 70 * hashUnit(seed, index, SALT.stale, 1)) * HOUR)
        : seenAgo;
      listings.push({
        id: randomUUID(),
        product_id: id,
        connection_id: medusaId,
        platform: "MEDUSA",
        sku: product.sku,
        external_id: medusa.productId,
        external_variant_id: medusa.variantId,
        external_inventory_item_id: medusa.inventoryItemId,
        quantity: medusa.quantity,
        price: medusa.price,
        status: medusa.status,
        last_confirmed_at: at(confirmedAgo),
        last_synced_at: stale ? at(confirmedAgo) : syncedAt,
        created_at: createdAt,
        updated_at: at(confirmedAgo),
      });
      for (const difference of differences) notes.differences.push({ ref, difference });
      if (differences.length === 0 && !stale) {
        const pick = hashUnit(seed, index, SALT.resolvedPick);
        if (pick < 0.03) notes.resolved.push({ ref, product });
        else if (pick < 0.04) notes.propagated.push({ ref, product });
        else if (notes.sample.length < 200) notes.sample.push({ ref, product });
      }
    }
    if (amazon.status === "ACTIVE") {
      if (avail <= LOW_STOCK_THRESHOLD) notes.stock.push({ ref, product, available: avail });
      else if (avail > 40 && hashUnit(seed, index, SALT.restocked) < 0.005) {
        notes.restocked.push({ ref, product, available: avail });
      }
    }

    index += 1;
    if (products.size >= input.batchSize) {
      // One batch in flight while the next is generated: the two cores work at once.
      await inflight;
      input.onProgress?.(index - products.size, total);
      inflight = flushCatalog(client, products, inventory, listings);
    }
  }
  await inflight;
  await flushCatalog(client, products, inventory, listings);
  input.onProgress?.(index, total);
  return notes;
}

function flushCatalog(
  client: pg.ClientBase,
  products: ReturnType<typeof productsTable>,
  inventory: ReturnType<typeof sellerInventoryTable>,
  listings: ReturnType<typeof listingsTable>,
): Promise<void> {
  const written = flushTogether(client, [products, inventory, listings]);
  // Awaited before the next batch; this only keeps a failure from being reported as unhandled meanwhile.
  written.catch(() => {});
  return written;
}

interface JobCounters {
  updated: number;
  conflicts: number;
  failed: number;
  platform: Record<Platform, { updated: number; failed: number }>;
}

async function writeActivity(
  client: pg.ClientBase,
  input: {
    seed: number;
    total: number;
    now: number;
    notes: Notes;
    ownerId: string | null;
    amazonId: string;
    medusaId: string;
    jobIds: { previous: string; latest: string };
    latest: Window;
    previous: Window;
  },
): Promise<void> {
  const { seed, total, now, notes, ownerId, amazonId, medusaId, jobIds, latest, previous } = input;
  const at = (msAgo: number) => new Date(now - msAgo);
  const connectionOf = (platform: Platform) => (platform === "AMAZON" ? amazonId : medusaId);

  const conflicts = conflictsTable();
  const alerts = alertsTable();
  const history = historyTable();
  const items = jobItemsTable();
  // An item's partition is its job's month: rows wait here until every job (and its created_at) is known.
  const itemRows: Omit<Parameters<typeof items.push>[0], "job_created_at">[] = [];
  const itemKeys = new Set<string>();
  const counters = new Map<string, JobCounters>();
  const count = (jobId: string): JobCounters => {
    let c = counters.get(jobId);
    if (!c) {
      c = {
        updated: 0,
        conflicts: 0,
        failed: 0,
        platform: { AMAZON: { updated: 0, failed: 0 }, MEDUSA: { updated: 0, failed: 0 } },
      };
      counters.set(jobId, c);
    }
    return c;
  };

  /** One intended write of a job; an applied one is also counted and written to history. */
  const jobWrite = (write: {
    jobId: string;
    ref: ProductRef;
    platform: Platform;
    field: string;
    from: unknown;
    to: unknown;
    status: "PENDING" | "APPLIED" | "FAILED" | "SKIPPED";
    at: Date;
    reason?: string;
    error?: { message: string; code: string; attempts: number };
  }): void => {
    const key = `${write.jobId}|${write.ref.sku}|${write.platform}|${write.field}`;
    if (itemKeys.has(key)) return;
    itemKeys.add(key);
    itemRows.push({
      job_id: write.jobId,
      product_id: write.ref.id,
      sku: write.ref.sku,
      platform: write.platform,
      field: write.field,
      from_value: write.from,
      to_value: write.to,
      status: write.status,
      error: write.error?.message ?? null,
      error_code: write.error?.code ?? null,
      attempts: write.error?.attempts ?? (write.status === "PENDING" ? 0 : 1),
      created_at: write.at,
      updated_at: write.at,
    });
    const c = count(write.jobId);
    if (write.status === "FAILED") {
      c.failed += 1;
      c.platform[write.platform].failed += 1;
    }
    if (write.status !== "APPLIED") return;
    c.updated += 1;
    c.platform[write.platform].updated += 1;
    history.push({
      product_id: write.ref.id,
      sku: write.ref.sku,
      job_id: write.jobId,
      actor_type: "JOB",
      actor_id: write.jobId,
      platform: write.platform,
      connection_id: connectionOf(write.platform),
      field: write.field,
      old_value: write.from,
      new_value: write.to,
      reason: write.reason ?? null,
      created_at: write.at,
    });
  };

  // Open and ignored conflicts: what Amazon and Medusa disagree about right now.
  for (const { ref, difference } of notes.differences) {
    const typeSalt = difference.type.charCodeAt(0);
    const fromLatest = hashUnit(seed, ref.index, typeSalt, SALT.conflictJob) < 0.4;
    const jobId = fromLatest ? jobIds.latest : jobIds.previous;
    const createdAt = during(
      fromLatest ? latest : previous,
      0.3 + 0.5 * hashUnit(seed, ref.index, typeSalt, SALT.alertAge),
    );
    const ignored = hashUnit(seed, ref.index, typeSalt, SALT.conflictStatus) >= 0.8;
    const conflictId = randomUUID();
    count(jobId).conflicts += 1;
    const values = { AMAZON: difference.amazon, MEDUSA: difference.medusa };
    const resolvedAt = ignored ? new Date(Math.min(now - MINUTE, createdAt.getTime() + 3 * HOUR)) : null;
    conflicts.push({
      id: conflictId,
      product_id: ref.id,
      job_id: jobId,
      sku: ref.sku,
      type: difference.type,
      field: difference.field,
      values,
      strategy: STRATEGY,
      status: ignored ? "IGNORED" : "OPEN",
      resolved_value: null,
      resolution: ignored ? { action: "IGNORE", note: ignoreNote(difference) } : null,
      resolved_at: resolvedAt,
      resolved_by: ignored ? ownerId : null,
      created_at: createdAt,
      updated_at: resolvedAt ?? createdAt,
    });
    // More units on Medusa than Amazon can sell is the overselling risk.
    const oversell = difference.type === "QUANTITY" && Number(difference.medusa) > Number(difference.amazon);
    alerts.push({
      type: "SYNC_CONFLICT",
      priority: oversell ? "HIGH" : difference.type === "STATUS" ? "LOW" : "MEDIUM",
      status: ignored ? "RESOLVED" : "OPEN",
      title: `${label(difference.type)} conflict on ${ref.sku}`,
      message: `Amazon US has ${difference.amazon} and Medusa Store has ${difference.medusa} for ${ref.title}.`,
      payload: { sku: ref.sku, field: difference.field, values, strategy: STRATEGY },
      product_id: ref.id,
      job_id: jobId,
      conflict_id: conflictId,
      dedupe_key: `SYNC_CONFLICT:${ref.sku}:${difference.field}`,
      acknowledged_at: null,
      resolved_at: resolvedAt,
      resolved_by: ignored ? ownerId : null,
      created_at: createdAt,
      updated_at: resolvedAt ?? createdAt,
    });
    if (difference.type === "PRICE") {
      const pct = variancePct(String(difference.amazon), String(difference.medusa));
      if (pct > MAX_PRICE_VARIANCE_PCT) {
        alerts.push({
          type: "PRICE_VARIANCE",
          priority: pct > 15 ? "HIGH" : "MEDIUM",
          status: ignored ? "ACKNOWLEDGED" : "OPEN",
          title: `Price differs by ${pct}% on ${ref.sku}`,
          message: `Medusa Store sells ${ref.title} at $${difference.medusa}, Amazon US at $${difference.amazon} (limit ${MAX_PRICE_VARIANCE_PCT}%).`,
          payload: { sku: ref.sku, prices: values, variancePct: pct, maxVariancePct: MAX_PRICE_VARIANCE_PCT },
          product_id: ref.id,
          job_id: jobId,
          conflict_id: conflictId,
          dedupe_key: `PRICE_VARIANCE:${ref.sku}`,
          acknowledged_at: resolvedAt,
          resolved_at: null,
          resolved_by: null,
          created_at: createdAt,
          updated_at: resolvedAt ?? createdAt,
        });
      }
    }
  }

  // Resolved conflicts: past disagreements settled in Amazon's favour, so both sides agree today.
  for (const { ref, product } of notes.resolved) {
    const typeRoll = hashUnit(seed, ref.index, SALT.resolvedType);
    const delta = hashUnit(seed, ref.index, SALT.resolvedDelta);
    let type: DemoDifference["type"];
    let field: DemoDifference["field"];
    let amazonValue: string | number;
    let oldMedusa: string | number;
    // Amazon-only states (SUPPRESSED, INCOMPLETE) have no Medusa equivalent to resolve to.
    const statusComparable = product.amazon.status === "ACTIVE" || product.amazon.status === "INACTIVE";
    if (typeRoll < 0.4) {
      type = "PRICE";
      field = "price";
      amazonValue = product.amazon.price;
      const pct = (0.03 + 0.12 * delta) * (hashUnit(seed, ref.index, SALT.resolvedDelta, 1) < 0.5 ? 1 : -1);
      oldMedusa = shiftPrice(product.amazon.price, pct);
    } else if (typeRoll < 0.85 || !statusComparable) {
      type = "QUANTITY";
      field = "quantity";
      amazonValue = available(product);
      oldMedusa = available(product) + 1 + Math.floor(8 * delta);
    } else {
      type = "STATUS";
      field = "status";
      amazonValue = product.amazon.status;
      oldMedusa = product.medusa?.status === "ACTIVE" ? "INACTIVE" : "ACTIVE";
    }
    const manual = hashUnit(seed, ref.index, SALT.resolvedMode) < 0.3;
    const fromLatest = !manual && hashUnit(seed, ref.index, SALT.resolvedJob) < 0.5;
    const jobId = fromLatest ? jobIds.latest : jobIds.previous;
    const window = fromLatest ? latest : previous;
    const createdAt = during(window, 0.3 + 0.4 * hashUnit(seed, ref.index, SALT.alertAge));
    const resolvedAt = manual
      ? new Date(
          Math.min(
            now - 5 * MINUTE,
            window.end + (1 + 18 * hashUnit(seed, ref.index, SALT.resolvedJob)) * HOUR,
          ),
        )
      : during(window, 0.75 + 0.2 * hashUnit(seed, ref.index, SALT.resolvedJob));
    const resolvedBy = manual ? ownerId : "system";
    const conflictId = randomUUID();
    const values = { AMAZON: amazonValue, MEDUSA: oldMedusa };
    const reason = `${label(type)} conflict resolved by ${STRATEGY}: Amazon US (priority 1) wins`;
    count(jobId).conflicts += 1;
    conflicts.push({
      id: conflictId,
      product_id: ref.id,
      job_id: jobId,
      sku: ref.sku,
      type,
      field,
      values,
      strategy: STRATEGY,
      status: "RESOLVED",
      resolved_value: amazonValue,
      resolution: {
        strategy: STRATEGY,
        mode: manual ? "MANUAL" : "AUTOMATIC",
        winner: "AMAZON",
        appliedTo: ["MEDUSA"],
        reason: "Amazon US has the highest priority (1)",
      },
      resolved_at: resolvedAt,
      resolved_by: resolvedBy,
      created_at: createdAt,
      updated_at: resolvedAt,
    });
    alerts.push({
      type: "SYNC_CONFLICT",
      priority: type === "STATUS" ? "LOW" : "MEDIUM",
      status: "RESOLVED",
      title: `${label(type)} conflict on ${ref.sku}`,
      message: `Amazon US had ${amazonValue} and Medusa Store had ${oldMedusa} for ${ref.title}.`,
      payload: { sku: ref.sku, field, values, strategy: STRATEGY, resolvedValue: amazonValue },
      product_id: ref.id,
      job_id: jobId,
      conflict_id: conflictId,
      dedupe_key: `SYNC_CONFLICT:${ref.sku}:${field}`,
      acknowledged_at: null,
      resolved_at: resolvedAt,
      resolved_by: resolvedBy,
      created_at: createdAt,
      updated_at: resolvedAt,
    });
    if (manual) {
      history.push({
        product_id: ref.id,
        sku: ref.sku,
        job_id: null,
        actor_type: "USER",
        actor_id: ownerId,
        platform: "MEDUSA",
        connection_id: medusaId,
        field,
        old_value: oldMedusa,
        new_value: amazonValue,
        reason,
        created_at: resolvedAt,
      });
    } else {
      jobWrite({
        jobId,
        ref,
        platform: "MEDUSA",
        field,
        from: oldMedusa,
        to: amazonValue,
        status: "APPLIED",
        at: resolvedAt,
        reason,
      });
    }
  }

  // Sales on one channel that the two full syncs carried to the other.
  for (const { ref, product } of notes.propagated) {
    const fromLatest = hashUnit(seed, ref.index, SALT.propagate) < 0.5;
    const platform: Platform = hashUnit(seed, ref.index, SALT.propagate, 2) < 0.65 ? "MEDUSA" : "AMAZON";
    const avail = available(product);
    jobWrite({
      jobId: fromLatest ? jobIds.latest : jobIds.previous,
      ref,
      platform,
      field: "quantity",
      from: avail + 1 + Math.floor(4 * hashUnit(seed, ref.index, SALT.propagate, 3)),
      to: avail,
      status: "APPLIED",
      at: during(fromLatest ? latest : previous, 0.8 + 0.15 * hashUnit(seed, ref.index, SALT.propagate, 1)),
      reason: `Sale on ${platform === "MEDUSA" ? "Amazon US" : "Medusa Store"}: quantity decrease propagated`,
    });
  }

  // Stock alerts for the Amazon listings that are live.
  for (const { ref, product, available: avail } of notes.stock) {
    const out = avail <= OUT_OF_STOCK_THRESHOLD;
    const { amazon } = product;
    const createdAt = at(Math.round((0.5 + 70 * hashUnit(seed, ref.index, SALT.alertAge)) * HOUR));
    const acknowledged = hashUnit(seed, ref.index, SALT.alertAck) < 0.2;
    const acknowledgedAt = acknowledged
      ? new Date(Math.min(now - MINUTE, createdAt.getTime() + 40 * MINUTE))
      : null;
    const inbound = amazon.inbound > 0 ? ` ${amazon.inbound} units are inbound to FBA.` : "";
    const rank = amazon.isBestseller ? ` Bestseller, sales rank #${amazon.salesRank}.` : "";
    const type = out ? "OUT_OF_STOCK" : "LOW_STOCK";
    alerts.push({
      type,
      // Running out of a bestseller costs the most; that alone is critical.
      priority: out ? (amazon.isBestseller ? "CRITICAL" : "HIGH") : "MEDIUM",
      status: acknowledged ? "ACKNOWLEDGED" : "OPEN",
      title: out ? `Out of stock on Amazon US: ${ref.sku}` : `Low stock on Amazon US: ${ref.sku}`,
      message: out
        ? `${ref.title} has no units available.${inbound}${rank}`
        : `${ref.title} has ${avail} units available (threshold ${LOW_STOCK_THRESHOLD}).${inbound}${rank}`,
      payload: {
        sku: ref.sku,
        asin: ref.asin,
        platform: "AMAZON",
        available: avail,
        threshold: out ? OUT_OF_STOCK_THRESHOLD : LOW_STOCK_THRESHOLD,
        inbound: amazon.inbound,
        fulfillmentChannel: amazon.fulfillmentChannel,
        isBestseller: amazon.isBestseller,
        salesRank: amazon.salesRank,
      },
      product_id: ref.id,
      job_id: null,
      conflict_id: null,
      dedupe_key: `${type}:AMAZON:${ref.sku}`,
      acknowledged_at: acknowledgedAt,
      resolved_at: null,
      resolved_by: null,
      created_at: createdAt,
      updated_at: acknowledgedAt ?? createdAt,
    });
  }
  for (const { ref, available: avail } of notes.restocked) {
    const createdAt = at(Math.round((3 + 10 * hashUnit(seed, ref.index, SALT.alertAge)) * DAY));
    const resolvedAt = new Date(createdAt.getTime() + 2 * DAY);
    alerts.push({
      type: "LOW_STOCK",
      priority: "MEDIUM",
      status: "RESOLVED",
      title: `Low stock on Amazon US: ${ref.sku}`,
      message: `${ref.title} had 4 units available (threshold ${LOW_STOCK_THRESHOLD}); restocked to ${avail}.`,
      payload: {
        sku: ref.sku,
        asin: ref.asin,
        platform: "AMAZON",
        available: 4,
        threshold: LOW_STOCK_THRESHOLD,
      },
      product_id: ref.id,
      job_id: null,
      conflict_id: null,
      dedupe_key: `LOW_STOCK:AMAZON:${ref.sku}`,
      acknowledged_at: new Date(createdAt.getTime() + 2 * HOUR),
      resolved_at: resolvedAt,
      resolved_by: "system",
      created_at: createdAt,
      updated_at: resolvedAt,
    });
  }
  for (const ref of notes.stale) {
    alerts.push({
      type: "STALE_DATA",
      priority: "LOW",
      status: "OPEN",
      title: `Medusa Store has not confirmed ${ref.sku} for over two days`,
      message: `The last confirmed quantity and price of ${ref.title} on Medusa Store are more than 48 hours old.`,
      payload: { sku: ref.sku, platform: "MEDUSA", maxAgeHours: 48 },
      product_id: ref.id,
      job_id: null,
      conflict_id: null,
      dedupe_key: `STALE_DATA:MEDUSA:${ref.sku}`,
      acknowledged_at: null,
      resolved_at: null,
      resolved_by: null,
      created_at: at(2 * HOUR),
      updated_at: at(2 * HOUR),
    });
  }

  // The latest full sync: writes that would have fixed a few differences were rejected (the conflicts stay
  // open), and two accepted writes never showed up on Medusa.
  const sample = notes.sample;
  const fixable = notes.differences.filter((d) => d.difference.type !== "STATUS").slice(0, 3);
  for (const [i, { ref, difference }] of fixable.entries()) {
    jobWrite({
      jobId: jobIds.latest,
      ref,
      platform: "MEDUSA",
      field: difference.field,
      from: difference.medusa,
      to: difference.amazon,
      status: "FAILED",
      at: during(latest, 0.9 + i * 0.01),
      error: { message: "Variant was not found", code: "not_found", attempts: 3 },
    });
  }
  for (const [i, { ref, product }] of sample.slice(0, 2).entries()) {
    const avail = available(product);
    const acceptedAt = during(latest, 0.92 + i * 0.01);
    jobWrite({
      jobId: jobIds.latest,
      ref,
      platform: "MEDUSA",
      field: "quantity",
      from: avail + 2,
      to: avail,
      status: "APPLIED",
      at: acceptedAt,
      reason: "Sale on Amazon US: quantity decrease propagated",
    });
    const raisedAt = new Date(acceptedAt.getTime() + 15 * MINUTE);
    alerts.push({
      type: "UNCONFIRMED_WRITE",
      priority: "MEDIUM",
      status: i === 0 ? "OPEN" : "ACKNOWLEDGED",
      title: `Quantity write to Medusa Store not confirmed: ${ref.sku}`,
      message: `Medusa Store accepted quantity ${avail} for ${ref.title}, but no read since has confirmed it.`,
      payload: { sku: ref.sku, platform: "MEDUSA", field: "quantity", expected: avail, acceptedAt },
      product_id: ref.id,
      job_id: jobIds.latest,
      conflict_id: null,
      dedupe_key: `UNCONFIRMED_WRITE:MEDUSA:${ref.sku}:quantity`,
      acknowledged_at: i === 0 ? null : at(10 * MINUTE),
      resolved_at: null,
      resolved_by: null,
      created_at: raisedAt,
      updated_at: raisedAt,
    });
  }

  const jobs: Job[] = [];
  const fullResults = (jobId: string, fetched: number, durationMs: number) => {
    const c = count(jobId).platform;
    return {
      AMAZON: { status: c.AMAZON.failed ? "PARTIAL" : "SUCCEEDED", fetched, ...c.AMAZON, durationMs },
      MEDUSA: {
        status: c.MEDUSA.failed ? "PARTIAL" : "SUCCEEDED",
        fetched: Math.round(fetched * 0.85),
        ...c.MEDUSA,
        durationMs: Math.round(durationMs * 0.6),
      },
    };
  };
  for (const [jobId, window, trigger] of [
    [jobIds.latest, latest, "MANUAL"],
    [jobIds.previous, previous, "SCHEDULE"],
  ] as const) {
    const c = count(jobId);
    jobs.push({
      id: jobId,
      type: "FULL",
      status: "SUCCEEDED",
      trigger,
      dryRun: false,
      platforms: ["AMAZON", "MEDUSA"],
      filters: {},
      totalItems: total,
      processedItems: total,
      updatedItems: c.updated,
      conflictCount: c.conflicts,
      failedItems: c.failed,
      platformResults: fullResults(jobId, total, window.end - window.start),
      checkpoint: null,
      error: null,
      createdById: trigger === "MANUAL" ? ownerId : null,
      cancelRequestedAt: null,
      startedAt: new Date(window.start),
      finishedAt: new Date(window.end),
      createdAt: new Date(window.start - 1_200),
    });
  }

  // A quiet incremental run that found nothing to change.
  const incremental = Math.min(total, 12 + Math.ceil(total * 0.01));
  jobs.push({
    ...blankJob(),
    type: "INCREMENTAL",
    status: "SUCCEEDED",
    trigger: "SCHEDULE",
    filters: { changedSince: at(5 * HOUR + 30 * MINUTE) },
    totalItems: incremental,
    processedItems: incremental,
    platformResults: {
      AMAZON: { status: "SUCCEEDED", fetched: incremental, updated: 0, failed: 0, durationMs: 6_400 },
      MEDUSA: { status: "SUCCEEDED", fetched: incremental, updated: 0, failed: 0, durationMs: 2_100 },
    },
    startedAt: at(5 * HOUR - 1_000),
    finishedAt: at(5 * HOUR - 9_500),
    createdAt: at(5 * HOUR),
  });

  // A failed incremental run: Amazon throttled the writes until the retries ran out.
  const failedJobId = randomUUID();
  const failedWindow = { start: now - 3 * HOUR, end: now - 3 * HOUR + 95_000 };
  const throttled = sample.slice(2, 14);
  for (const [i, { ref, product }] of throttled.entries()) {
    const avail = available(product);
    jobWrite({
      jobId: failedJobId,
      ref,
      platform: "AMAZON",
      field: "quantity",
      from: avail,
      to: Math.max(0, avail - 1 - (i % 3)),
      status: "FAILED",
      at: during(failedWindow, 0.5 + i * 0.03),
      error: {
        message: "You exceeded your quota for the requested resource.",
        code: "QuotaExceeded",
        attempts: 5,
      },
    });
  }
  for (const [i, { ref, product }] of sample.slice(14, 20).entries()) {
    const avail = available(product);
    jobWrite({
      jobId: failedJobId,
      ref,
      platform: "MEDUSA",
      field: "quantity",
      from: avail + 1,
      to: avail,
      status: "APPLIED",
      at: during(failedWindow, 0.3 + i * 0.02),
      reason: "Sale on Amazon US: quantity decrease propagated",
    });
  }
  const failed = count(failedJobId);
  const failedTotal = Math.max(failed.updated + failed.failed, Math.ceil(total * 0.012));
  const failedError = `Amazon SP-API throttled patchListingsItem (429 QuotaExceeded) after 5 attempts; ${failed.failed} quantity updates were not applied`;
  jobs.push({
    ...blankJob(),
    id: failedJobId,
    type: "INCREMENTAL",
    status: "FAILED",
    trigger: "WEBHOOK",
    filters: { changedSince: at(3 * HOUR + 30 * MINUTE) },
    totalItems: failedTotal,
    processedItems: Math.min(failedTotal, failed.updated + failed.failed + Math.floor(failedTotal * 0.3)),
    updatedItems: failed.updated,
    failedItems: failed.failed,
    platformResults: {
      AMAZON: {
        status: "FAILED",
        fetched: failedTotal,
        ...failed.platform.AMAZON,
        throttled: 37,
        durationMs: 88_000,
      },
      MEDUSA: { status: "SUCCEEDED", fetched: failedTotal, ...failed.platform.MEDUSA, durationMs: 4_300 },
    },
    checkpoint: { phase: "APPLYING", platform: "AMAZON", afterSku: throttled[0]?.ref.sku ?? null },
    error: failedError,
    startedAt: new Date(failedWindow.start),
    finishedAt: new Date(failedWindow.end),
    createdAt: new Date(failedWindow.start - 600),
  });
  alerts.push({
    type: "SYNC_ERROR",
    priority: "HIGH",
    status: "OPEN",
    title: "Incremental sync failed: Amazon US throttled the updates",
    message: failedError,
    payload: {
      jobId: failedJobId,
      platform: "AMAZON",
      errorCode: "QuotaExceeded",
      failedItems: failed.failed,
    },
    product_id: null,
    job_id: failedJobId,
    conflict_id: null,
    dedupe_key: `SYNC_ERROR:${failedJobId}`,
    acknowledged_at: null,
    resolved_at: null,
    resolved_by: null,
    created_at: new Date(failedWindow.end + 500),
    updated_at: new Date(failedWindow.end + 500),
  });

  // An older failure, since dealt with: the Medusa store was unreachable for a while.
  const outageJobId = randomUUID();
  const outageStart = now - 4 * DAY - 3 * HOUR;
  const outageEnd = outageStart + jobDuration(total) + 31_000;
  const outageError = "Medusa Store unreachable: connect ECONNREFUSED (3 attempts)";
  jobs.push({
    ...blankJob(),
    id: outageJobId,
    type: "FULL",
    status: "FAILED",
    trigger: "SCHEDULE",
    totalItems: total,
    platformResults: {
      AMAZON: { status: "SUCCEEDED", fetched: total, updated: 0, failed: 0, durationMs: jobDuration(total) },
      MEDUSA: {
        status: "FAILED",
        fetched: 0,
        updated: 0,
        failed: 0,
        error: "ECONNREFUSED",
        durationMs: 31_000,
      },
    },
    checkpoint: { phase: "FETCHING", platform: "MEDUSA", cursor: null },
    error: outageError,
    startedAt: new Date(outageStart),
    finishedAt: new Date(outageEnd),
    createdAt: new Date(outageStart - 700),
  });
  alerts.push({
    type: "SYNC_ERROR",
    priority: "HIGH",
    status: "RESOLVED",
    title: "Full sync failed: Medusa Store unreachable",
    message: outageError,
    payload: { jobId: outageJobId, platform: "MEDUSA", errorCode: "ECONNREFUSED" },
    product_id: null,
    job_id: outageJobId,
    conflict_id: null,
    dedupe_key: `SYNC_ERROR:${outageJobId}`,
    acknowledged_at: new Date(outageEnd + 2 * HOUR),
    resolved_at: new Date(outageEnd + 5 * HOUR),
    resolved_by: ownerId,
    created_at: new Date(outageEnd + 500),
    updated_at: new Date(outageEnd + 5 * HOUR),
  });

  // A partial sync of a handful of SKUs, cancelled halfway by the owner.
  const cancelledJobId = randomUUID();
  const cancelledSkus = sample.slice(20, 45);
  const cancelWindow = { start: now - 2 * HOUR, end: now - 2 * HOUR + 10_000 };
  for (const [i, { ref, product }] of cancelledSkus.entries()) {
    const avail = available(product);
    const applied = i < 11;
    // An applied write ends at today's value; a skipped one would have changed it.
    jobWrite({
      jobId: cancelledJobId,
      ref,
      platform: "MEDUSA",
      field: "quantity",
      from: applied ? avail + 1 : avail,
      to: applied ? avail : Math.max(0, avail - 1),
      status: applied ? "APPLIED" : "SKIPPED",
      at: during(cancelWindow, Math.min(1, i * 0.04)),
      reason: "Partial sync: quantity aligned with Amazon US",
      error: applied ? undefined : { message: "Job cancelled", code: "CANCELLED", attempts: 0 },
    });
  }
  const cancelled = count(cancelledJobId);
  jobs.push({
    ...blankJob(),
    id: cancelledJobId,
    type: "PARTIAL",
    status: "CANCELLED",
    trigger: "MANUAL",
    filters: { skus: cancelledSkus.map((s) => s.ref.sku) },
    totalItems: cancelledSkus.length,
    processedItems: cancelled.updated,
    updatedItems: cancelled.updated,
    platformResults: {
      AMAZON: {
        status: "CANCELLED",
        fetched: cancelledSkus.length,
        updated: 0,
        failed: 0,
        durationMs: 4_100,
      },
      MEDUSA: {
        status: "CANCELLED",
        fetched: cancelledSkus.length,
        ...cancelled.platform.MEDUSA,
        durationMs: 5_200,
      },
    },
    checkpoint: { phase: "APPLYING", afterSku: cancelledSkus[10]?.ref.sku ?? null },
    createdById: ownerId,
    cancelRequestedAt: new Date(cancelWindow.end - 1_500),
    startedAt: new Date(cancelWindow.start),
    finishedAt: new Date(cancelWindow.end),
    createdAt: new Date(cancelWindow.start - 400),
  });

  // Only finished jobs: nothing would ever run a seeded job to its end, so no seeded job is shown running.
  // Running states come from real syncs, which the demo runs against the sandbox.
  await insertJobs(client, jobs, now);
  const jobCreatedAt = new Map(jobs.map((j) => [j.id, j.createdAt]));
  for (const row of itemRows) items.push({ ...row, job_created_at: jobCreatedAt.get(row.job_id as string) });
  await items.flush(client);
  await conflicts.flush(client);
  await alerts.flush(client);
  await history.flush(client);
}

interface Window {
  start: number;
  end: number;
}

function during(window: Window, fraction: number): Date {
  return new Date(window.start + (window.end - window.start) * fraction);
}

/** How long a full sync of this many items takes in the demo's story. */
function jobDuration(items: number): number {
  return Math.max(20_000, Math.round(items * 2.2));
}

function blankJob(): Job {
  return {
    id: randomUUID(),
    type: "FULL",
    status: "PENDING",
    trigger: "MANUAL",
    dryRun: false,
    platforms: ["AMAZON", "MEDUSA"],
    filters: {},
    totalItems: 0,
    processedItems: 0,
    updatedItems: 0,
    conflictCount: 0,
    failedItems: 0,
    platformResults: {},
    checkpoint: null,
    error: null,
    createdById: null,
    cancelRequestedAt: null,
    startedAt: null,
    finishedAt: null,
    createdAt: new Date(0),
  };
}

async function insertJobs(client: pg.ClientBase, jobs: Job[], now: number): Promise<void> {
  const table = new BulkInsert("sync_jobs", {
    id: "uuid",
    type: { enum: "SyncJobType" },
    status: { enum: "SyncJobStatus" },
    trigger: { enum: "SyncTrigger" },
    dry_run: "bool",
    platforms: { enumArray: "PlatformKind" },
    filters: "jsonb",
    total_items: "int4",
    processed_items: "int4",
    updated_items: "int4",
    conflict_count: "int4",
    failed_items: "int4",
    platform_results: "jsonb",
    checkpoint: "jsonb",
    error: "text",
    created_by_id: "uuid",
    cancel_requested_at: "timestamptz",
    started_at: "timestamptz",
    finished_at: "timestamptz",
    created_at: "timestamptz",
    updated_at: "timestamptz",
  });
  for (const job of jobs) {
    table.push({
      id: job.id,
      type: job.type,
      status: job.status,
      trigger: job.trigger,
      dry_run: job.dryRun,
      platforms: job.platforms,
      filters: job.filters,
      total_items: job.totalItems,
      processed_items: job.processedItems,
      updated_items: job.updatedItems,
      conflict_count: job.conflictCount,
      failed_items: job.failedItems,
      platform_results: job.platformResults,
      checkpoint: job.checkpoint,
      error: job.error,
      created_by_id: job.createdById,
      cancel_requested_at: job.cancelRequestedAt,
      started_at: job.startedAt,
      finished_at: job.finishedAt,
      created_at: job.createdAt,
      updated_at: job.finishedAt ?? new Date(now),
    });
  }
  await table.flush(client);
}

function label(type: DemoDifference["type"]): string {
  return type === "PRICE" ? "Price" : type === "QUANTITY" ? "Quantity" : "Status";
}

function ignoreNote(difference: DemoDifference): string {
  if (difference.type === "PRICE") return "Store price includes a running promotion";
  if (difference.type === "QUANTITY") return "Units held back for a wholesale order";
  return "Paused on the store on purpose";
}
