import { EgressDeniedError } from "../../platform/egress";
import type { HealthReport } from "../port";
import { CircuitBreaker, CircuitOpenError } from "./circuit-breaker";
import { describeError, errorCodeForStatus, PlatformHttpError, shortReason } from "./errors";
import type { RateLimiterRegistry } from "./rate-limiter";
import { sleep } from "./token-bucket";

export interface RetryPolicy {
  /** Attempts in all, the first included. */
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** Extra attempts granted to throttled (429) calls, which cost nothing but time. */
  maxThrottleRetries: number;
}

export const DEFAULT_RETRY: RetryPolicy = {
  maxAttempts: 5,
  baseDelayMs: 250,
  maxDelayMs: 20_000,
  maxThrottleRetries: 20,
};

export interface HttpCall {
  /** Operation name: the rate-limit bucket and the label in errors. */
  operation: string;
  method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  url: string;
  headers?: Record<string, string>;
  body?: string | Uint8Array<ArrayBuffer>;
  /** Skip the auth hook (token endpoint, presigned URLs). */
  noAuth?: boolean;
  /** Skip the rate limiter (presigned document URLs have no SP-API limit). */
  noRateLimit?: boolean;
  /** Response body kind; default json. */
  responseType?: "json" | "bytes";
  signal?: AbortSignal;
}

export interface HttpResult<T = unknown> {
  status: number;
  headers: Headers;
  body: T;
  bytes?: Uint8Array;
}

export interface AuthHook {
  /** Adds credentials to the headers; `force` asks for a fresh token. */
  apply(headers: Record<string, string>, force: boolean): Promise<void>;
  /** Whether this response means the credentials expired or are invalid (so one refresh may help). */
  isAuthFailure(status: number, body: unknown): boolean;
}

export interface ResilientHttpOptions {
  /** The account: the key of its rate budgets and breaker in the shared state. */
  scope: string;
  /** Label of the platform in events (metrics). */
  platform?: string;
  limiter?: RateLimiterRegistry;
  breaker?: CircuitBreaker;
  retry?: Partial<RetryPolicy>;
  timeoutMs?: number;
  auth?: AuthHook;
  /** Response header carrying the applied rate (req/s). */
  rateLimitHeader?: string;
  random?: () => number;
  onEvent?: (event: HttpEvent) => void;
  /** How calls reach the network: the server's egress policy; the global fetch when absent. */
  fetch?: typeof fetch;
}

/** What happens on the wire, for logs and metrics; `platform` is the connector's label. */
export type HttpEvent = { platform?: string } & (
  | { type: "response"; operation: string; status: number | "network" | "timeout"; durationMs: number }
  | { type: "retry"; operation: string; attempt: number; reason: string; delayMs: number }
  | { type: "throttled"; operation: string }
  | { type: "auth-refresh"; operation: string }
  | { type: "breaker-open"; operation: string }
  | { type: "budget"; operation: string; level: number; waitMs: number }
);

class RetryableFailure extends Error {
  constructor(
    message: string,
    readonly status?: number,
    readonly body?: unknown,
    readonly retryAfterMs?: number,
  ) {
    super(message);
  }
}

/** HTTP with the rules both connectors share: rate limits, retries with backoff, a circuit breaker, auth refresh. */
export class ResilientHttp {
  readonly breaker: CircuitBreaker;
  private readonly retry: RetryPolicy;
  private readonly timeoutMs: number;
  private readonly random: () => number;

  constructor(private readonly options: ResilientHttpOptions) {
    this.breaker = options.breaker ?? new CircuitBreaker({ key: options.scope });
    this.retry = { ...DEFAULT_RETRY, ...options.retry };
    this.timeoutMs = options.timeoutMs ?? 30_000;
    this.random = options.random ?? Math.random;
  }

  /** Runs a platform's cheapest authenticated call and reports health: auth, latency, breaker state. */
  async health(probe: () => Promise<unknown>): Promise<HealthReport> {
    const started = performance.now();
    try {
      await probe();
      return {
        ok: true,
        auth: "OK",
        latencyMs: Math.round(performance.now() - started),
        circuit: this.breaker.state,
      };
    } catch (error) {
      const d = describeError(error);
      return {
        ok: false,
        auth: d.code === "AUTH" ? "FAILED" : "UNKNOWN",
        latencyMs: Math.round(performance.now() - started),
        message: shortReason(d.message, 300),
        circuit: this.breaker.state,
      };
    }
  }

  /** Sends the call, retrying what is worth retrying; returns any final response below 500 except 429. */
  async send<T = unknown>(call: HttpCall): Promise<HttpResult<T>> {
    let failures = 0;
    let throttles = 0;
    let authRefreshed = false;
    for (;;) {
      call.signal?.throwIfAborted();
      try {
        const result = await this.attempt<T>(call, authRefreshed);
        if (result.status === -1) {
          authRefreshed = true;
          this.emit({ type: "auth-refresh", operation: call.operation });
          continue;
        }
        return result;
      } catch (error) {
        if (error instanceof CircuitOpenError) {
          throw new PlatformHttpError("UNAVAILABLE", `${call.operation}: ${error.message}`, undefined, true);
        }
        if (!(error instanceof RetryableFailure)) throw error;
        const throttled = error.status === 429;
        if (throttled) throttles++;
        else failures++;
        const exhausted = throttled
          ? throttles > this.retry.maxThrottleRetries
          : failures >= this.retry.maxAttempts;
        if (exhausted) {
          const code = error.status
            ? errorCodeForStatus(error.status)
            : /timeout/i.test(error.message)
              ? "TIMEOUT"
              : "UNAVAILABLE";
          throw new PlatformHttpError(
            code,
            `${call.operation}: ${error.message}`,
            error.status,
            true,
            error.body,
          );
        }
        const delayMs = this.backoff(throttled ? throttles : failures, error.retryAfterMs);
        this.emit({
          type: "retry",
          operation: call.operation,
          attempt: failures + throttles,
          reason: error.message,
          delayMs,
        });
        await sleep(delayMs, call.signal);
      }
    }
  }

  /** Full-jitter exponential backoff, never shorter than what the server asked for. */
  private backoff(attempt: number, retryAfterMs?: number): number {
    const ceiling = Math.min(this.retry.maxDelayMs, this.retry.baseDelayMs * 2 ** (attempt - 1));
    const jittered = ceiling / 2 + this.random() * (ceiling / 2);
    return Math.max(retryAfterMs ?? 0, Math.round(jittered));
  }

  private emit(event: HttpEvent): void {
    this.options.onEvent?.({ platform: this.options.platform, ...event } as HttpEvent);
  }

  private async fail(operation: string): Promise<void> {
    if (await this.breaker.failure()) this.emit({ type: "breaker-open", operation });
  }

  private async attempt<T>(call: HttpCall, authRefreshed: boolean): Promise<HttpResult<T>> {
    await this.breaker.enter();
    const headers: Record<string, string> = { accept: "application/json", ...call.headers };
    if (!call.noAuth && this.options.auth) await this.options.auth.apply(headers, false);
    // The budget is taken last, right before the call leaves: work after the take would delay this call
    // past its slot and let the ones behind it reach the platform closer together than the rate allows.
    if (!call.noRateLimit) {
      const budget = await this.options.limiter?.acquire(this.options.scope, call.operation, call.signal);
      if (budget) this.emit({ type: "budget", operation: call.operation, ...budget });
      // A long wait may outlast the token taken before it (a token near its end is replaced, from memory).
      if (budget && budget.waitMs > 1000 && !call.noAuth && this.options.auth)
        await this.options.auth.apply(headers, false);
    }
    const timeout = AbortSignal.timeout(this.timeoutMs);
    const signal = call.signal ? AbortSignal.any([call.signal, timeout]) : timeout;
    let response: Response;
    let raw: Uint8Array;
    const started = performance.now();
    try {
      const send = this.options.fetch ?? fetch;
      response = await send(call.url, { method: call.method, headers, body: call.body, signal });
      raw = new Uint8Array(await response.arrayBuffer());
    } catch (error) {
      if (error instanceof EgressDeniedError) {
        // Refused before anything was sent: says nothing about the platform, and retrying cannot help.
        await this.breaker.neutral();
        throw new PlatformHttpError("INVALID", `${call.operation}: endpoint not allowed (${error.message})`);
      }
      this.emit({
        type: "response",
        operation: call.operation,
        status: timeout.aborted ? "timeout" : "network",
        durationMs: performance.now() - started,
      });
      await this.fail(call.operation);
      call.signal?.throwIfAborted();
      const reason = timeout.aborted
        ? `timeout after ${this.timeoutMs} ms`
        : `network error: ${(error as Error).message}`;
      throw new RetryableFailure(reason);
    }
    const limitHeader = this.options.rateLimitHeader;
    if (limitHeader && this.options.limiter) {
      const reported = Number.parseFloat(response.headers.get(limitHeader) ?? "");
      if (Number.isFinite(reported)) this.options.limiter.adapt(this.options.scope, call.operation, reported);
    }
    const status = response.status;
    this.emit({
      type: "response",
      operation: call.operation,
      status,
      durationMs: performance.now() - started,
    });
    let body: unknown;
    if (call.responseType === "bytes" && status < 300) {
      body = raw;
    } else if (raw.length > 0) {
      const text = new TextDecoder().decode(raw);
      try {
        body = JSON.parse(text);
      } catch {
        if (status < 300 && call.responseType !== "bytes") {
          await this.fail(call.operation);
          throw new RetryableFailure(`malformed response body (status ${status})`, undefined);
        }
        body = text;
      }
    }
    if (status === 429) {
      await this.breaker.neutral();
      await this.options.limiter?.throttled(this.options.scope, call.operation);
      this.emit({ type: "throttled", operation: call.operation });
      const retryAfter = Number.parseFloat(response.headers.get("retry-after") ?? "");
      throw new RetryableFailure(
        "throttled (429)",
        429,
        body,
        Number.isFinite(retryAfter) ? retryAfter * 1000 : undefined,
      );
    }
    if (status >= 500) {
      await this.fail(call.operation);
      throw new RetryableFailure(`server error ${status}`, status, body);
    }
    if (
      (status === 401 || status === 403) &&
      !call.noAuth &&
      this.options.auth?.isAuthFailure(status, body)
    ) {
      await this.breaker.neutral();
      if (!authRefreshed) {
        await this.options.auth.apply(headers, true);
        return { status: -1, headers: response.headers, body: undefined as T };
      }
      throw new PlatformHttpError(
        "AUTH",
        `${call.operation}: credentials rejected (${status})`,
        status,
        false,
        body,
      );
    }
    if (status >= 400) await this.breaker.neutral();
    else await this.breaker.success();
    return { status, headers: response.headers, body: body as T, bytes: raw };
  }
}
