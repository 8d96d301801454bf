export type CircuitState = "CLOSED" | "OPEN" | "HALF_OPEN";

export interface CircuitBreakerOptions {
  /** Consecutive failures that open the circuit. */
  failureThreshold?: number;
  /** How long the circuit stays open before one trial call is let through. */
  openMs?: number;
  now?: () => number;
  onStateChange?: (state: CircuitState) => void;
}

export class CircuitOpenError extends Error {
  override name = "CircuitOpenError";
  constructor(readonly retryInMs: number) {
    super(`circuit open; next trial in ${Math.max(0, Math.round(retryInMs))} ms`);
  }
}

/** Per-connection breaker: opens after repeated failures, half-opens after a pause, closes on a success. */
export class CircuitBreaker {
  private failures = 0;
  private openedAt = 0;
  private stateValue: CircuitState = "CLOSED";
  private trialInFlight = false;
  private readonly threshold: number;
  private readonly openMs: number;
  private readonly now: () => number;

  constructor(private readonly options: CircuitBreakerOptions = {}) {
    this.threshold = options.failureThreshold ?? 5;
    this.openMs = options.openMs ?? 30_000;
    this.now = options.now ?? (() => performance.now());
  }

  get state(): CircuitState {
    if (this.stateValue === "OPEN" && this.now() - this.openedAt >= this.openMs) this.set("HALF_OPEN");
    return this.stateValue;
  }

  /** Throws CircuitOpenError when calls must not go out; otherwise reserves the call. */
  enter(): void {
    const state = this.state;
    if (state === "OPEN") throw new CircuitOpenError(this.openMs - (this.now() - this.openedAt));
    if (state === "HALF_OPEN") {
      if (this.trialInFlight) throw new CircuitOpenError(0);
      this.trialInFlight = true;
    }
  }

  success(): void {
    this.trialInFlight = false;
    this.failures = 0;
    if (this.stateValue !== "CLOSED") this.set("CLOSED");
  }

  failure(): void {
    this.trialInFlight = false;
    this.failures++;
    if (this.stateValue === "HALF_OPEN" || this.failures >= this.threshold) {
      this.openedAt = this.now();
      this.set("OPEN");
    }
  }

  /** A call that ended without saying anything about the platform's health (e.g. a 4xx). */
  neutral(): void {
    if (this.stateValue === "HALF_OPEN" && this.trialInFlight) {
      this.trialInFlight = false;
      this.success();
    }
  }

  private set(state: CircuitState): void {
    this.stateValue = state;
    this.options.onStateChange?.(state);
  }
}
