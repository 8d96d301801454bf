import { randomBytes } from "node:crypto";
import { TokenBucket } from "../connectors/http/token-bucket";
import type { ContractValidator, JsonSchemaName } from "./contracts/contract-validator";
import { type NotificationTarget, signedNotification } from "./notification-delivery";
import { createRandom } from "./prng";
import type { SandboxState } from "./sandbox.state";
import type { FaultConfig, FeedTiming } from "./sandbox.types";

/** SP-API default usage plans (contracts README); the sandbox enforces them, multiplied by the speed-up. */
export const AMAZON_USAGE_PLANS: Record<string, { rate: number; burst: number }> = {
  getListingsItem: { rate: 5, burst: 10 },
  putListingsItem: { rate: 5, burst: 10 },
  patchListingsItem: { rate: 5, burst: 5 },
  deleteListingsItem: { rate: 5, burst: 5 },
  searchListingsItems: { rate: 5, burst: 5 },
  getInventorySummaries: { rate: 2, burst: 2 },
  createFeed: { rate: 0.0083, burst: 15 },
  createFeedDocument: { rate: 0.5, burst: 15 },
  getFeed: { rate: 2, burst: 15 },
  getFeeds: { rate: 0.0222, burst: 10 },
  getFeedDocument: { rate: 0.0222, burst: 10 },
  cancelFeed: { rate: 2, burst: 15 },
};

export interface ResolvedSandboxConfig {
  seed: number;
  speedUp: number;
  rateLimits: boolean;
  validateContracts: boolean;
  sellerId: string;
  /** Further sellers on the same catalog. */
  sellers: Set<string>;
  marketplaceId: string;
  region: "NA" | "EU" | "FE";
  lwaClientId: string;
  lwaClientSecret: string;
  refreshToken: string;
  medusaApiKey: string;
  tokenTtlSeconds: number;
  feedTiming: FeedTiming;
  listingWriteDelayMs: number;
  notifications?: NotificationTarget;
}

export interface OperationStats {
  requests: number;
  throttled: number;
  injected: number;
  ok: number;
  clientErrors: number;
  /** Arrival of the last request (epoch ms), so rates can be measured between two arrivals. */
  lastAt: number;
}

export interface StoredDocument {
  id: string;
  contentType: string;
  content?: Buffer;
  compressed: boolean;
  createdAt: number;
}

export interface StoredFeed {
  feedId: string;
  feedType: string;
  marketplaceIds: string[];
  inputFeedDocumentId: string;
  createdTime: number;
  processingStatus: "CANCELLED" | "DONE" | "FATAL" | "IN_PROGRESS" | "IN_QUEUE";
  processingStartTime?: number;
  processingEndTime?: number;
  resultFeedDocumentId?: string;
  timers: NodeJS.Timeout[];
}

export interface Violation {
  at: string;
  direction: "request" | "response" | "document";
  operation: string;
  errors: string[];
}

const NOTIFICATION_SCHEMAS: Record<string, JsonSchemaName | undefined> = {
  LISTINGS_ITEM_MFN_QUANTITY_CHANGE: "mfnQuantityChange",
  LISTINGS_ITEM_STATUS_CHANGED: "statusChange",
  LISTINGS_ITEM_ISSUES_CHANGE: "issuesChange",
  FBA_INVENTORY_AVAILABILITY_CHANGES: "fbaAvailabilityChange",
  FEED_PROCESSING_FINISHED: "feedProcessingFinished",
};

/** Everything the routes share: state, clocks, faults, buckets, tokens, feeds, notifications, violations. */
export class SandboxRuntime {
  faults: FaultConfig;
  readonly stats = new Map<string, OperationStats>();
  readonly tokens = new Map<string, { expiresAt: number; revoked: boolean; seller: string }>();
  /** The seller whose access token a request carries. */
  readonly sellerOf = new WeakMap<object, string>();
  readonly documents = new Map<string, StoredDocument>();
  readonly feeds = new Map<string, StoredFeed>();
  readonly notifications: Array<Record<string, unknown>> = [];
  /** HTTP statuses of notification deliveries, in order (0: the request failed). */
  readonly deliveries: number[] = [];
  private readonly deliveryWaiters: Array<{ count: number; resolve: () => void }> = [];
  private deliveryTotal = 0;
  /** Where notifications are posted (configured at start, changed by the control API). */
  notificationTarget: NotificationTarget | undefined;
  readonly violations: Violation[] = [];
  readonly pendingTimers = new Set<NodeJS.Timeout>();
  private readonly buckets = new Map<string, TokenBucket>();
  private readonly random: () => number;
  private counter = 0;
  closed = false;

  constructor(
    readonly state: SandboxState,
    readonly config: ResolvedSandboxConfig,
    faults: FaultConfig,
    readonly validator: ContractValidator | undefined,
  ) {
    this.faults = { ...faults };
    this.notificationTarget = config.notifications;
    this.random = createRandom(config.seed ^ 0xfa017);
  }

  now(): number {
    return Date.now();
  }

  /** Seeded randomness for fault rates, so a failing run can be replayed. */
  chance(rate: number | undefined): boolean {
    return rate !== undefined && rate > 0 && this.random() < rate;
  }

  nextId(prefix: string): string {
    this.counter++;
    return `${prefix}${this.counter.toString().padStart(6, "0")}`;
  }

  /** A platform delay, shortened by the speed-up factor. */
  scaled(ms: number): number {
    return Math.max(0, Math.round(ms / this.config.speedUp));
  }

  stat(operation: string): OperationStats {
    let s = this.stats.get(operation);
    if (!s) {
      s = { requests: 0, throttled: 0, injected: 0, ok: 0, clientErrors: 0, lastAt: 0 };
      this.stats.set(operation, s);
    }
    return s;
  }

  /** Applied rate for an operation (documented rate times speed-up). */
  appliedRate(operation: string): number | undefined {
    const plan = AMAZON_USAGE_PLANS[operation];
    return plan ? plan.rate * this.config.speedUp : undefined;
  }

  /** Takes a token from the seller's bucket for this operation; false means answer 429. */
  admit(operation: string, seller = this.config.sellerId): boolean {
    if (!this.config.rateLimits) return true;
    const plan = AMAZON_USAGE_PLANS[operation];
    if (!plan) return true;
    const key = `${seller}:${operation}`;
    let bucket = this.buckets.get(key);
    if (!bucket) {
      bucket = new TokenBucket(plan.rate * this.config.speedUp, plan.burst);
      this.buckets.set(key, bucket);
    }
    return bucket.tryTake();
  }

  issueToken(seller = this.config.sellerId): { token: string; expiresIn: number } {
    const token = `Atza|${randomBytes(24).toString("base64url")}`;
    this.tokens.set(token, {
      expiresAt: this.now() + this.config.tokenTtlSeconds * 1000,
      revoked: false,
      seller,
    });
    return { token, expiresIn: this.config.tokenTtlSeconds };
  }

  /** Makes every issued access token expired now, as if an hour had passed. */
  expireTokens(): void {
    const past = this.now() - 1;
    for (const t of this.tokens.values()) t.expiresAt = past;
  }

  checkToken(token: string | undefined): "ok" | "missing" | "expired" | "invalid" {
    if (!token) return "missing";
    const entry = this.tokens.get(token);
    if (!entry || entry.revoked) return "invalid";
    return entry.expiresAt <= this.now() ? "expired" : "ok";
  }

  /** Runs `fn` after a platform delay, unless the sandbox closes first. */
  later(ms: number, fn: () => void): NodeJS.Timeout {
    const timer = setTimeout(() => {
      this.pendingTimers.delete(timer);
      if (!this.closed) fn();
    }, ms);
    this.pendingTimers.add(timer);
    return timer;
  }

  /** Records a notification and forwards it to the configured destination, if any. */
  emit(notification: Record<string, unknown>): void {
    if (this.validator) {
      const type = String(notification.NotificationType ?? notification.notificationType ?? "");
      const schema = NOTIFICATION_SCHEMAS[type];
      if (schema) {
        const errors = this.validator.validateDocument(schema, notification);
        if (errors.length)
          this.violations.push({
            at: new Date().toISOString(),
            direction: "document",
            operation: type,
            errors,
          });
      }
    }
    this.notifications.push(notification);
    if (this.notifications.length > 20_000) this.notifications.splice(0, this.notifications.length - 20_000);
    const target = this.notificationTarget;
    if (target) {
      const { headers, body } = signedNotification(target, notification);
      fetch(target.url, { method: "POST", headers, body }).then(
        (response) => this.delivered(response.status),
        () => this.delivered(0),
      );
    }
  }

  /** Resolves once `count` notifications have been delivered (answered or failed) since the start. */
  deliveredCount(count: number): Promise<void> {
    if (this.deliveryTotal >= count) return Promise.resolve();
    return new Promise((resolve) => this.deliveryWaiters.push({ count, resolve }));
  }

  private delivered(status: number): void {
    this.deliveries.push(status);
    this.deliveryTotal++;
    if (this.deliveries.length > 1000) this.deliveries.splice(0, this.deliveries.length - 1000);
    for (const waiter of [...this.deliveryWaiters]) {
      if (this.deliveryTotal >= waiter.count) {
        this.deliveryWaiters.splice(this.deliveryWaiters.indexOf(waiter), 1);
        waiter.resolve();
      }
    }
  }

  recordViolation(direction: Violation["direction"], operation: string, errors: string[]): void {
    if (errors.length) this.violations.push({ at: new Date().toISOString(), direction, operation, errors });
  }
}
