import { gunzipSync } from "node:zlib";
import { CircuitBreaker } from "../http/circuit-breaker";
import { describeError, PlatformHttpError, shortReason } from "../http/errors";
import { type HttpEvent, ResilientHttp, type RetryPolicy } from "../http/http-client";
import { RateLimiterRegistry } from "../http/rate-limiter";
import { memoryConnectorState, type SharedConnectorState } from "../http/shared-state";
import { sleep } from "../http/token-bucket";
import {
  type ApplyOptions,
  type ConnectionConfig,
  type ConnectorCapabilities,
  ConnectorConfigError,
  type HealthReport,
  type InboundNotification,
  type ListingPage,
  type ListingUpdate,
  type NormalizedListing,
  type NotificationChange,
  type PlatformConnector,
  type ReadPageOptions,
  type UpdateErrorCode,
  type UpdateResult,
} from "../port";
import type { ConnectorContext } from "../registry";
import { AMAZON_ENDPOINTS, type AmazonRegion, LWA_TOKEN_URL } from "./amazon.credentials";
import { type SpInventorySummary, type SpItem, toNormalizedListing } from "./amazon.mappers";
import { LwaTokenProvider } from "./lwa.client";

/** SP-API default usage plans of the operations this connector calls (contracts README). */
export const AMAZON_RATE_LIMITS = {
  getListingsItem: { rate: 5, burst: 10 },
  putListingsItem: { rate: 5, burst: 10 },
  patchListingsItem: { rate: 5, burst: 5 },
  deleteListingsItem: { rate: 5, burst: 5 },
  searchListingsItems: { rate: 5, burst: 5 },
  getInventorySummaries: { rate: 2, burst: 2 },
  createFeed: { rate: 0.0083, burst: 15 },
  createFeedDocument: { rate: 0.5, burst: 15 },
  getFeed: { rate: 2, burst: 15 },
  getFeedDocument: { rate: 0.0222, burst: 10 },
};

const SEARCH_PAGE = 20;
const SEARCH_CAP = 1000;
const FBA_BATCH = 50;
const MAX_FEED_MESSAGES = 25_000;
const INCLUDED = "summaries,attributes,offers,fulfillmentAvailability,issues";
const PRICE = /^\d{1,9}(\.\d{1,2})?$/;

export interface AmazonConnectorOptions {
  /** Updates at or above this count go through JSON_LISTINGS_FEED (default 50). */
  bulkThreshold?: number;
  /** How often a submitted feed is polled (default 1000 ms; getFeed allows 2/s). */
  feedPollIntervalMs?: number;
  /** Give up waiting for a feed after this long (default 1 h). */
  feedTimeoutMs?: number;
  /** Listings per readPage (default 100, i.e. five search calls). */
  pageSize?: number;
  timeoutMs?: number;
  retry?: Partial<RetryPolicy>;
  breaker?: { failureThreshold?: number; openMs?: number };
  /** Concurrent single-item calls in applyUpdates' per-item path (default 5). */
  concurrency?: number;
  /** A private limiter registry (tests); default: the budgets of `shared`, one per seller and operation. */
  limiter?: RateLimiterRegistry;
  /** Budgets, tokens and breaker state shared with other processes; default: this process's memory. */
  shared?: SharedConnectorState;
  onEvent?: (event: HttpEvent) => void;
}

interface ReadCursor {
  /** Incremental read start (ISO) or absent for a full read. */
  since?: string;
  phase: "listings" | "fba";
  /** Current search window start (ISO), to get past the 1000-result cap. */
  w?: string;
  /** Page token inside the window. */
  t?: string;
  /** Results consumed in the window. */
  n: number;
  /** SKUs already returned whose date equals the window start. */
  s: string[];
  /** FBA summaries page token (incremental phase). */
  f?: string;
}

function encodeCursor(c: ReadCursor): string {
  return Buffer.from(JSON.stringify(c)).toString("base64url");
}

function decodeCursor(cursor: string): ReadCursor {
  try {
    const c = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")) as ReadCursor;
    if (c.phase !== "listings" && c.phase !== "fba") throw new Error("phase");
    return c;
  } catch {
    throw new ConnectorConfigError("invalid Amazon read cursor");
  }
}

interface SearchResponse {
  numberOfResults?: number;
  pagination?: { nextToken?: string };
  items?: SpItem[];
}

interface SubmissionResponse {
  sku: string;
  status: "ACCEPTED" | "INVALID" | "VALID";
  submissionId: string;
  issues?: Array<{ code?: string; message?: string; severity?: string }>;
}

interface ReportIssue {
  messageId?: number;
  sku?: string;
  code?: string;
  severity?: string;
  message?: string;
}

function issueCode(issue: { code?: string; message?: string }): UpdateErrorCode {
  const text = issue.message ?? "";
  if (/does not exist|not found/i.test(text)) return "NOT_FOUND";
  if (/managed by Amazon|fulfilled by Amazon/i.test(text) || issue.code === "90250" || issue.code === "90251")
    return "UNSUPPORTED";
  if (/internal error/i.test(text)) return "PLATFORM_ERROR";
  return "INVALID";
}

async function mapPool<T, R>(
  items: T[],
  concurrency: number,
  fn: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const workers = Array.from({ length: Math.min(concurrency, items.length) }, async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i]!, i);
    }
  });
  await Promise.all(workers);
  return results;
}

/** Amazon Selling Partner API connector: Listings Items, FBA Inventory and JSON_LISTINGS_FEED over real HTTP. */
export class AmazonConnector implements PlatformConnector {
  readonly kind = "AMAZON";
  readonly http: ResilientHttp;
  readonly lwa: LwaTokenProvider;
  private readonly base: string;
  private readonly sellerId: string;
  private readonly marketplaceId: string;
  private readonly opts: Required<
    Pick<
      AmazonConnectorOptions,
      "bulkThreshold" | "feedPollIntervalMs" | "feedTimeoutMs" | "pageSize" | "concurrency"
    >
  >;
  /** What reads taught us about each SKU (product type, channel): writes need both. */
  private readonly known = new Map<string, { productType?: string; channel?: "FBA" | "FBM" }>();
  private readonly prefetch = new Map<string, Promise<{ page: ListingPage }>>();
  private readonly closing = new AbortController();

  constructor(config: ConnectionConfig, options: AmazonConnectorOptions = {}) {
    const c = config.credentials;
    const region = (config.region ?? "NA").toUpperCase() as AmazonRegion;
    this.sellerId = config.sellerId ?? c.sellerId ?? "";
    this.marketplaceId = config.marketplaceId ?? c.marketplaceId ?? "";
    if (!c.clientId || !c.clientSecret || !c.refreshToken)
      throw new ConnectorConfigError("Amazon connection needs clientId, clientSecret and refreshToken");
    if (!this.sellerId || !this.marketplaceId)
      throw new ConnectorConfigError("Amazon connection needs sellerId and marketplaceId");
    const base = config.endpoints?.api ?? AMAZON_ENDPOINTS[region];
    if (!base) throw new ConnectorConfigError(`unknown Amazon region "${config.region}"`);
    this.base = base.replace(/\/$/, "");
    const merged = { ...(config.options as AmazonConnectorOptions | undefined), ...options };
    this.opts = {
      bulkThreshold: merged.bulkThreshold ?? 50,
      feedPollIntervalMs: merged.feedPollIntervalMs ?? 1000,
      feedTimeoutMs: merged.feedTimeoutMs ?? 3_600_000,
      pageSize: merged.pageSize ?? 100,
      concurrency: merged.concurrency ?? 5,
    };
    const shared = merged.shared ?? memoryConnectorState();
    const scope = `amazon:${this.sellerId}`;
    const breaker = new CircuitBreaker({
      failureThreshold: merged.breaker?.failureThreshold ?? 5,
      openMs: merged.breaker?.openMs ?? 30_000,
      store: shared.breakers,
      key: scope,
    });
    const lwaHttp = new ResilientHttp({
      scope: `lwa:${c.clientId}`,
      platform: "AMAZON",
      breaker,
      retry: merged.retry,
      timeoutMs: merged.timeoutMs,
      fetch: config.fetch,
      onEvent: merged.onEvent,
    });
    this.lwa = new LwaTokenProvider(
      lwaHttp,
      config.endpoints?.lwa ?? LWA_TOKEN_URL,
      c.clientId,
      c.clientSecret,
      c.refreshToken,
      shared.tokens,
    );
    this.http = new ResilientHttp({
      scope,
      platform: "AMAZON",
      limiter: merged.limiter ?? new RateLimiterRegistry(AMAZON_RATE_LIMITS, 0.03, shared.budgets),
      breaker,
      retry: merged.retry,
      timeoutMs: merged.timeoutMs,
      rateLimitHeader: "x-amzn-ratelimit-limit",
      onEvent: merged.onEvent,
      fetch: config.fetch,
      auth: {
        apply: async (headers, force) => {
          headers["x-amz-access-token"] = await this.lwa.token(force, headers["x-amz-access-token"]);
        },
        isAuthFailure: (status, body) => {
          if (status !== 401 && status !== 403) return false;
          const error = (
            body as { errors?: Array<{ code?: string; message?: string; details?: string }> } | undefined
          )?.errors?.[0];
          const text = `${error?.message ?? ""} ${error?.details ?? ""}`;
          return error?.code === "Unauthorized" && /token/i.test(text);
        },
      },
    });
  }

  capabilities(): ConnectorCapabilities {
    return {
      kind: "AMAZON",
      bulkPath: "JSON_LISTINGS_FEED",
      maxBatchSize: MAX_FEED_MESSAGES,
      bulkThreshold: this.opts.bulkThreshold,
      supportsCompareAndSet: false,
      compareAndSetEmulated: true,
      supportsIncrementalRead: true,
      supportsNotifications: true,
      writableFields: ["quantity", "price", "status"],
      asynchronousWrites: true,
    };
  }

  private url(path: string, query: Record<string, string | undefined> = {}): string {
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries(query)) if (v !== undefined) params.set(k, v);
    const qs = params.toString();
    return `${this.base}${path}${qs ? `?${qs}` : ""}`;
  }

  private signal(extra?: AbortSignal): AbortSignal {
    return extra ? AbortSignal.any([extra, this.closing.signal]) : this.closing.signal;
  }

  private remember(listing: NormalizedListing): void {
    this.known.set(listing.sku, {
      productType: listing.externalIds.productType,
      channel: listing.fulfillmentChannel,
    });
    if (this.known.size > 500_000) this.known.delete(this.known.keys().next().value as string);
  }

  private async ok<T>(res: { status: number; body: T }, operation: string): Promise<T> {
    if (res.status >= 200 && res.status < 300) return res.body;
    const error = (res.body as { errors?: Array<{ code?: string; message?: string }> } | undefined)
      ?.errors?.[0];
    const code: UpdateErrorCode =
      res.status === 404 ? "NOT_FOUND" : res.status === 403 || res.status === 401 ? "AUTH" : "INVALID";
    throw new PlatformHttpError(
      code,
      `${operation}: ${res.status} ${shortReason(error?.code, 40)} ${shortReason(error?.message)}`.trim(),
      res.status,
      false,
      res.body,
    );
  }

  private async search(
    query: Record<string, string | undefined>,
    signal?: AbortSignal,
  ): Promise<SearchResponse> {
    const res = await this.http.send<SearchResponse>({
      operation: "searchListingsItems",
      method: "GET",
      url: this.url(`/listings/2021-08-01/items/${encodeURIComponent(this.sellerId)}`, {
        marketplaceIds: this.marketplaceId,
        includedData: INCLUDED,
        pageSize: String(SEARCH_PAGE),
        ...query,
      }),
      signal: this.signal(signal),
    });
    return this.ok(res, "searchListingsItems");
  }

  private async inventorySummaries(
    query: Record<string, string | undefined>,
    signal?: AbortSignal,
  ): Promise<{ summaries: SpInventorySummary[]; nextToken?: string }> {
    const res = await this.http.send<{
      payload?: { inventorySummaries?: SpInventorySummary[] };
      pagination?: { nextToken?: string };
    }>({
      operation: "getInventorySummaries",
      method: "GET",
      url: this.url("/fba/inventory/v1/summaries", {
        details: "true",
        granularityType: "Marketplace",
        granularityId: this.marketplaceId,
        marketplaceIds: this.marketplaceId,
        ...query,
      }),
      signal: this.signal(signal),
    });
    const body = await this.ok(res, "getInventorySummaries");
    return { summaries: body.payload?.inventorySummaries ?? [], nextToken: body.pagination?.nextToken };
  }

  /** FBA quantities for the FBA listings among `items`, in batches of 50 SKUs. */
  private async withFba(items: SpItem[], signal?: AbortSignal): Promise<NormalizedListing[]> {
    const fbaSkus = items
      .filter(
        (i) =>
          i.fulfillmentAvailability?.[0] && i.fulfillmentAvailability[0].fulfillmentChannelCode !== "DEFAULT",
      )
      .map((i) => i.sku);
    const bySku = new Map<string, SpInventorySummary>();
    const batches: string[][] = [];
    for (let i = 0; i < fbaSkus.length; i += FBA_BATCH) batches.push(fbaSkus.slice(i, i + FBA_BATCH));
    await Promise.all(
      batches.map(async (batch) => {
        const { summaries } = await this.inventorySummaries({ sellerSkus: batch.join(",") }, signal);
        for (const s of summaries) if (s.sellerSku) bySku.set(s.sellerSku, s);
      }),
    );
    return items.map((item) => {
      const listing = toNormalizedListing(item, this.marketplaceId, bySku.get(item.sku));
      this.remember(listing);
      return listing;
    });
  }

  /** Reads one page of listings; full reads walk creation-date windows to get past the 1000-result search cap. */
  async readPage(cursor: string | null, options: ReadPageOptions = {}): Promise<ListingPage> {
    const limit = Math.max(1, Math.min(options.limit ?? this.opts.pageSize, 500));
    const key = `${cursor ?? ""}|${limit}|${options.since?.toISOString() ?? ""}`;
    const pending = this.prefetch.get(key);
    this.prefetch.delete(key);
    let page: ListingPage | undefined;
    if (pending) {
      try {
        page = (await pending).page;
      } catch {
        // A failed read-ahead is simply done again now, in the caller's context.
      }
    }
    page ??= (await this.loadPage(cursor, limit, options.since, options.signal)).page;
    if (page.nextCursor) this.startReadAhead(page.nextCursor, limit, options.since);
    return page;
  }

  private async loadPage(
    cursorText: string | null,
    limit: number,
    since: Date | undefined,
    signal: AbortSignal | undefined,
  ): Promise<{ page: ListingPage }> {
    const cursor: ReadCursor = cursorText
      ? decodeCursor(cursorText)
      : { phase: "listings", n: 0, s: [], ...(since ? { since: since.toISOString() } : {}) };
    const incremental = cursor.since !== undefined;
    const dateField = incremental ? "lastUpdatedDate" : "createdDate";
    const collected: SpItem[] = [];
    let done = false;
    if (cursor.phase === "listings") {
      while (collected.length < limit) {
        const res = await this.search(
          {
            sortBy: dateField,
            sortOrder: "ASC",
            ...(incremental
              ? { lastUpdatedAfter: cursor.w ?? cursor.since }
              : cursor.w
                ? { createdAfter: cursor.w }
                : {}),
            pageToken: cursor.t,
          },
          signal,
        );
        const items = res.items ?? [];
        const skip = new Set(cursor.s);
        for (const item of items) {
          const date = incremental ? item.summaries?.[0]?.lastUpdatedDate : item.summaries?.[0]?.createdDate;
          if (cursor.w && date && Date.parse(date) === Date.parse(cursor.w) && skip.has(item.sku)) continue;
          collected.push(item);
        }
        cursor.n += items.length;
        if (res.pagination?.nextToken) {
          cursor.t = res.pagination.nextToken;
          continue;
        }
        const total = res.numberOfResults ?? 0;
        const last = items.at(-1);
        const lastDate = incremental
          ? last?.summaries?.[0]?.lastUpdatedDate
          : last?.summaries?.[0]?.createdDate;
        if (cursor.n >= SEARCH_CAP && total > cursor.n && lastDate) {
          // The search stops at 1000 results: open a new window at the last date seen.
          const boundary = Date.parse(lastDate);
          const sameDate = collected.filter((i) => {
            const d = incremental ? i.summaries?.[0]?.lastUpdatedDate : i.summaries?.[0]?.createdDate;
            return d !== undefined && Date.parse(d) === boundary;
          });
          cursor.s = [
            ...(cursor.w && Date.parse(cursor.w) === boundary ? cursor.s : []),
            ...sameDate.map((i) => i.sku),
          ];
          cursor.w = new Date(boundary).toISOString();
          cursor.t = undefined;
          cursor.n = 0;
          continue;
        }
        if (incremental) {
          cursor.phase = "fba";
          cursor.t = undefined;
          cursor.w = undefined;
          cursor.s = [];
          cursor.n = 0;
        } else done = true;
        break;
      }
    }
    const next = (): string | null => (done ? null : encodeCursor(cursor));
    if (cursor.phase === "listings" || collected.length > 0) {
      const nextCursor = next();
      if (nextCursor) this.startReadAhead(nextCursor, limit, since);
      return { page: { listings: await this.withFba(collected, signal), nextCursor } };
    }
    // Incremental, second phase: FBA quantities that changed since, with their listings.
    const { summaries, nextToken } = await this.inventorySummaries(
      { startDateTime: cursor.since, nextToken: cursor.f },
      signal,
    );
    cursor.f = nextToken;
    const nextCursor = nextToken ? encodeCursor(cursor) : null;
    const skus = summaries.map((s) => s.sellerSku).filter((s): s is string => !!s);
    const items: SpItem[] = [];
    for (let i = 0; i < skus.length; i += SEARCH_PAGE) {
      const res = await this.search(
        { identifiers: skus.slice(i, i + SEARCH_PAGE).join(","), identifiersType: "SKU" },
        signal,
      );
      items.push(...(res.items ?? []));
    }
    const bySku = new Map(summaries.map((s) => [s.sellerSku, s]));
    const listings = items.map((item) => {
      const listing = toNormalizedListing(item, this.marketplaceId, bySku.get(item.sku));
      this.remember(listing);
      return listing;
    });
    return { page: { listings, nextCursor } };
  }

  private startReadAhead(cursor: string, limit: number, since: Date | undefined): void {
    if (this.prefetch.size >= 2 || this.closing.signal.aborted) return;
    const key = `${cursor}|${limit}|${since?.toISOString() ?? ""}`;
    if (this.prefetch.has(key)) return;
    const promise = this.loadPage(cursor, limit, since, undefined);
    promise.catch(() => undefined);
    this.prefetch.set(key, promise);
  }

  /** Reads the listings of these SKUs (20 per search call); unknown SKUs are simply absent. */
  async readBySkus(skus: string[], options: { signal?: AbortSignal } = {}): Promise<NormalizedListing[]> {
    const batches: string[][] = [];
    const unique = [...new Set(skus)];
    for (let i = 0; i < unique.length; i += SEARCH_PAGE) batches.push(unique.slice(i, i + SEARCH_PAGE));
    const pages = await mapPool(batches, 3, (batch) =>
      this.search({ identifiers: batch.join(","), identifiersType: "SKU" }, options.signal),
    );
    return this.withFba(
      pages.flatMap((p) => p.items ?? []),
      options.signal,
    );
  }

  private patchesFor(update: ListingUpdate): Array<Record<string, unknown>> {
    const patches: Array<Record<string, unknown>> = [];
    if (update.quantity !== undefined) {
      patches.push({
        op: "replace",
        path: "/attributes/fulfillment_availability",
        value: [{ fulfillment_channel_code: "DEFAULT", quantity: update.quantity }],
      });
    }
    if (update.price !== undefined || update.status === "ACTIVE" || update.status === "INACTIVE") {
      // The consumer offer only, merged: a B2B offer or a sale price on the listing stays as it is.
      const offer: Record<string, unknown> = { marketplace_id: this.marketplaceId, audience: "ALL" };
      if (update.currency) offer.currency = update.currency;
      if (update.price !== undefined)
        offer.our_price = [{ schedule: [{ value_with_tax: Number(update.price) }] }];
      const now = new Date().toISOString();
      if (update.status === "ACTIVE") offer.start_at = { value: now };
      if (update.status === "INACTIVE") offer.end_at = { value: now };
      patches.push({ op: "merge", path: "/attributes/purchasable_offer", value: [offer] });
    }
    return patches;
  }

  /** Problems the connector can see without asking Amazon. */
  private precheck(update: ListingUpdate): UpdateResult | undefined {
    const fail = (code: UpdateErrorCode, message: string): UpdateResult => ({
      sku: update.sku,
      ref: update.ref,
      status: "failed",
      code,
      message,
      retryable: false,
    });
    if (update.price !== undefined && (!PRICE.test(update.price) || Number(update.price) <= 0))
      return fail("INVALID", `price "${update.price}" is not a positive decimal with at most two places`);
    if (update.quantity !== undefined && (!Number.isInteger(update.quantity) || update.quantity < 0))
      return fail("INVALID", `quantity ${update.quantity} is not a whole number of 0 or more`);
    if (update.quantity !== undefined && this.known.get(update.sku)?.channel === "FBA") {
      return fail("UNSUPPORTED", "the listing is fulfilled by Amazon; its quantity is managed by Amazon");
    }
    if (update.quantity === undefined && update.price === undefined && update.status === undefined)
      return fail("INVALID", "the update changes nothing");
    return undefined;
  }

  /**
   * Reads, before writing, every SKU this connector has not read yet and every compare-and-set one: a SKU the
   * seller has not listed fails NOT_FOUND (Amazon would accept the write and create a partial, unbuyable
   * listing), an FBA quantity fails UNSUPPORTED, and a quantity that moved fails CONFLICT.
   */
  private async checkBeforeWrite(
    updates: ListingUpdate[],
    signal?: AbortSignal,
  ): Promise<Map<string, UpdateResult>> {
    const failures = new Map<string, UpdateResult>();
    const toRead = updates.filter((u) => u.expectedQuantity !== undefined || !this.known.has(u.sku));
    if (toRead.length === 0) return failures;
    const current = new Map(
      (
        await this.readBySkus(
          toRead.map((u) => u.sku),
          { signal },
        )
      ).map((l) => [l.sku, l]),
    );
    for (const u of toRead) {
      const listing = current.get(u.sku);
      const failed = (code: UpdateErrorCode, message: string, currentQuantity?: number) =>
        failures.set(u.sku, {
          sku: u.sku,
          ref: u.ref,
          status: "failed",
          code,
          message,
          retryable: false,
          ...(currentQuantity !== undefined ? { currentQuantity } : {}),
        });
      if (!listing) failed("NOT_FOUND", "the SKU is not listed on Amazon in this marketplace");
      else if (u.quantity !== undefined && listing.fulfillmentChannel === "FBA")
        failed("UNSUPPORTED", "the listing is fulfilled by Amazon; its quantity is managed by Amazon");
      else if (u.expectedQuantity !== undefined && listing.quantity !== u.expectedQuantity)
        failed(
          "CONFLICT",
          `quantity is ${listing.quantity} on Amazon, expected ${u.expectedQuantity}`,
          listing.quantity ?? undefined,
        );
    }
    return failures;
  }

  /** Applies one change through patchListingsItem (or deleteListingsItem); Amazon accepts it and applies it shortly after. */
  async applyUpdate(update: ListingUpdate, options: ApplyOptions = {}): Promise<UpdateResult> {
    const early = this.precheck(update);
    if (early) return early;
    try {
      const conflict = (await this.checkBeforeWrite([update], options.signal)).get(update.sku);
      if (conflict) return conflict;
      const skuPath = `/listings/2021-08-01/items/${encodeURIComponent(this.sellerId)}/${encodeURIComponent(update.sku)}`;
      let res: { status: number; body: SubmissionResponse };
      if (update.status === "DELETED") {
        res = await this.http.send<SubmissionResponse>({
          operation: "deleteListingsItem",
          method: "DELETE",
          url: this.url(skuPath, { marketplaceIds: this.marketplaceId }),
          signal: this.signal(options.signal),
        });
      } else {
        const productType =
          this.known.get(update.sku)?.productType ?? update.externalIds?.productType ?? "PRODUCT";
        res = await this.http.send<SubmissionResponse>({
          operation: "patchListingsItem",
          method: "PATCH",
          url: this.url(skuPath, { marketplaceIds: this.marketplaceId }),
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ productType, patches: this.patchesFor(update) }),
          signal: this.signal(options.signal),
        });
      }
      const body = await this.ok(res, "patchListingsItem");
      if (body.status === "ACCEPTED" || body.status === "VALID") {
        return {
          sku: update.sku,
          ref: update.ref,
          status: "applied",
          confirmation: "ACCEPTED",
          submissionId: body.submissionId,
          previousQuantity: undefined,
        };
      }
      const issue = body.issues?.find((i) => i.severity === "ERROR") ?? body.issues?.[0] ?? {};
      return {
        sku: update.sku,
        ref: update.ref,
        status: "failed",
        code: issueCode(issue),
        message: issue.message ?? "Amazon rejected the submission",
        retryable: false,
      };
    } catch (error) {
      return { sku: update.sku, ref: update.ref, status: "failed", ...describeError(error) };
    }
  }

  /** Applies many changes: JSON_LISTINGS_FEED at or above the bulk threshold, else concurrent patches; one result per update, in order. */
  async applyUpdates(updates: ListingUpdate[], options: ApplyOptions = {}): Promise<UpdateResult[]> {
    const useFeed = options.bulk ?? updates.length >= this.opts.bulkThreshold;
    if (!useFeed) return mapPool(updates, this.opts.concurrency, (u) => this.applyUpdate(u, options));
    const results = new Array<UpdateResult | undefined>(updates.length);
    const eligible: number[] = [];
    updates.forEach((u, i) => {
      const early = this.precheck(u);
      if (early) results[i] = early;
      else eligible.push(i);
    });
    try {
      const conflicts = await this.checkBeforeWrite(
        eligible.map((i) => updates[i]!),
        options.signal,
      );
      const toSend = eligible.filter((i) => {
        const c = conflicts.get(updates[i]!.sku);
        if (c) results[i] = c;
        return !c;
      });
      for (let start = 0; start < toSend.length; start += MAX_FEED_MESSAGES) {
        const chunk = toSend.slice(start, start + MAX_FEED_MESSAGES);
        const chunkResults = await this.submitFeed(
          chunk.map((i) => updates[i]!),
          options.signal,
        );
        chunk.forEach((i, k) => {
          results[i] = chunkResults[k];
        });
      }
    } catch (error) {
      const described = describeError(error);
      updates.forEach((u, i) => {
        results[i] ??= { sku: u.sku, ref: u.ref, status: "failed", ...described };
      });
    }
    return results.map(
      (r, i) =>
        r ?? {
          sku: updates[i]!.sku,
          ref: updates[i]!.ref,
          status: "failed",
          code: "PLATFORM_ERROR",
          message: "no result",
          retryable: true,
        },
    );
  }

  /** Builds the JSON_LISTINGS_FEED document (v2) for these updates; message ids are 1-based positions. */
  buildFeedDocument(updates: ListingUpdate[]): Record<string, unknown> {
    return {
      header: { sellerId: this.sellerId, version: "2.0", issueLocale: "en_US" },
      messages: updates.map((u, i) =>
        u.status === "DELETED"
          ? { messageId: i + 1, sku: u.sku, operationType: "DELETE" }
          : {
              messageId: i + 1,
              sku: u.sku,
              operationType: "PATCH",
              productType: this.known.get(u.sku)?.productType ?? u.externalIds?.productType ?? "PRODUCT",
              patches: this.patchesFor(u),
            },
      ),
    };
  }

  private async submitFeed(updates: ListingUpdate[], signal?: AbortSignal): Promise<UpdateResult[]> {
    const contentType = "application/json; charset=UTF-8";
    const document = JSON.stringify(this.buildFeedDocument(updates));
    const created = await this.ok(
      await this.http.send<{ feedDocumentId: string; url: string }>({
        operation: "createFeedDocument",
        method: "POST",
        url: this.url("/feeds/2021-06-30/documents"),
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ contentType }),
        signal: this.signal(signal),
      }),
      "createFeedDocument",
    );
    const upload = await this.http.send({
      operation: "uploadFeedDocument",
      method: "PUT",
      url: created.url,
      headers: { "content-type": contentType },
      body: document,
      noAuth: true,
      noRateLimit: true,
      signal: this.signal(signal),
    });
    if (upload.status >= 300)
      throw new PlatformHttpError(
        "PLATFORM_ERROR",
        `feed document upload failed with ${upload.status}`,
        upload.status,
        true,
      );
    const { feedId } = await this.ok(
      await this.http.send<{ feedId: string }>({
        operation: "createFeed",
        method: "POST",
        url: this.url("/feeds/2021-06-30/feeds"),
        headers: { "content-type": "application/json" },
        body: JSON.stringify({
          feedType: "JSON_LISTINGS_FEED",
          marketplaceIds: [this.marketplaceId],
          inputFeedDocumentId: created.feedDocumentId,
        }),
        signal: this.signal(signal),
      }),
      "createFeed",
    );
    const deadline = Date.now() + this.opts.feedTimeoutMs;
    let feed: { processingStatus: string; resultFeedDocumentId?: string };
    for (;;) {
      await sleep(this.opts.feedPollIntervalMs, this.signal(signal));
      feed = await this.ok(
        await this.http.send<{ processingStatus: string; resultFeedDocumentId?: string }>({
          operation: "getFeed",
          method: "GET",
          url: this.url(`/feeds/2021-06-30/feeds/${encodeURIComponent(feedId)}`),
          signal: this.signal(signal),
        }),
        "getFeed",
      );
      if (["DONE", "FATAL", "CANCELLED"].includes(feed.processingStatus)) break;
      if (Date.now() > deadline)
        throw new PlatformHttpError(
          "TIMEOUT",
          `feed ${feedId} still ${feed.processingStatus} after ${this.opts.feedTimeoutMs} ms`,
          undefined,
          true,
        );
    }
    if (feed.processingStatus === "CANCELLED" || !feed.resultFeedDocumentId) {
      return updates.map((u) => ({
        sku: u.sku,
        ref: u.ref,
        status: "failed",
        code: "PLATFORM_ERROR",
        message: `feed ${feedId} ended ${feed.processingStatus} without a report`,
        retryable: true,
      }));
    }
    const report = await this.downloadReport(feed.resultFeedDocumentId, signal);
    const issuesByMessage = new Map<number, ReportIssue[]>();
    const general: ReportIssue[] = [];
    for (const issue of report.issues ?? []) {
      if (issue.messageId === undefined) general.push(issue);
      else issuesByMessage.set(issue.messageId, [...(issuesByMessage.get(issue.messageId) ?? []), issue]);
    }
    if (feed.processingStatus === "FATAL") {
      const message = general[0]?.message ?? "the feed failed as a whole";
      return updates.map((u) => ({
        sku: u.sku,
        ref: u.ref,
        status: "failed",
        code: "INVALID",
        message: `feed ${feedId} FATAL: ${message}`,
        retryable: false,
      }));
    }
    return updates.map((u, i) => {
      const errors = (issuesByMessage.get(i + 1) ?? []).filter((x) => x.severity === "ERROR");
      if (errors.length === 0)
        return { sku: u.sku, ref: u.ref, status: "applied", confirmation: "ACCEPTED", submissionId: feedId };
      const code = issueCode(errors[0]!);
      return {
        sku: u.sku,
        ref: u.ref,
        status: "failed",
        code,
        message: errors.map((e) => e.message).join("; "),
        retryable: code === "PLATFORM_ERROR",
      };
    });
  }

  private async downloadReport(
    documentId: string,
    signal?: AbortSignal,
  ): Promise<{ issues?: ReportIssue[]; summary?: Record<string, number> }> {
    const doc = await this.ok(
      await this.http.send<{ url: string; compressionAlgorithm?: string }>({
        operation: "getFeedDocument",
        method: "GET",
        url: this.url(`/feeds/2021-06-30/documents/${encodeURIComponent(documentId)}`),
        signal: this.signal(signal),
      }),
      "getFeedDocument",
    );
    const res = await this.http.send<Uint8Array>({
      operation: "downloadFeedDocument",
      method: "GET",
      url: doc.url,
      noAuth: true,
      noRateLimit: true,
      responseType: "bytes",
      signal: this.signal(signal),
    });
    if (res.status >= 300)
      throw new PlatformHttpError(
        "PLATFORM_ERROR",
        `report download failed with ${res.status}`,
        res.status,
        true,
      );
    const raw = doc.compressionAlgorithm === "GZIP" ? gunzipSync(res.body) : Buffer.from(res.body);
    try {
      return JSON.parse(raw.toString("utf8"));
    } catch {
      throw new PlatformHttpError(
        "PLATFORM_ERROR",
        "the processing report is not valid JSON",
        undefined,
        true,
      );
    }
  }

  /** Exchanges the refresh token and makes one cheap authenticated call. */
  async checkHealth(): Promise<HealthReport> {
    return this.http.health(async () => {
      await this.lwa.token(true);
      await this.search({ pageSize: "1", includedData: "summaries" });
    });
  }

  /** Understands SP-API notifications (raw, or wrapped in an SQS message body). */
  parseNotification(notification: InboundNotification): NotificationChange[] {
    let body = notification.body;
    if (typeof body === "string") body = JSON.parse(body);
    const wrapped = body as { Message?: unknown; Body?: unknown } | undefined;
    if (typeof wrapped?.Message === "string") body = JSON.parse(wrapped.Message);
    else if (typeof wrapped?.Body === "string") body = JSON.parse(wrapped.Body);
    const n = body as Record<string, unknown>;
    const type = String(n.NotificationType ?? n.notificationType ?? "");
    const payload = (n.Payload ?? n.payload ?? {}) as Record<string, unknown>;
    const meta = (n.NotificationMetadata ?? n.notificationMetadata ?? {}) as Record<string, unknown>;
    const eventId = (meta.NotificationId ?? meta.notificationId) as string | undefined;
    const occurredAt = (n.EventTime ?? n.eventTime) as string | undefined;
    switch (type) {
      case "LISTINGS_ITEM_MFN_QUANTITY_CHANGE":
        return [
          {
            sku: String(payload.Sku),
            kind: "QUANTITY",
            quantity: Number(payload.Quantity),
            fulfillmentChannel: "FBM",
            occurredAt,
            eventId,
            eventType: type,
            raw: body,
          },
        ];
      case "LISTINGS_ITEM_STATUS_CHANGE":
      case "LISTINGS_ITEM_STATUS_CHANGED": {
        const status = (payload.Status as string[] | undefined) ?? [];
        return [
          {
            sku: String(payload.Sku),
            kind: "STATUS",
            status: status.includes("BUYABLE") ? "ACTIVE" : "INACTIVE",
            externalIds: { asin: payload.Asin as string | undefined },
            occurredAt,
            eventId,
            eventType: type,
            raw: body,
          },
        ];
      }
      case "FBA_INVENTORY_AVAILABILITY_CHANGES": {
        const byMarketplace =
          (payload.FulfillmentInventoryByMarketplace as Array<{
            MarketplaceId?: string;
            FulfillmentInventory?: { Fulfillable?: number };
          }>) ?? [];
        const mine = byMarketplace.find((m) => m.MarketplaceId === this.marketplaceId);
        if (!mine) return [];
        return [
          {
            sku: String(payload.SKU),
            kind: "QUANTITY",
            quantity: mine.FulfillmentInventory?.Fulfillable,
            fulfillmentChannel: "FBA",
            externalIds: { asin: payload.ASIN as string | undefined },
            occurredAt,
            eventId,
            eventType: type,
            raw: body,
          },
        ];
      }
      case "FEED_PROCESSING_FINISHED":
        return [{ sku: "", kind: "FEED_FINISHED", occurredAt, eventId, eventType: type, raw: body }];
      default:
        return [
          {
            sku: String(payload.Sku ?? payload.SKU ?? ""),
            kind: "OTHER",
            occurredAt,
            eventId,
            eventType: type || undefined,
            raw: body,
          },
        ];
    }
  }

  /** Stops reading ahead and returns once no read-ahead is in flight any more. */
  async close(): Promise<void> {
    this.closing.abort(new Error("connector closed"));
    const pending = [...this.prefetch.values()];
    this.prefetch.clear();
    await Promise.allSettled(pending);
  }
}

/** Registry factory for AMAZON connections. */
export function createAmazonConnector(
  config: ConnectionConfig,
  context: ConnectorContext = {},
): PlatformConnector {
  return new AmazonConnector(config, context);
}
