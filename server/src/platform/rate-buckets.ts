import type pg from "pg";

/** A leaky bucket's shape: it holds at most `capacity` points and regains `restorePerSecond` each second. */
export interface BucketPlan {
  capacity: number;
  restorePerSecond: number;
}

export interface BucketTake {
  /** Whether the points were taken. */
  ok: boolean;
  /** Points left after the take (or available now, when refused). */
  available: number;
  /** When refused: whole seconds until the bucket holds enough. */
  retryAfterSeconds: number;
}

/**
 * Leaky buckets in PostgreSQL, shared by every process on one database: each take refills by the time elapsed
 * and subtracts in one atomic statement (rate_bucket_take), so N servers together grant what one plan allows.
 */
export class RateBuckets {
  constructor(private readonly pool: pg.Pool) {}

  /**
   * Takes `cost` points from `key`'s bucket if it holds them; otherwise takes nothing. `refundFirst` points are
   * given back just before, in the same statement (one round trip where a refund and a take would be two).
   */
  async take(key: string, cost: number, plan: BucketPlan, refundFirst = 0): Promise<BucketTake> {
    const { rows } = await this.pool.query<{ ok: boolean; available: number }>(
      refundFirst > 0
        ? // The take reads the refund's row (LATERAL), so it runs after it and sees what it gave back.
          `SELECT t.ok, t.available FROM rate_bucket_take($1, $2, $3, -$5::float8) r,
             LATERAL rate_bucket_take($1, $2, $3, $4 + 0 * r.available) t`
        : "SELECT ok, available FROM rate_bucket_take($1, $2, $3, $4)",
      refundFirst > 0
        ? [key, plan.capacity, plan.restorePerSecond, cost, refundFirst]
        : [key, plan.capacity, plan.restorePerSecond, cost],
    );
    const { ok, available } = rows[0]!;
    const missing = Math.max(0, cost - available);
    return {
      ok,
      available,
      retryAfterSeconds: ok ? 0 : Math.max(1, Math.ceil(missing / plan.restorePerSecond)),
    };
  }

  /** Gives back points taken but not spent (an estimate above the actual cost), never above capacity. */
  async refund(key: string, points: number, plan: BucketPlan): Promise<number> {
    if (points <= 0) return (await this.take(key, 0, plan)).available;
    return (await this.take(key, -points, plan)).available;
  }
}

/** A request refused by a rate limit; callers answer THROTTLED (HTTP 429) with Retry-After. */
export class RateLimitedError extends Error {
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super(message);
  }
}
