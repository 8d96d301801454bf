import type { NotificationTarget } from "./notification-delivery";

/** What the sandbox needs to know about one product to imitate both marketplaces. */
export interface SandboxSeedItem {
  sku: string;
  asin: string;
  title: string;
  amazon: {
    price: string;
    currency: string;
    quantity: number;
    reserved: number;
    inbound: number;
    unfulfillable: number;
    fulfillmentChannel: "FBA" | "FBM";
    status: "ACTIVE" | "INACTIVE" | "INCOMPLETE" | "SUPPRESSED";
    condition: string;
    /** Amazon's product type (default PRODUCT). */
    productType?: string;
  } | null;
  medusa: {
    price: string;
    currency: string;
    quantity: number;
    status: "published" | "draft";
    /** Ids the product database already knows (demo catalog); derived from the seed when absent. */
    ids?: { productId: string; variantId: string; inventoryItemId: string };
  } | null;
}

/** Faults to inject; counters ("...Next") are consumed by the next matching requests in arrival order. */
export interface FaultConfig {
  /** Restrict faults to one API; default both. */
  only?: "amazon" | "medusa";
  /** Fraction of requests answered 500 (seeded, so a run is reproducible). */
  errorRate?: number;
  /** Added to every response. */
  latencyMs?: number;
  /** Fraction of requests that never get an answer. */
  timeoutRate?: number;
  /** Fraction of successful responses whose body is cut in half. */
  malformedRate?: number;
  /** The next N requests get 429 (a throttling storm). */
  rateLimitNext?: number;
  /** The next N requests get 503 (a burst of server errors). */
  serverErrorNext?: number;
  timeoutNext?: number;
  malformedNext?: number;
  /** Fraction of feed messages reported with an ERROR issue even though they were valid. */
  feedItemErrorRate?: number;
}

export interface FeedTiming {
  /** Time in IN_QUEUE before processing starts. */
  queuedMs: number;
  /** Processing time: base plus per message. */
  baseMs: number;
  perMessageMs: number;
}

export interface SandboxOptions {
  port?: number;
  host?: string;
  seed?: number;
  /** How many SKUs to generate from the demo catalog generator when `items` is not given (default 1000). */
  skus?: number;
  /** Explicit items (tests); wins over seed/skus. */
  items?: SandboxSeedItem[];
  /** Divides every platform delay and multiplies every rate limit; 1 = real limits. */
  speedUp?: number;
  /** Enforce rate limits (default true). */
  rateLimits?: boolean;
  faults?: FaultConfig;
  /** Check every request and response against the official models; violations are recorded. */
  validateContracts?: boolean;
  /** Fraction of items whose platform state drifted from the seed (deterministic from the seed). */
  divergence?: number;
  sellerId?: string;
  /**
   * More seller accounts on the same catalog (benchmarks of many tenants): each has its own usage-plan buckets
   * and signs in with the refresh token followed by `:` and its seller id.
   */
  sellers?: string[];
  marketplaceId?: string;
  region?: "NA" | "EU" | "FE";
  lwaClientId?: string;
  lwaClientSecret?: string;
  refreshToken?: string;
  medusaApiKey?: string;
  /** Lifetime of issued access tokens. */
  tokenTtlSeconds?: number;
  feedTiming?: Partial<FeedTiming>;
  /** Delay before an accepted listing patch becomes visible in reads (scaled by speedUp). */
  listingWriteDelayMs?: number;
  /** A JSON file that keeps the marketplaces' state across restarts (read at start, written after changes). */
  stateFile?: string;
  /** Where to POST notifications as they happen, signed (in addition to the in-memory queue). */
  notifications?: NotificationTarget;
  logger?: boolean;
}
