import { type BudgetStore, MemoryBudgetStore } from "./shared-state";
import { sleep } from "./token-bucket";

export interface RateLimit {
  rate: number;
  burst: number;
}

/**
 * Client-side budgets keyed by account and operation, adapting to the rate the platform reports. The buckets
 * live in a BudgetStore, so every process on one database spends one budget per seller and operation.
 */
export class RateLimiterRegistry {
  private readonly adapted = new Map<string, number>();

  /**
   * @param limits documented default per operation
   * @param margin fraction of the rate kept in reserve, so client and server clocks never disagree into a 429
   */
  constructor(
    private readonly limits: Record<string, RateLimit>,
    private readonly margin = 0.03,
    private readonly store: BudgetStore = new MemoryBudgetStore(),
  ) {}

  private key(scope: string, operation: string): string {
    return `${scope}/${operation}`;
  }

  /** The budget this process applies to an operation: the documented or reported rate, less the margin. */
  rateOf(scope: string, operation: string): RateLimit | undefined {
    const limit = this.limits[operation];
    if (!limit) return undefined;
    const rate = this.adapted.get(this.key(scope, operation)) ?? limit.rate;
    // Part of the burst stays in reserve (0.6 s of calls, at least one): it absorbs calls that reach the platform
    // sooner after the ones before them than their slots say (a stalled process, a loaded machine), which the
    // rate margin alone cannot.
    const reserve = Math.max(0, Math.min(limit.burst - 1, Math.max(1, Math.round(rate * 0.6))));
    return { rate: rate * (1 - this.margin), burst: limit.burst - reserve };
  }

  /** Waits for a token of this operation and says how long it waited (undefined: the operation has no limit). */
  async acquire(
    scope: string,
    operation: string,
    signal?: AbortSignal,
  ): Promise<{ level: number; waitMs: number } | undefined> {
    const limit = this.rateOf(scope, operation);
    if (!limit) return undefined;
    const { waitMs, level } = await this.store.take(this.key(scope, operation), limit);
    if (waitMs > 0) await sleep(Math.ceil(waitMs), signal);
    return { level, waitMs };
  }

  /** Adopts the rate the platform says it applied (e.g. `x-amzn-RateLimit-Limit`). */
  adapt(scope: string, operation: string, reportedRate: number): void {
    if (!this.limits[operation] || !(reportedRate > 0)) return;
    this.adapted.set(this.key(scope, operation), reportedRate);
  }

  /** Called on a throttling response: the server's bucket is empty, so is ours. */
  async throttled(scope: string, operation: string): Promise<void> {
    if (this.limits[operation]) await this.store.drain(this.key(scope, operation));
  }
}
