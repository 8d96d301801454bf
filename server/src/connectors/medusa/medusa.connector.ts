import { CircuitBreaker } from "../http/circuit-breaker";
import { describeError, errorCodeForStatus, PlatformHttpError, shortReason } from "../http/errors";
import { type HttpEvent, ResilientHttp, type RetryPolicy } from "../http/http-client";
import { memoryConnectorState, type SharedConnectorState } from "../http/shared-state";
import {
  type ApplyOptions,
  type ConnectionConfig,
  type ConnectorCapabilities,
  ConnectorConfigError,
  type HealthReport,
  type InboundNotification,
  type ListingPage,
  type ListingStatus,
  type ListingUpdate,
  type NormalizedListing,
  type NotificationChange,
  type PlatformConnector,
  type ReadPageOptions,
  type UpdateErrorCode,
  type UpdateResult,
} from "../port";
import type { ConnectorContext } from "../registry";

const VARIANT_FIELDS =
  "id,sku,title,product_id,created_at,updated_at,manage_inventory,*prices,*product,*inventory_items,*inventory_items.inventory,*inventory_items.inventory.location_levels";
const PRICE = /^\d{1,9}(\.\d{1,4})?$/;

export interface MedusaConnectorOptions {
  /** Stock location whose level is read and written (default: the first location Medusa lists). */
  locationId?: string;
  /** Currency of the synced price (default usd). */
  currency?: string;
  pageSize?: number;
  /** Level updates per batch request (default 500). */
  batchSize?: number;
  bulkThreshold?: number;
  concurrency?: number;
  timeoutMs?: number;
  retry?: Partial<RetryPolicy>;
  breaker?: { failureThreshold?: number; openMs?: number };
  /** Breaker state shared with other processes; default: this process's memory. */
  shared?: SharedConnectorState;
  onEvent?: (event: HttpEvent) => void;
}

interface MedusaLevel {
  id: string;
  location_id: string;
  stocked_quantity: number;
  reserved_quantity: number;
  available_quantity?: number;
}

interface MedusaVariant {
  id: string;
  sku: string | null;
  title?: string;
  product_id?: string;
  created_at?: string;
  updated_at?: string;
  prices?: Array<{ currency_code: string; amount: number; raw_amount?: { value?: string } }>;
  product?: { id?: string; status?: string; title?: string };
  inventory_items?: Array<{
    inventory_item_id: string;
    inventory?: { id: string; location_levels?: MedusaLevel[] };
  }>;
}

interface InventoryItem {
  id: string;
  sku?: string | null;
  location_levels?: MedusaLevel[];
}

function statusOf(productStatus: string | undefined): ListingStatus {
  return productStatus === "published" ? "ACTIVE" : productStatus === "rejected" ? "SUPPRESSED" : "INACTIVE";
}

async function mapPool<T, R>(items: T[], concurrency: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        results[i] = await fn(items[i]!);
      }
    }),
  );
  return results;
}

/** Medusa v2 Admin API connector: variants with prices and per-location levels, batch level and price writes. */
export class MedusaConnector implements PlatformConnector {
  readonly kind = "MEDUSA";
  readonly http: ResilientHttp;
  private readonly base: string;
  private readonly opts: Required<
    Omit<MedusaConnectorOptions, "locationId" | "timeoutMs" | "retry" | "breaker" | "shared" | "onEvent">
  > & { locationId?: string };
  private locationPromise?: Promise<string>;

  constructor(config: ConnectionConfig, options: MedusaConnectorOptions = {}) {
    const apiKey = config.credentials.apiKey;
    if (!apiKey)
      throw new ConnectorConfigError("Medusa connection needs credentials.apiKey (a secret key, sk_...)");
    const base = config.endpoints?.api;
    if (!base) throw new ConnectorConfigError("Medusa connection needs endpoints.api (the store's base URL)");
    this.base = base.replace(/\/$/, "");
    const merged = { ...(config.options as MedusaConnectorOptions | undefined), ...options };
    this.opts = {
      locationId: merged.locationId,
      currency: (merged.currency ?? "usd").toLowerCase(),
      pageSize: merged.pageSize ?? 100,
      batchSize: merged.batchSize ?? 500,
      bulkThreshold: merged.bulkThreshold ?? 10,
      concurrency: merged.concurrency ?? 8,
    };
    const scope = `medusa:${this.base}`;
    this.http = new ResilientHttp({
      scope,
      platform: "MEDUSA",
      breaker: new CircuitBreaker({
        failureThreshold: merged.breaker?.failureThreshold ?? 5,
        openMs: merged.breaker?.openMs ?? 30_000,
        store: (merged.shared ?? memoryConnectorState()).breakers,
        key: scope,
      }),
      retry: merged.retry,
      timeoutMs: merged.timeoutMs,
      onEvent: merged.onEvent,
      fetch: config.fetch,
      auth: {
        apply: async (headers) => {
          headers.authorization = `Basic ${apiKey}`;
        },
        // A secret key does not expire: a 401 is final.
        isAuthFailure: () => false,
      },
    });
  }

  capabilities(): ConnectorCapabilities {
    return {
      kind: "MEDUSA",
      bulkPath:
        "POST /admin/inventory-items/location-levels/batch + POST /admin/products/{id}/variants/batch",
      maxBatchSize: this.opts.batchSize,
      bulkThreshold: this.opts.bulkThreshold,
      supportsCompareAndSet: false,
      compareAndSetEmulated: true,
      supportsIncrementalRead: true,
      supportsNotifications: false,
      writableFields: ["quantity", "price", "status"],
      asynchronousWrites: false,
    };
  }

  private url(path: string, query: Array<[string, string]> = []): string {
    const qs = new URLSearchParams(query).toString();
    return `${this.base}${path}${qs ? `?${qs}` : ""}`;
  }

  private async call<T>(
    operation: string,
    method: "GET" | "POST" | "DELETE",
    url: string,
    body?: unknown,
    signal?: AbortSignal,
  ): Promise<T> {
    const res = await this.http.send<T>({
      operation,
      method,
      url,
      headers: body !== undefined ? { "content-type": "application/json" } : undefined,
      body: body !== undefined ? JSON.stringify(body) : undefined,
      signal,
    });
    if (res.status >= 200 && res.status < 300) return res.body;
    const message = shortReason((res.body as { message?: unknown } | undefined)?.message);
    throw new PlatformHttpError(
      errorCodeForStatus(res.status),
      `${operation}: ${res.status} ${message}`.trim(),
      res.status,
      false,
      res.body,
    );
  }

  /** The stock location this connection syncs. */
  locationId(signal?: AbortSignal): Promise<string> {
    if (this.opts.locationId) return Promise.resolve(this.opts.locationId);
    this.locationPromise ??= this.call<{ stock_locations: Array<{ id: string }> }>(
      "GetStockLocations",
      "GET",
      this.url("/admin/stock-locations", [
        ["limit", "1"],
        ["order", "created_at"],
      ]),
      undefined,
      signal,
    ).then((r) => {
      const id = r.stock_locations[0]?.id;
      if (!id) throw new PlatformHttpError("NOT_FOUND", "the Medusa store has no stock location");
      return id;
    });
    this.locationPromise.catch(() => {
      this.locationPromise = undefined;
    });
    return this.locationPromise;
  }

  private toListing(v: MedusaVariant, locationId: string): NormalizedListing {
    const link = v.inventory_items?.[0];
    const level = link?.inventory?.location_levels?.find((l) => l.location_id === locationId);
    const price = v.prices?.find((p) => p.currency_code.toLowerCase() === this.opts.currency);
    return {
      sku: v.sku ?? "",
      externalIds: {
        productId: v.product_id ?? v.product?.id,
        variantId: v.id,
        inventoryItemId: link?.inventory_item_id,
        inventoryLevelId: level?.id,
        locationId,
      },
      quantity: level ? (level.available_quantity ?? level.stocked_quantity - level.reserved_quantity) : null,
      quantityDetail: level
        ? { stocked: level.stocked_quantity, reserved: level.reserved_quantity }
        : undefined,
      price: price ? (price.raw_amount?.value ?? String(price.amount)) : null,
      currency: price ? price.currency_code.toUpperCase() : null,
      status: statusOf(v.product?.status),
      title: v.product?.title ?? v.title,
      version: v.updated_at,
      createdAt: v.created_at,
      updatedAt: v.updated_at,
    };
  }

  /** Reads one page of variants (offset pagination); `since` filters on updated_at client-side. */
  async readPage(cursor: string | null, options: ReadPageOptions = {}): Promise<ListingPage> {
    const limit = Math.max(1, Math.min(options.limit ?? this.opts.pageSize, 1000));
    const offset = cursor ? Number(Buffer.from(cursor, "base64url").toString("utf8")) : 0;
    if (!Number.isInteger(offset) || offset < 0) throw new ConnectorConfigError("invalid Medusa read cursor");
    const locationId = await this.locationId(options.signal);
    const query: Array<[string, string]> = [
      ["limit", String(limit)],
      ["offset", String(offset)],
      ["order", "created_at"],
      ["fields", VARIANT_FIELDS],
    ];
    const res = await this.call<{ variants: MedusaVariant[]; count: number }>(
      "GetProductVariants",
      "GET",
      this.url("/admin/product-variants", query),
      undefined,
      options.signal,
    );
    let listings = res.variants.filter((v) => v.sku).map((v) => this.toListing(v, locationId));
    if (options.since) {
      const since = options.since.getTime();
      listings = listings.filter((l) => !l.updatedAt || Date.parse(l.updatedAt) >= since);
    }
    const next = offset + res.variants.length;
    return {
      listings,
      nextCursor:
        res.variants.length > 0 && next < res.count ? Buffer.from(String(next)).toString("base64url") : null,
    };
  }

  /** Reads these SKUs through the variant search (q), concurrently; unknown SKUs are absent. */
  async readBySkus(skus: string[], options: { signal?: AbortSignal } = {}): Promise<NormalizedListing[]> {
    const locationId = await this.locationId(options.signal);
    const found = await mapPool([...new Set(skus)], this.opts.concurrency, async (sku) => {
      const res = await this.call<{ variants: MedusaVariant[] }>(
        "GetProductVariants",
        "GET",
        this.url("/admin/product-variants", [
          ["q", sku],
          ["limit", "20"],
          ["fields", VARIANT_FIELDS],
        ]),
        undefined,
        options.signal,
      );
      const exact = res.variants.find((v) => v.sku === sku);
      return exact ? this.toListing(exact, locationId) : undefined;
    });
    return found.filter((l): l is NormalizedListing => !!l);
  }

  async applyUpdate(update: ListingUpdate, options: ApplyOptions = {}): Promise<UpdateResult> {
    const [result] = await this.applyUpdates([update], { ...options, bulk: true });
    return result!;
  }

  /**
   * Applies changes: quantities through the cross-item level batch route (stocked = wanted available + reserved),
   * prices through the product's variant batch route, statuses per product; one result per update, in order.
   */
  async applyUpdates(updates: ListingUpdate[], options: ApplyOptions = {}): Promise<UpdateResult[]> {
    const results = new Array<UpdateResult | undefined>(updates.length);
    const fail = (
      i: number,
      code: UpdateErrorCode,
      message: string,
      retryable = false,
      currentQuantity?: number,
    ) => {
      results[i] = {
        sku: updates[i]!.sku,
        ref: updates[i]!.ref,
        status: "failed",
        code,
        message,
        retryable,
        ...(currentQuantity !== undefined ? { currentQuantity } : {}),
      };
    };
    updates.forEach((u, i) => {
      if (u.price !== undefined && (!PRICE.test(u.price) || Number(u.price) < 0))
        fail(i, "INVALID", `price "${u.price}" is not a decimal amount`);
      else if (u.quantity !== undefined && (!Number.isInteger(u.quantity) || u.quantity < 0))
        fail(i, "INVALID", `quantity ${u.quantity} is not a whole number of 0 or more`);
      else if (u.quantity === undefined && u.price === undefined && u.status === undefined)
        fail(i, "INVALID", "the update changes nothing");
    });
    const live = updates.map((_, i) => i).filter((i) => !results[i]);
    try {
      const locationId = await this.locationId(options.signal);
      // Current levels of every SKU touched by quantity (reserved units, compare-and-set, ids).
      const quantityIdx = live.filter((i) => updates[i]!.quantity !== undefined);
      const items = await this.inventoryItems(
        quantityIdx.map((i) => updates[i]!.sku),
        options.signal,
      );
      const previous = new Map<number, number>();
      const levelWrites: Array<{
        i: number;
        body: { inventory_item_id: string; location_id: string; stocked_quantity: number };
      }> = [];
      for (const i of quantityIdx) {
        const u = updates[i]!;
        const item = items.get(u.sku);
        const level = item?.location_levels?.find((l) => l.location_id === locationId);
        if (!item || !level) {
          fail(i, "NOT_FOUND", `no inventory level for ${u.sku} at location ${locationId}`);
          continue;
        }
        const available = level.available_quantity ?? level.stocked_quantity - level.reserved_quantity;
        if (u.expectedQuantity !== undefined && available !== u.expectedQuantity) {
          fail(
            i,
            "CONFLICT",
            `available quantity is ${available} in Medusa, expected ${u.expectedQuantity}`,
            false,
            available,
          );
          continue;
        }
        previous.set(i, available);
        // Reserved units belong to open orders, so what is sellable is stocked minus reserved.
        levelWrites.push({
          i,
          body: {
            inventory_item_id: item.id,
            location_id: locationId,
            stocked_quantity: u.quantity! + level.reserved_quantity,
          },
        });
      }
      for (let k = 0; k < levelWrites.length; k += this.opts.batchSize) {
        await this.writeLevels(levelWrites.slice(k, k + this.opts.batchSize), fail, options.signal);
      }
      // Prices and statuses need product and variant ids plus the variant's other prices.
      const otherIdx = live.filter(
        (i) => !results[i] && (updates[i]!.price !== undefined || updates[i]!.status !== undefined),
      );
      if (otherIdx.length > 0) {
        const variants = new Map(
          (
            await this.readVariants(
              otherIdx.map((i) => updates[i]!.sku),
              options.signal,
            )
          ).map((v) => [v.sku, v]),
        );
        await mapPool(otherIdx, this.opts.concurrency, async (i) => {
          const u = updates[i]!;
          const v = variants.get(u.sku);
          if (!v?.product_id) return fail(i, "NOT_FOUND", `variant ${u.sku} not found in Medusa`);
          try {
            if (u.price !== undefined) {
              const currency = (u.currency ?? this.opts.currency).toLowerCase();
              const prices = (v.prices ?? [])
                .filter((p) => p.currency_code.toLowerCase() !== currency)
                .map((p) => ({ currency_code: p.currency_code, amount: p.amount }));
              prices.push({ currency_code: currency, amount: Number(u.price) });
              await this.call(
                "PostProductsIdVariantsBatch",
                "POST",
                this.url(`/admin/products/${encodeURIComponent(v.product_id)}/variants/batch`),
                { create: [], update: [{ id: v.id, prices }], delete: [] },
                options.signal,
              );
            }
            if (u.status === "DELETED") {
              await this.call(
                "DeleteProductsIdVariantsVariant_id",
                "DELETE",
                this.url(
                  `/admin/products/${encodeURIComponent(v.product_id)}/variants/${encodeURIComponent(v.id)}`,
                ),
                undefined,
                options.signal,
              );
            } else if (u.status !== undefined) {
              await this.call(
                "PostProductsId",
                "POST",
                this.url(`/admin/products/${encodeURIComponent(v.product_id)}`),
                { status: u.status === "ACTIVE" ? "published" : "draft" },
                options.signal,
              );
            }
          } catch (error) {
            const d = describeError(error);
            fail(i, d.code, d.message, d.retryable);
          }
        });
      }
      for (const i of live) {
        results[i] ??= {
          sku: updates[i]!.sku,
          ref: updates[i]!.ref,
          status: "applied",
          confirmation: "CONFIRMED",
          previousQuantity: previous.get(i),
        };
      }
    } catch (error) {
      const d = describeError(error);
      for (const i of live) if (!results[i]) fail(i, d.code, d.message, d.retryable);
    }
    return results as UpdateResult[];
  }

  /** One batch request; if Medusa rejects the batch (one transaction), halves it to isolate the bad rows. */
  private async writeLevels(
    writes: Array<{
      i: number;
      body: { inventory_item_id: string; location_id: string; stocked_quantity: number };
    }>,
    fail: (i: number, code: UpdateErrorCode, message: string, retryable?: boolean) => void,
    signal?: AbortSignal,
  ): Promise<void> {
    if (writes.length === 0) return;
    try {
      await this.call(
        "PostInventoryItemsLocationLevelsBatch",
        "POST",
        this.url("/admin/inventory-items/location-levels/batch"),
        { create: [], update: writes.map((w) => w.body), delete: [] },
        signal,
      );
    } catch (error) {
      const d = describeError(error);
      if (d.retryable || writes.length === 1) {
        for (const w of writes) fail(w.i, d.code, d.message, d.retryable);
        return;
      }
      const mid = Math.ceil(writes.length / 2);
      await this.writeLevels(writes.slice(0, mid), fail, signal);
      await this.writeLevels(writes.slice(mid), fail, signal);
    }
  }

  private async inventoryItems(skus: string[], signal?: AbortSignal): Promise<Map<string, InventoryItem>> {
    const found = new Map<string, InventoryItem>();
    const unique = [...new Set(skus)];
    const chunks: string[][] = [];
    for (let i = 0; i < unique.length; i += 100) chunks.push(unique.slice(i, i + 100));
    await mapPool(chunks, this.opts.concurrency, async (chunk) => {
      const query: Array<[string, string]> = chunk.map((s) => ["sku", s]);
      query.push(["limit", String(chunk.length)], ["fields", "id,sku,*location_levels"]);
      const res = await this.call<{ inventory_items: InventoryItem[] }>(
        "GetInventoryItems",
        "GET",
        this.url("/admin/inventory-items", query),
        undefined,
        signal,
      );
      for (const item of res.inventory_items) if (item.sku) found.set(item.sku, item);
    });
    return found;
  }

  private async readVariants(skus: string[], signal?: AbortSignal): Promise<MedusaVariant[]> {
    const found = await mapPool([...new Set(skus)], this.opts.concurrency, async (sku) => {
      const res = await this.call<{ variants: MedusaVariant[] }>(
        "GetProductVariants",
        "GET",
        this.url("/admin/product-variants", [
          ["q", sku],
          ["limit", "20"],
          ["fields", "id,sku,product_id,*prices"],
        ]),
        undefined,
        signal,
      );
      return res.variants.find((v) => v.sku === sku);
    });
    return found.filter((v): v is MedusaVariant => !!v);
  }

  async checkHealth(): Promise<HealthReport> {
    return this.http.health(() =>
      this.call("GetStockLocations", "GET", this.url("/admin/stock-locations", [["limit", "1"]])),
    );
  }

  /**
   * Medusa has no outgoing webhooks of its own; a store subscriber forwards events as
   * `{ name, data }` (e.g. inventory-level.updated with ids). Ids only: the sync engine re-reads.
   */
  parseNotification(notification: InboundNotification): NotificationChange[] {
    const body = (
      typeof notification.body === "string" ? JSON.parse(notification.body) : notification.body
    ) as { name?: string; id?: string; data?: Record<string, unknown> };
    const data = body.data ?? {};
    const kind: NotificationChange["kind"] = body.name?.startsWith("inventory")
      ? "QUANTITY"
      : body.name?.startsWith("product")
        ? "STATUS"
        : "OTHER";
    return [
      {
        sku: String(data.sku ?? ""),
        kind,
        ...(typeof data.stocked_quantity === "number" && typeof data.reserved_quantity === "number"
          ? { quantity: data.stocked_quantity - data.reserved_quantity }
          : {}),
        externalIds: {
          variantId: data.variant_id as string | undefined,
          productId: data.product_id as string | undefined,
          inventoryItemId: (data.inventory_item_id ?? undefined) as string | undefined,
          locationId: data.location_id as string | undefined,
        },
        eventId: body.id,
        eventType: body.name,
        raw: body,
      },
    ];
  }

  async close(): Promise<void> {}
}

/** Registry factory for MEDUSA connections. */
export function createMedusaConnector(
  config: ConnectionConfig,
  context: ConnectorContext = {},
): PlatformConnector {
  return new MedusaConnector(config, context);
}
