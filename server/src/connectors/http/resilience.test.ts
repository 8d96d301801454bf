import { describe, expect, it } from "vitest";
import { CircuitBreaker, CircuitOpenError } from "./circuit-breaker";
import { RateLimiterRegistry } from "./rate-limiter";
import { TokenBucket } from "./token-bucket";

describe("TokenBucket", () => {
  it("allows the burst at once, then refills at the rate", () => {
    let now = 0;
    const bucket = new TokenBucket(5, 5, () => now);
    for (let i = 0; i < 5; i++) expect(bucket.tryTake()).toBe(true);
    expect(bucket.tryTake()).toBe(false);
    expect(bucket.waitSeconds()).toBeCloseTo(0.2);
    now += 200;
    expect(bucket.tryTake()).toBe(true);
    now += 10_000;
    expect(bucket.available()).toBe(5);
  });

  it("adopts a new rate and empties when throttled", () => {
    let now = 0;
    const bucket = new TokenBucket(2, 2, () => now);
    bucket.setRate(10);
    bucket.drain();
    expect(bucket.tryTake()).toBe(false);
    now += 100;
    expect(bucket.tryTake()).toBe(true);
  });
});

describe("RateLimiterRegistry", () => {
  it("keeps one bucket per account and operation, with a small safety margin under the documented rate", () => {
    const registry = new RateLimiterRegistry({ op: { rate: 5, burst: 5 } }, 0.1);
    expect(registry.rateOf("seller-a", "op")?.rate).toBeCloseTo(4.5);
    expect(registry.bucket("seller-a", "op")).not.toBe(registry.bucket("seller-b", "op"));
    registry.adapt("seller-a", "op", 10);
    expect(registry.rateOf("seller-a", "op")?.rate).toBeCloseTo(9);
    expect(registry.bucket("seller-a", "unknown")).toBeUndefined();
  });
});

describe("CircuitBreaker", () => {
  it("opens after repeated failures, half-opens after the pause and closes on a successful trial", () => {
    let now = 0;
    const breaker = new CircuitBreaker({ failureThreshold: 3, openMs: 1000, now: () => now });
    for (let i = 0; i < 3; i++) {
      breaker.enter();
      breaker.failure();
    }
    expect(breaker.state).toBe("OPEN");
    expect(() => breaker.enter()).toThrow(CircuitOpenError);
    now += 1000;
    expect(breaker.state).toBe("HALF_OPEN");
    breaker.enter();
    expect(() => breaker.enter()).toThrow(CircuitOpenError);
    breaker.success();
    expect(breaker.state).toBe("CLOSED");
  });

  it("re-opens when the half-open trial fails", () => {
    let now = 0;
    const breaker = new CircuitBreaker({ failureThreshold: 1, openMs: 10, now: () => now });
    breaker.enter();
    breaker.failure();
    now += 10;
    breaker.enter();
    breaker.failure();
    expect(breaker.state).toBe("OPEN");
  });
});
