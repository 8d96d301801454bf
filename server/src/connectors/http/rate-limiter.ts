import { TokenBucket } from "./token-bucket";

export interface RateLimit {
  rate: number;
  burst: number;
}

/** Client-side buckets keyed by account and operation, adapting to the rate the platform reports. */
export class RateLimiterRegistry {
  private readonly buckets = new Map<string, TokenBucket>();

  /**
   * @param limits documented default per operation
   * @param margin fraction of the rate kept in reserve, so client and server clocks never disagree into a 429
   */
  constructor(
    private readonly limits: Record<string, RateLimit>,
    private readonly margin = 0.03,
  ) {}

  bucket(scope: string, operation: string): TokenBucket | undefined {
    const key = `${scope}\u0000${operation}`;
    let bucket = this.buckets.get(key);
    if (!bucket) {
      const limit = this.limits[operation];
      if (!limit) return undefined;
      bucket = new TokenBucket(limit.rate * (1 - this.margin), limit.burst);
      this.buckets.set(key, bucket);
    }
    return bucket;
  }

  /** Waits for a token of this operation (no-op for operations without a documented limit). */
  async acquire(scope: string, operation: string, signal?: AbortSignal): Promise<void> {
    await this.bucket(scope, operation)?.take(signal);
  }

  /** Adopts the rate the platform says it applied (e.g. `x-amzn-RateLimit-Limit`). */
  adapt(scope: string, operation: string, reportedRate: number): void {
    const bucket = this.bucket(scope, operation);
    if (!bucket || !(reportedRate > 0)) return;
    const wanted = reportedRate * (1 - this.margin);
    if (Math.abs(bucket.currentRate - wanted) > wanted * 0.001) bucket.setRate(wanted);
  }

  /** Called on a throttling response: the server's bucket is empty, so is ours. */
  throttled(scope: string, operation: string): void {
    this.bucket(scope, operation)?.drain();
  }

  rateOf(scope: string, operation: string): RateLimit | undefined {
    const bucket = this.bucket(scope, operation);
    return bucket ? { rate: bucket.currentRate, burst: bucket.capacity } : undefined;
  }
}
