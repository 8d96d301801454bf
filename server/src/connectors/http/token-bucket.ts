/** A token bucket: `rate` tokens per second refill up to `burst`; callers wait their turn in FIFO order. */
export class TokenBucket {
  private tokens: number;
  private last: number;
  private tail: Promise<void> = Promise.resolve();
  private waiting = 0;

  constructor(
    private rate: number,
    private burst: number,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.tokens = burst;
    this.last = now();
  }

  get currentRate(): number {
    return this.rate;
  }

  get capacity(): number {
    return this.burst;
  }

  get queued(): number {
    return this.waiting;
  }

  /** Tokens available right now (fractional). */
  available(): number {
    this.refill();
    return this.tokens;
  }

  /** Takes a token immediately when one is there; never waits. */
  tryTake(): boolean {
    this.refill();
    if (this.tokens >= 1) {
      this.tokens -= 1;
      return true;
    }
    return false;
  }

  /** Seconds until a token would be free for the next caller in line (0 when one is free now). */
  waitSeconds(): number {
    this.refill();
    return this.tokens >= 1 ? 0 : (1 - this.tokens) / this.rate;
  }

  /** Waits until a token is free and takes it. */
  take(signal?: AbortSignal): Promise<void> {
    this.waiting++;
    const turn = this.tail.then(() => this.waitAndTake(signal));
    // A caller that aborts must not block the ones behind it.
    this.tail = turn.catch(() => undefined);
    return turn.finally(() => {
      this.waiting--;
    });
  }

  /** Adopts a new rate (e.g. from a rate-limit response header); burst stays unless given. */
  setRate(rate: number, burst?: number): void {
    if (!(rate > 0)) return;
    this.refill();
    this.rate = rate;
    if (burst !== undefined && burst > 0) {
      this.burst = burst;
      this.tokens = Math.min(this.tokens, burst);
    }
  }

  /** Empties the bucket, e.g. after the server said we were too fast. */
  drain(): void {
    this.refill();
    this.tokens = Math.min(this.tokens, 0);
  }

  private refill(): void {
    const t = this.now();
    const elapsed = (t - this.last) / 1000;
    this.last = t;
    if (elapsed > 0) this.tokens = Math.min(this.burst, this.tokens + elapsed * this.rate);
  }

  private async waitAndTake(signal?: AbortSignal): Promise<void> {
    for (;;) {
      signal?.throwIfAborted();
      const wait = this.waitSeconds();
      if (wait === 0) {
        this.tokens -= 1;
        return;
      }
      await sleep(Math.max(1, Math.ceil(wait * 1000)), signal);
    }
  }
}

/** Resolves after `ms`, or rejects when the signal aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}
