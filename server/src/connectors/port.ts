/** The one port every marketplace connector implements; product code depends on this file only. */

export type PlatformKind = "AMAZON" | "MEDUSA" | (string & {});

export type ListingStatus = "ACTIVE" | "INACTIVE" | "INCOMPLETE" | "SUPPRESSED" | "DELETED";

export type FulfillmentChannel = "FBA" | "FBM";

/** Platform-side identifiers of a listing; which ones are set depends on the platform. */
export interface ExternalIds {
  asin?: string;
  productId?: string;
  variantId?: string;
  inventoryItemId?: string;
  inventoryLevelId?: string;
  locationId?: string;
  productType?: string;
}

/** Quantity detail beyond the sellable quantity, when the platform reports it. */
export interface QuantityDetail {
  reserved?: number;
  inbound?: number;
  unfulfillable?: number;
  /** Units the platform is looking for (Amazon FBA: lost or misplaced in a fulfilment centre). */
  researching?: number;
  stocked?: number;
}

/** A listing as it stands on one platform, in the shape every connector returns. */
export interface NormalizedListing {
  sku: string;
  externalIds: ExternalIds;
  /** Sellable quantity (FBM/Medusa: what is offered; FBA: fulfillable); null when the platform does not say. */
  quantity: number | null;
  quantityDetail?: QuantityDetail;
  /** Decimal string such as "19.99"; null when the listing has no price on the platform. */
  price: string | null;
  currency: string | null;
  status: ListingStatus;
  fulfillmentChannel?: FulfillmentChannel;
  title?: string;
  version?: string;
  createdAt?: string;
  updatedAt?: string;
}

export interface ReadPageOptions {
  /** Wanted page size; connectors may return fewer (never more). */
  limit?: number;
  /** Incremental read: only listings changed at or after this instant. */
  since?: Date;
  signal?: AbortSignal;
}

export interface ListingPage {
  listings: NormalizedListing[];
  /** Opaque; pass back to readPage for the next page. Null when the read is complete. */
  nextCursor: string | null;
}

/** One change to one listing; unspecified fields are left alone. */
export interface ListingUpdate {
  sku: string;
  /** Ids from a previous read save look-ups; connectors resolve them when absent. */
  externalIds?: ExternalIds;
  quantity?: number;
  price?: string;
  currency?: string;
  status?: "ACTIVE" | "INACTIVE" | "DELETED";
  /** Compare-and-set: the write applies only if the platform still holds this quantity. */
  expectedQuantity?: number;
  /** Caller's correlation id, echoed in the result. */
  ref?: string;
}

export type UpdateErrorCode =
  | "CONFLICT"
  | "NOT_FOUND"
  | "INVALID"
  | "UNSUPPORTED"
  | "RATE_LIMITED"
  | "AUTH"
  | "UNAVAILABLE"
  | "TIMEOUT"
  | "PLATFORM_ERROR";

export type UpdateResult =
  | {
      sku: string;
      ref?: string;
      status: "applied";
      /** ACCEPTED means the platform queued the change (Amazon); confirmation comes from a later read. */
      confirmation: "CONFIRMED" | "ACCEPTED";
      /** What the platform held before the write, when the connector read it. */
      previousQuantity?: number;
      submissionId?: string;
    }
  | {
      sku: string;
      ref?: string;
      status: "failed";
      code: UpdateErrorCode;
      message: string;
      /** True when retrying later may succeed (throttling, outage). */
      retryable: boolean;
      currentQuantity?: number;
    };

export interface ApplyOptions {
  signal?: AbortSignal;
  /** Forces the bulk path (true) or the per-item path (false); default: by the connector's threshold. */
  bulk?: boolean;
}

export interface ConnectorCapabilities {
  kind: PlatformKind;
  bulkPath: string;
  maxBatchSize: number;
  /** Bulk is used at or above this many updates. */
  bulkThreshold: number;
  supportsCompareAndSet: boolean;
  /** Whether compare-and-set is emulated by a read before the write (racy by a request's duration). */
  compareAndSetEmulated: boolean;
  supportsIncrementalRead: boolean;
  supportsNotifications: boolean;
  writableFields: WritableField[];
  /** Writes are asynchronous on the platform: applied results mean accepted, not yet visible. */
  asynchronousWrites: boolean;
}

export type WritableField = "quantity" | "price" | "status";

/** What we know of a listing without asking the platform: enough for the platform's rules. */
export interface ListingFacts {
  fulfillmentChannel?: FulfillmentChannel | string | null;
}

/** Platform knowledge that needs no connection: what the platform decides itself, so no seller write can. */
export interface PlatformRules {
  /** Fields of this listing the platform sets itself (Amazon: an FBA listing's quantity). */
  managedFields(listing: ListingFacts): WritableField[];
}

/** A platform that leaves every field of its listings to the seller. */
export const SELLER_MANAGED: PlatformRules = { managedFields: () => [] };

export interface HealthReport {
  ok: boolean;
  auth: "OK" | "FAILED" | "UNKNOWN";
  latencyMs: number;
  message?: string;
  circuit: "CLOSED" | "OPEN" | "HALF_OPEN";
}

/** A change announced by the platform, normalised. */
export interface NotificationChange {
  sku: string;
  kind: "QUANTITY" | "STATUS" | "PRICE" | "FEED_FINISHED" | "OTHER";
  quantity?: number;
  status?: ListingStatus;
  price?: string;
  currency?: string;
  fulfillmentChannel?: FulfillmentChannel;
  occurredAt?: string;
  externalIds?: ExternalIds;
  /** Platform event id, for de-duplication. */
  eventId?: string;
  /** The platform's name for the event (LISTINGS_ITEM_MFN_QUANTITY_CHANGE, inventory-level.updated). */
  eventType?: string;
  raw?: unknown;
}

export interface InboundNotification {
  headers?: Record<string, string | string[] | undefined>;
  body: unknown;
}

/** The port: read, write, describe, check and listen to one marketplace account. */
export interface PlatformConnector {
  readonly kind: PlatformKind;
  capabilities(): ConnectorCapabilities;
  readPage(cursor: string | null, options?: ReadPageOptions): Promise<ListingPage>;
  readBySkus(skus: string[], options?: { signal?: AbortSignal }): Promise<NormalizedListing[]>;
  applyUpdate(update: ListingUpdate, options?: ApplyOptions): Promise<UpdateResult>;
  applyUpdates(updates: ListingUpdate[], options?: ApplyOptions): Promise<UpdateResult[]>;
  checkHealth(): Promise<HealthReport>;
  parseNotification(notification: InboundNotification): NotificationChange[];
  close(): Promise<void>;
}

/** Everything a connector needs to reach one marketplace account. */
export interface ConnectionConfig {
  kind: PlatformKind;
  /** Base URLs by role, e.g. { api, lwa } for Amazon, { api } for Medusa. */
  endpoints?: Record<string, string>;
  region?: string;
  marketplaceId?: string;
  sellerId?: string;
  credentials: Record<string, string | undefined>;
  /** Connector-specific tuning (thresholds, timeouts, location id...). */
  options?: Record<string, unknown>;
  /** How the connector reaches the network (the server's egress policy); the global fetch when absent. */
  fetch?: typeof fetch;
}

export class ConnectorConfigError extends Error {
  override name = "ConnectorConfigError";
}
