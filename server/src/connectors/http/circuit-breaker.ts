import { type BreakerSnapshot, type BreakerStore, MemoryBreakerStore } from "./shared-state";

export type CircuitState = "CLOSED" | "OPEN" | "HALF_OPEN";

export interface CircuitBreakerOptions {
  /** Consecutive failures that open the circuit. */
  failureThreshold?: number;
  /** How long the circuit stays open before one trial call is let through. */
  openMs?: number;
  /** Epoch-like clock in ms (the store's `openUntil` is compared with it). */
  now?: () => number;
  onStateChange?: (state: CircuitState) => void;
  /** Where the state lives (shared by every process on one database); default: this process's memory. */
  store?: BreakerStore;
  /** The account this breaker guards, as the store knows it. */
  key?: string;
  /** How stale this process's view of a closed circuit may be before it asks the store again. */
  refreshMs?: number;
}

export class CircuitOpenError extends Error {
  override name = "CircuitOpenError";
  constructor(readonly retryInMs: number) {
    super(`circuit open; next trial in ${Math.max(0, Math.round(retryInMs))} ms`);
  }
}

/**
 * Breaker for one account: opens after repeated failures seen by any process, lets one trial call through
 * after a pause, closes on a success. Its state lives in a store; this process keeps a view refreshed at
 * most every `refreshMs` while closed, so a closed circuit costs no round trip per call.
 */
export class CircuitBreaker {
  private view: BreakerSnapshot = { failures: 0, openUntil: null };
  private viewAt = Number.NEGATIVE_INFINITY;
  private trialInFlight = false;
  /** A failure was reported since the last success: the next success must reset the shared count. */
  private failedSinceSuccess = false;
  private last: CircuitState = "CLOSED";
  private readonly threshold: number;
  private readonly openMs: number;
  private readonly now: () => number;
  private readonly store: BreakerStore;
  private readonly key: string;
  private readonly refreshMs: number;

  constructor(private readonly options: CircuitBreakerOptions = {}) {
    this.threshold = options.failureThreshold ?? 5;
    this.openMs = options.openMs ?? 30_000;
    this.now = options.now ?? (() => Date.now());
    this.store = options.store ?? new MemoryBreakerStore(this.now);
    this.key = options.key ?? "default";
    this.refreshMs = options.refreshMs ?? 1000;
  }

  /** The state as this process last saw it. */
  get state(): CircuitState {
    const { openUntil } = this.view;
    const state: CircuitState =
      openUntil === null ? "CLOSED" : openUntil > this.now() && !this.trialInFlight ? "OPEN" : "HALF_OPEN";
    if (state !== this.last) {
      this.last = state;
      this.options.onStateChange?.(state);
    }
    return state;
  }

  private adopt(snapshot: BreakerSnapshot): void {
    this.view = snapshot;
    this.viewAt = this.now();
    void this.state;
  }

  /** Rejects with CircuitOpenError when calls must not go out; otherwise reserves the call. */
  async enter(): Promise<void> {
    const stale = this.now() - this.viewAt >= this.refreshMs;
    const trialDue = this.view.openUntil !== null && this.view.openUntil <= this.now();
    if (stale || trialDue) this.adopt(await this.store.read(this.key));
    const { openUntil } = this.view;
    if (openUntil === null) return;
    if (openUntil > this.now()) throw new CircuitOpenError(openUntil - this.now());
    if (this.trialInFlight || !(await this.store.claimTrial(this.key, this.openMs)))
      throw new CircuitOpenError(0);
    this.trialInFlight = true;
    void this.state;
  }

  async success(): Promise<void> {
    const wasTrial = this.trialInFlight;
    this.trialInFlight = false;
    if (wasTrial || this.failedSinceSuccess || this.view.failures > 0 || this.view.openUntil !== null) {
      this.failedSinceSuccess = false;
      this.adopt(await this.store.success(this.key));
    }
  }

  /** Counts a failure; resolves true when this failure opened the circuit. */
  async failure(): Promise<boolean> {
    this.trialInFlight = false;
    this.failedSinceSuccess = true;
    const snapshot = await this.store.failure(this.key, { threshold: this.threshold, openMs: this.openMs });
    this.adopt(snapshot);
    return snapshot.opened === true;
  }

  /** A call that ended without saying anything about the platform's health (e.g. a 4xx). */
  async neutral(): Promise<void> {
    if (this.trialInFlight) await this.success();
  }
}
