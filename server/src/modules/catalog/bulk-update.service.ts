import { createHash } from "node:crypto";
import type { FastifyBaseLogger } from "fastify";
import type { UserError } from "../../graphql/errors";
import type { Actor } from "../../platform/auth/actor";
import type { TenantDb, Tx } from "../../platform/db";
import { evaluateItemAlerts } from "../alerts";
import { writeHistory } from "../history/history.writer";
import { enqueueJob, planJob, type SyncRuntime } from "../sync";
import {
  applyPolicy,
  type BulkRow,
  bulkRowLimit,
  type CurrentItem,
  checkRow,
  type ErrorPolicyName,
  limitToWritable,
  publishedQuantity,
  type RowCheck,
  type RowResult,
  type SkippedWrite,
  type StatusValue,
  type UpdatableField,
} from "./bulk-update.rules";

export const BULK_UPDATE_OPERATION = "bulkUpdateInventory";
type Platform = "AMAZON" | "MEDUSA" | "SHOPIFY" | "EBAY" | "WOOCOMMERCE" | "CUSTOM";

export interface BulkUpdateRequest {
  updates: BulkRow[];
  platforms?: Platform[] | null;
  dryRun: boolean;
  errorPolicy: ErrorPolicyName;
  idempotencyKey?: string | null;
}

export interface BulkUpdateOutcome {
  jobId: string | null;
  results: RowResult[];
  userErrors: UserError[];
  replayed: boolean;
}

interface TargetConnection {
  id: string;
  kind: Platform;
  stockPercentage: number;
  stockBuffer: number;
  stockMax: number | null;
}

interface ListingRow {
  id: string;
  productId: string;
  connectionId: string;
  quantity: number;
  price: string | null;
  status: StatusValue;
}

type PlanItem = Parameters<typeof planJob>[1]["items"][number];

/** Stable hash of what the request asks for (the key itself left out), to tell a replay from a reuse. */
export function requestHash(request: BulkUpdateRequest): string {
  const canonical = {
    updates: request.updates.map((u) => [
      u.sku,
      u.quantity ?? null,
      u.quantityDelta ?? null,
      u.price ?? null,
      u.status ?? null,
      u.expectedQuantity ?? null,
    ]),
    platforms: request.platforms ? [...request.platforms].sort() : null,
    dryRun: request.dryRun,
    errorPolicy: request.errorPolicy,
  };
  return createHash("sha256").update(JSON.stringify(canonical)).digest("hex");
}

function requestErrors(request: BulkUpdateRequest, maxRows: number): UserError[] {
  const errors: UserError[] = [];
  if (request.updates.length === 0) {
    errors.push({ field: ["updates"], code: "EMPTY", message: "Give at least one row" });
  } else if (request.updates.length > maxRows) {
    errors.push({
      field: ["updates"],
      code: "TOO_MANY_ROWS",
      message: `${request.updates.length} rows; at most ${maxRows} per call`,
    });
  }
  const key = request.idempotencyKey;
  if (key != null && (key.length === 0 || key.length > 255)) {
    errors.push({
      field: ["idempotencyKey"],
      code: "INVALID",
      message: "The key must be 1 to 255 characters",
    });
  }
  return errors;
}

/** Every row rejected: the shape of a call refused as a whole. */
function rejectAll(checks: RowCheck[] | BulkRow[]): RowResult[] {
  return checks.map((c, index) =>
    "errors" in c
      ? {
          index: c.index,
          sku: c.sku,
          status: c.errors.length ? "FAILED" : "REJECTED",
          errors: c.errors,
          skipped: [],
        }
      : { index, sku: c.sku, status: "REJECTED", errors: [], skipped: [] },
  );
}

/**
 * Claims the idempotency key for this transaction, waiting for a concurrent holder to finish. Returns the
 * stored outcome for a replay, a userError for a reuse, or null when this call owns the key.
 */
async function claimKey(
  tx: Tx,
  key: string,
  hash: string,
  updates: BulkRow[],
): Promise<BulkUpdateOutcome | null> {
  const claimed = await tx.$queryRaw<{ key: string }[]>`
    INSERT INTO idempotency_keys (key, operation, request_hash, response)
    VALUES (${key}, ${BULK_UPDATE_OPERATION}, ${hash}, 'null'::jsonb)
    ON CONFLICT DO NOTHING RETURNING key`;
  if (claimed.length > 0) return null;
  const stored = await tx.idempotencyKey.findFirst({ where: { key } });
  if (stored && stored.operation === BULK_UPDATE_OPERATION && stored.requestHash === hash) {
    const response = stored.response as unknown as Omit<BulkUpdateOutcome, "replayed">;
    // Results stored before rows reported skipped platforms have none.
    const results = response.results.map((r) => ({ ...r, skipped: r.skipped ?? [] }));
    return { ...response, results, replayed: true };
  }
  return {
    jobId: null,
    results: rejectAll(updates),
    userErrors: [
      {
        field: ["idempotencyKey"],
        code: "IDEMPOTENCY_KEY_REUSED",
        message: "This key was used for a different request; use a new key for a new request",
      },
    ],
    replayed: false,
  };
}

async function targetConnections(tx: Tx, platforms: Platform[] | null | undefined) {
  const enabled = await tx.platformConnection.findMany({
    where: { enabled: true },
    orderBy: [{ priority: "asc" }, { name: "asc" }],
  });
  const byKind = new Map<Platform, TargetConnection>();
  // A job item is keyed by platform kind: the highest-priority enabled account of a kind takes part.
  for (const c of enabled) if (!byKind.has(c.kind)) byKind.set(c.kind, c);
  const errors: UserError[] = [];
  if (!platforms) return { targets: [...byKind.values()], errors };
  const targets: TargetConnection[] = [];
  platforms.forEach((kind, i) => {
    const target = byKind.get(kind);
    if (!target) {
      errors.push({
        field: ["platforms", String(i)],
        code: "NOT_CONNECTED",
        message: `No enabled ${kind} connection`,
      });
    } else if (!targets.includes(target)) targets.push(target);
  });
  return { targets, errors };
}

async function loadItems(tx: Tx, skus: string[], lock: boolean) {
  const rows = lock
    ? await tx.$queryRaw<(CurrentItem & { fulfillmentChannel: string })[]>`
        SELECT id, product_id AS "productId", sku, quantity, reserved_quantity AS "reservedQuantity",
               price::text AS price, status::text AS status, fulfillment_channel::text AS "fulfillmentChannel"
          FROM seller_inventory WHERE sku = ANY(${skus}::text[]) ORDER BY id FOR UPDATE`
    : await tx.$queryRaw<(CurrentItem & { fulfillmentChannel: string })[]>`
        SELECT id, product_id AS "productId", sku, quantity, reserved_quantity AS "reservedQuantity",
               price::text AS price, status::text AS status, fulfillment_channel::text AS "fulfillmentChannel"
          FROM seller_inventory WHERE sku = ANY(${skus}::text[])`;
  return new Map(rows.map((r) => [r.sku, r]));
}

async function loadListings(tx: Tx, productIds: string[], connectionIds: string[], lock: boolean) {
  if (productIds.length === 0 || connectionIds.length === 0) return [];
  return lock
    ? tx.$queryRaw<ListingRow[]>`
        SELECT id, product_id AS "productId", connection_id AS "connectionId", quantity, price::text AS price,
               status::text AS status
          FROM product_listings
         WHERE product_id = ANY(${productIds}::uuid[]) AND connection_id = ANY(${connectionIds}::uuid[])
         ORDER BY id FOR UPDATE`
    : tx.$queryRaw<ListingRow[]>`
        SELECT id, product_id AS "productId", connection_id AS "connectionId", quantity, price::text AS price,
               status::text AS status
          FROM product_listings
         WHERE product_id = ANY(${productIds}::uuid[]) AND connection_id = ANY(${connectionIds}::uuid[])`;
}

interface Writes {
  items: { id: string; quantity: number; price: string | null; status: string }[];
  listings: { id: string; quantity: number; price: string | null; status: string }[];
  plan: PlanItem[];
}

const targetKind = (targets: TargetConnection[], listing: ListingRow) =>
  targets.find((t) => t.id === listing.connectionId)!.kind;

/** The fields each listing's platform sets itself (by listing id), as the platform's rules say. */
function managedFields(
  runtime: SyncRuntime,
  targets: TargetConnection[],
  listings: ListingRow[],
  items: Map<string, CurrentItem & { fulfillmentChannel: string }>,
): Map<string, UpdatableField[]> {
  const channel = new Map([...items.values()].map((i) => [i.productId, i.fulfillmentChannel]));
  return new Map(
    listings.map((l) => [
      l.id,
      runtime.connections
        .rules(targetKind(targets, l))
        .managedFields({ fulfillmentChannel: channel.get(l.productId) }),
    ]),
  );
}

/** Holds each row to what its target listings can take (see limitToWritable); the skipped platforms by row. */
function limitRows(
  checks: RowCheck[],
  rows: BulkRow[],
  listings: ListingRow[],
  targets: TargetConnection[],
  managed: Map<string, UpdatableField[]>,
): Map<number, SkippedWrite[]> {
  const listed = new Map<string, ListingRow[]>();
  for (const l of listings)
    if (l.status !== "DELETED") listed.set(l.productId, [...(listed.get(l.productId) ?? []), l]);
  const skipped = new Map<number, SkippedWrite[]>();
  for (const check of checks) {
    if (!check.item) continue;
    const own = listed.get(check.item.productId) ?? [];
    const found = limitToWritable(
      check,
      rows[check.index]!,
      own.map((l) => ({ platform: targetKind(targets, l), managed: managed.get(l.id) ?? [] })),
    );
    if (found.length > 0) skipped.set(check.index, found);
  }
  return skipped;
}

/** What the applied rows change: our record, each target listing's intended values, and the job's items. */
function computeWrites(
  rows: RowCheck[],
  managed: Map<string, UpdatableField[]>,
  targets: TargetConnection[],
  listings: ListingRow[],
  compareAndSet: Set<string>,
): Writes {
  const listingsByProduct = new Map<string, ListingRow[]>();
  for (const l of listings) {
    const list = listingsByProduct.get(l.productId) ?? [];
    list.push(l);
    listingsByProduct.set(l.productId, list);
  }
  const targetById = new Map(targets.map((t) => [t.id, t]));
  const writes: Writes = { items: [], listings: [], plan: [] };
  for (const row of rows) {
    const item = row.item!;
    const next = { quantity: item.quantity, price: item.price, status: item.status as string };
    for (const c of row.changes) (next as Record<string, unknown>)[c.field] = c.to;
    writes.items.push({ id: item.id, ...next });
    const changed = new Set(row.changes.map((c) => c.field));
    for (const listing of listingsByProduct.get(item.productId) ?? []) {
      // A deleted listing is not on the platform any more: a write would create one there.
      if (listing.status === "DELETED") continue;
      const target = targetById.get(listing.connectionId)!;
      const intended = { quantity: listing.quantity, price: listing.price, status: listing.status as string };
      const ownFields = managed.get(listing.id) ?? [];
      if (changed.has("quantity") && !ownFields.includes("quantity")) {
        intended.quantity = publishedQuantity(next.quantity - item.reservedQuantity, target);
      }
      if (changed.has("price") && !ownFields.includes("price")) intended.price = next.price;
      if (changed.has("status") && !ownFields.includes("status")) intended.status = next.status;
      let differs = false;
      for (const field of ["quantity", "price", "status"] as const) {
        if (intended[field] === listing[field]) continue;
        differs = true;
        writes.plan.push({
          productId: item.productId,
          sku: item.sku,
          platform: target.kind,
          field,
          fromValue: listing[field],
          toValue: intended[field],
          expectedQuantity: field === "quantity" && compareAndSet.has(item.sku) ? listing.quantity : null,
        });
      }
      if (differs) writes.listings.push({ id: listing.id, ...intended });
    }
  }
  return writes;
}

async function writeLocal(tx: Tx, writes: Writes) {
  const { items, listings } = writes;
  if (items.length > 0) {
    await tx.$executeRaw`
      UPDATE seller_inventory AS s
         SET quantity = v.quantity, price = v.price, status = v.status::"ListingStatus", updated_at = now()
        FROM unnest(${items.map((i) => i.id)}::uuid[], ${items.map((i) => i.quantity)}::int[],
                    ${items.map((i) => i.price)}::numeric[], ${items.map((i) => i.status)}::text[])
             AS v(id, quantity, price, status)
       WHERE s.id = v.id`;
  }
  if (listings.length > 0) {
    await tx.$executeRaw`
      UPDATE product_listings AS l
         SET quantity = v.quantity, price = v.price, status = v.status::"ListingStatus", updated_at = now()
        FROM unnest(${listings.map((i) => i.id)}::uuid[], ${listings.map((i) => i.quantity)}::int[],
                    ${listings.map((i) => i.price)}::numeric[], ${listings.map((i) => i.status)}::text[])
             AS v(id, quantity, price, status)
       WHERE l.id = v.id`;
  }
}

/**
 * Validates every row, applies what the error policy lets through to our record and the target listings in
 * one transaction, records history, and plans one BULK_UPDATE job that the queue picks up after commit.
 */
export async function bulkUpdateInventory(
  db: TenantDb,
  runtime: SyncRuntime,
  actor: Actor,
  request: BulkUpdateRequest,
  log?: FastifyBaseLogger,
  maxRows?: number,
): Promise<BulkUpdateOutcome> {
  const invalid = requestErrors(request, bulkRowLimit(maxRows));
  if (invalid.length > 0) {
    return { jobId: null, results: rejectAll(request.updates), userErrors: invalid, replayed: false };
  }
  const hash = requestHash(request);
  const outcome = await db.transaction(
    async (tx): Promise<BulkUpdateOutcome> => {
      const key = request.idempotencyKey;
      if (key != null) {
        const earlier = await claimKey(tx, key, hash, request.updates);
        if (earlier) return earlier;
      }
      const { targets, errors: platformErrors } = await targetConnections(tx, request.platforms);
      const lock = !request.dryRun;
      const current = await loadItems(
        tx,
        request.updates.map((u) => u.sku),
        lock,
      );
      const seen = new Set<string>();
      const checks = request.updates.map((row, i) => checkRow(i, row, current.get(row.sku), seen));
      const listings = await loadListings(
        tx,
        [...new Set(checks.flatMap((c) => (c.item ? [c.item.productId] : [])))],
        targets.map((t) => t.id),
        lock,
      );
      const managed = managedFields(runtime, targets, listings, current);
      const skipped = limitRows(checks, request.updates, listings, targets, managed);
      const policy = applyPolicy(checks, request.errorPolicy, request.dryRun);
      for (const result of policy.results) {
        const found = skipped.get(result.index);
        if (found && (result.status === "APPLIED" || result.status === "PLANNED")) result.skipped = found;
      }
      const finish = async (result: Omit<BulkUpdateOutcome, "replayed">, remember: boolean) => {
        if (key != null) {
          if (remember) {
            await tx.idempotencyKey.updateMany({
              where: { key },
              data: { response: JSON.parse(JSON.stringify(result)) },
            });
          } else {
            await tx.idempotencyKey.deleteMany({ where: { key } });
          }
        }
        return { ...result, replayed: false };
      };
      if (platformErrors.length > 0) {
        const userErrors = [
          ...platformErrors,
          ...(request.errorPolicy === "IGNORE_FAILED" ? [] : policy.userErrors),
        ];
        return finish({ jobId: null, results: rejectAll(checks), userErrors }, false);
      }
      if (policy.toApply.length === 0) {
        return finish({ jobId: null, results: policy.results, userErrors: policy.userErrors }, false);
      }
      const compareAndSet = new Set(
        request.updates.filter((u) => u.expectedQuantity != null).map((u) => u.sku),
      );
      const writes = computeWrites(policy.toApply, managed, targets, listings, compareAndSet);
      const job =
        writes.plan.length > 0
          ? await planJob(tx, { trigger: "BULK_UPDATE", dryRun: request.dryRun, items: writes.plan })
          : null;
      if (!request.dryRun) {
        await writeLocal(tx, writes);
        await writeHistory(
          tx,
          policy.toApply.flatMap((row) =>
            row.changes.map((c) => ({
              productId: row.item!.productId,
              sku: row.sku,
              field: c.field,
              oldValue: c.from,
              newValue: c.to,
            })),
          ),
          { jobId: job?.id ?? null, actor, reason: BULK_UPDATE_OPERATION },
        );
        await evaluateItemAlerts(
          tx,
          db.tenantId,
          policy.toApply.map((row) => row.item!.productId),
          "BULK_UPDATE",
          { jobId: job?.id ?? null },
        );
      }
      return finish(
        { jobId: job?.id ?? null, results: policy.results, userErrors: policy.userErrors },
        !request.dryRun,
      );
    },
    { timeout: 120_000 },
  );
  if (outcome.jobId && !outcome.replayed) {
    try {
      await enqueueJob(runtime, db.tenantId, outcome.jobId);
    } catch (error) {
      // The changes are committed and the job is stored as PENDING; the engine's recovery picks it up.
      log?.error({ err: error, jobId: outcome.jobId }, "could not enqueue bulk update job");
    }
  }
  return outcome;
}
