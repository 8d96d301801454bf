/**
 * What connectors share with every other process on one database: rate budgets, access tokens and circuit
 * breakers. Connectors receive these interfaces and never know where the state lives; the PostgreSQL store is
 * outside the connector folders, and the in-memory one below serves unit tests and single processes.
 */

export interface BudgetLimit {
  /** Tokens per second. */
  rate: number;
  /** Most tokens the bucket holds. */
  burst: number;
}

export interface BudgetTake {
  /** Whether the tokens were reserved (always, unless `maxWaitMs` was exceeded). */
  granted: boolean;
  /** How long the caller waits before using the reserved tokens (0: now). */
  waitMs: number;
  /** Tokens left after this take; negative while reservations are queued. */
  level: number;
}

/** Keyed token buckets: one atomic take-and-refill per call, fair across every process using the store. */
export interface BudgetStore {
  /**
   * Refills bucket `key` at `limit.rate` up to `limit.burst` and reserves `cost` tokens (default 1), going into
   * debt when there are not enough: the answer says how long to wait. With `maxWaitMs`, a take that would wait
   * longer reserves nothing (`granted: false`), for callers that refuse rather than wait.
   */
  take(key: string, limit: BudgetLimit, options?: { cost?: number; maxWaitMs?: number }): Promise<BudgetTake>;
  /** Empties the bucket (the server answered 429: its bucket is empty, so is ours). */
  drain(key: string): Promise<void>;
}

export interface CachedToken {
  value: string;
  /** Epoch milliseconds. */
  expiresAt: number;
  obtainedAt: number;
}

/** Access tokens shared by every process, so N workers do not each exchange their own. */
export interface TokenCache {
  get(key: string): Promise<CachedToken | undefined>;
  put(key: string, token: CachedToken): Promise<void>;
}

export interface BreakerSnapshot {
  /** Consecutive failures seen by every process. */
  failures: number;
  /** Epoch ms until which calls must not go out; null when closed. Past it, one trial call may go. */
  openUntil: number | null;
  /** True when this very call opened the circuit. */
  opened?: boolean;
}

/** Circuit breaker state shared by every process talking to one account. */
export interface BreakerStore {
  read(key: string): Promise<BreakerSnapshot>;
  /** Counts a failure; opens at `threshold`, or at once when it was the half-open trial. */
  failure(key: string, options: { threshold: number; openMs: number }): Promise<BreakerSnapshot>;
  success(key: string): Promise<BreakerSnapshot>;
  /** Claims the one trial call of a half-open circuit (pushing `openUntil` on for the others). */
  claimTrial(key: string, openMs: number): Promise<boolean>;
}

export interface SharedConnectorState {
  budgets: BudgetStore;
  tokens: TokenCache;
  breakers: BreakerStore;
}

/** Buckets in this process's memory. */
export class MemoryBudgetStore implements BudgetStore {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(private readonly now: () => number = () => performance.now()) {}

  async take(
    key: string,
    limit: BudgetLimit,
    options: { cost?: number; maxWaitMs?: number } = {},
  ): Promise<BudgetTake> {
    return this.takeNow(key, limit, options);
  }

  /** The synchronous take behind `take`. */
  takeNow(key: string, limit: BudgetLimit, options: { cost?: number; maxWaitMs?: number } = {}): BudgetTake {
    const cost = options.cost ?? 1;
    const t = this.now();
    const bucket = this.buckets.get(key) ?? { tokens: limit.burst, at: t };
    const level = Math.min(limit.burst, bucket.tokens + (Math.max(0, t - bucket.at) / 1000) * limit.rate);
    const waitMs = Math.max(0, ((cost - level) / limit.rate) * 1000);
    const granted = options.maxWaitMs === undefined || waitMs <= options.maxWaitMs;
    bucket.tokens = granted ? level - cost : level;
    bucket.at = Math.max(t, bucket.at);
    this.buckets.set(key, bucket);
    return { granted, waitMs, level: bucket.tokens };
  }

  async drain(key: string): Promise<void> {
    const bucket = this.buckets.get(key);
    if (bucket) bucket.tokens = Math.min(bucket.tokens, 0);
  }
}

/** Tokens in this process's memory. */
export class MemoryTokenCache implements TokenCache {
  private readonly tokens = new Map<string, CachedToken>();
  async get(key: string) {
    return this.tokens.get(key);
  }
  async put(key: string, token: CachedToken) {
    this.tokens.set(key, token);
  }
}

/** Breakers in this process's memory; `now` is epoch-like milliseconds. */
export class MemoryBreakerStore implements BreakerStore {
  private readonly states = new Map<string, { failures: number; openUntil: number | null; trial: boolean }>();

  constructor(private readonly now: () => number = () => Date.now()) {}

  private state(key: string) {
    let s = this.states.get(key);
    if (!s) {
      s = { failures: 0, openUntil: null, trial: false };
      this.states.set(key, s);
    }
    return s;
  }

  async read(key: string): Promise<BreakerSnapshot> {
    const s = this.state(key);
    return { failures: s.failures, openUntil: s.openUntil };
  }

  async failure(key: string, options: { threshold: number; openMs: number }): Promise<BreakerSnapshot> {
    const s = this.state(key);
    s.failures++;
    const wasOpen = s.openUntil !== null && !s.trial;
    let opened = false;
    if (s.trial || s.failures >= options.threshold) {
      s.openUntil = this.now() + options.openMs;
      opened = !wasOpen;
    }
    s.trial = false;
    return { failures: s.failures, openUntil: s.openUntil, opened };
  }

  async success(key: string): Promise<BreakerSnapshot> {
    const s = this.state(key);
    s.failures = 0;
    s.openUntil = null;
    s.trial = false;
    return { failures: 0, openUntil: null };
  }

  async claimTrial(key: string, openMs: number): Promise<boolean> {
    const s = this.state(key);
    if (s.openUntil === null || s.openUntil > this.now()) return false;
    s.openUntil = this.now() + openMs;
    s.trial = true;
    return true;
  }
}

// Budgets belong to the seller, whichever connector instance calls: one store per process by default.
const processBudgets = new MemoryBudgetStore();

/** State for connectors of one process: buckets shared process-wide, tokens and breakers per connector. */
export function memoryConnectorState(): SharedConnectorState {
  return { budgets: processBudgets, tokens: new MemoryTokenCache(), breakers: new MemoryBreakerStore() };
}
