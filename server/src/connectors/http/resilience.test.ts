import { describe, expect, it } from "vitest";
import { CircuitBreaker, CircuitOpenError } from "./circuit-breaker";
import { RateLimiterRegistry } from "./rate-limiter";
import { MemoryBreakerStore, MemoryBudgetStore } from "./shared-state";
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

describe("MemoryBudgetStore", () => {
  it("reserves tokens into debt and says how long each caller waits, in arrival order", async () => {
    let now = 0;
    const store = new MemoryBudgetStore(() => now);
    const limit = { rate: 5, burst: 2 };
    const waits = [];
    for (let i = 0; i < 5; i++) waits.push((await store.take("k", limit)).waitMs);
    expect(waits.map(Math.round)).toEqual([0, 0, 200, 400, 600]);
    now += 600;
    expect((await store.take("k", limit)).waitMs).toBeCloseTo(200);
    expect((await store.take("other", limit)).waitMs).toBe(0);
  });

  it("refuses without reserving when the wait would exceed maxWaitMs, and charges a cost", async () => {
    let now = 0;
    const store = new MemoryBudgetStore(() => now);
    const limit = { rate: 10, burst: 100 };
    expect(await store.take("api", limit, { cost: 90, maxWaitMs: 0 })).toMatchObject({
      granted: true,
      level: 10,
    });
    expect(await store.take("api", limit, { cost: 50, maxWaitMs: 0 })).toMatchObject({
      granted: false,
      level: 10,
    });
    now += 4000;
    expect((await store.take("api", limit, { cost: 50, maxWaitMs: 0 })).granted).toBe(true);
  });

  it("is empty after a drain", async () => {
    const now = 0;
    const store = new MemoryBudgetStore(() => now);
    await store.take("k", { rate: 1, burst: 5 });
    await store.drain("k");
    expect((await store.take("k", { rate: 1, burst: 5 })).waitMs).toBeCloseTo(1000);
  });
});

describe("RateLimiterRegistry", () => {
  it("keeps one budget per account and operation, a safety margin under the documented or reported rate and part of the burst in reserve", async () => {
    const registry = new RateLimiterRegistry(
      { op: { rate: 5, burst: 5 }, slow: { rate: 0.5, burst: 1 } },
      0.1,
    );
    expect(registry.rateOf("seller-a", "op")).toEqual({ rate: 4.5, burst: 2 });
    expect(registry.rateOf("seller-a", "slow")).toEqual({ rate: 0.45, burst: 1 });
    registry.adapt("seller-a", "op", 10);
    expect(registry.rateOf("seller-a", "op")?.rate).toBeCloseTo(9);
    expect(registry.rateOf("seller-b", "op")?.rate).toBeCloseTo(4.5);
    expect(registry.rateOf("seller-a", "unknown")).toBeUndefined();
    expect(await registry.acquire("seller-a", "unknown")).toBeUndefined();
    expect(await registry.acquire("seller-b", "op")).toEqual({ level: 1, waitMs: 0 });
  });
});

describe("CircuitBreaker", () => {
  it("opens after repeated failures, half-opens after the pause and closes on a successful trial", async () => {
    let now = 0;
    const breaker = new CircuitBreaker({ failureThreshold: 3, openMs: 1000, now: () => now });
    for (let i = 0; i < 3; i++) {
      await breaker.enter();
      await breaker.failure();
    }
    expect(breaker.state).toBe("OPEN");
    await expect(breaker.enter()).rejects.toThrow(CircuitOpenError);
    now += 1000;
    expect(breaker.state).toBe("HALF_OPEN");
    await breaker.enter();
    await expect(breaker.enter()).rejects.toThrow(CircuitOpenError);
    await breaker.success();
    expect(breaker.state).toBe("CLOSED");
  });

  it("re-opens when the half-open trial fails", async () => {
    let now = 0;
    const breaker = new CircuitBreaker({ failureThreshold: 1, openMs: 10, now: () => now });
    await breaker.enter();
    expect(await breaker.failure()).toBe(true);
    now += 10;
    await breaker.enter();
    await breaker.failure();
    expect(breaker.state).toBe("OPEN");
  });

  it("shares its state through the store: one process's failures open the circuit for another, which lets one trial through", async () => {
    let now = 0;
    const store = new MemoryBreakerStore(() => now);
    const options = { failureThreshold: 2, openMs: 1000, now: () => now, store, key: "seller", refreshMs: 0 };
    const a = new CircuitBreaker(options);
    const b = new CircuitBreaker(options);
    await a.failure();
    await b.failure();
    await expect(a.enter()).rejects.toThrow(CircuitOpenError);
    await expect(b.enter()).rejects.toThrow(CircuitOpenError);
    now += 1000;
    await a.enter();
    await expect(b.enter()).rejects.toThrow(CircuitOpenError);
    await a.success();
    await b.enter();
    expect(b.state).toBe("CLOSED");
  });
});
