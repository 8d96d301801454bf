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
  scope: string;
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

export type HttpEvent =
  | { type: "retry"; operation: string; attempt: number; reason: string; delayMs: number }
  | { type: "throttled"; operation: string }
  | { type: "auth-refresh"; operation: string };

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
    this.breaker = options.breaker ?? new CircuitBreaker();
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
      if (!call.noRateLimit)
        await this.options.limiter?.acquire(this.options.scope, call.operation, call.signal);
      try {
        const result = await this.attempt<T>(call, authRefreshed);
        if (result.status === -1) {
          authRefreshed = true;
          this.options.onEvent?.({ type: "auth-refresh", operation: call.operation });
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
        this.options.onEvent?.({
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

  private async attempt<T>(call: HttpCall, authRefreshed: boolean): Promise<HttpResult<T>> {
    this.breaker.enter();
    const headers: Record<string, string> = { accept: "application/json", ...call.headers };
    if (!call.noAuth && this.options.auth) await this.options.auth.apply(headers, false);
    const timeout = AbortSignal.timeout(this.timeoutMs);
    const signal = call.signal ? AbortSignal.any([call.signal, timeout]) : timeout;
    let response: Response;
    let raw: Uint8Array;
    try {
      const send = this.options.fetch ?? fetch;
      response = await send(call.url, { method: call.method, headers, body: call.body, signal });
      raw = new Uint8Array(await response.arrayBuffer());
    } catch (error) {
      if (error instanceof EgressDeniedError) {
        // Refused before anything was sent: says nothing about the platform, and retrying cannot help.
        this.breaker.neutral();
        throw new PlatformHttpError("INVALID", `${call.operation}: endpoint not allowed (${error.message})`);
      }
      this.breaker.failure();
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
    let body: unknown;
    if (call.responseType === "bytes" && status < 300) {
      body = raw;
    } else if (raw.length > 0) {
      const text = new TextDecoder().decode(raw);
      try {
        body = JSON.parse(text);
      } catch {
        if (status < 300 && call.responseType !== "bytes") {
          this.breaker.failure();
          throw new RetryableFailure(`malformed response body (status ${status})`, undefined);
        }
        body = text;
      }
    }
    if (status === 429) {
      this.breaker.neutral();
      this.options.limiter?.throttled(this.options.scope, call.operation);
      this.options.onEvent?.({ type: "throttled", operation: call.operation });
      const retryAfter = Number.parseFloat(response.headers.get("retry-after") ?? "");
      throw new RetryableFailure(
        "throttled (429)",
        429,
        body,
        Number.isFinite(retryAfter) ? retryAfter * 1000 : undefined,
      );
    }
    if (status >= 500) {
      this.breaker.failure();
      throw new RetryableFailure(`server error ${status}`, status, body);
    }
    if (
      (status === 401 || status === 403) &&
      !call.noAuth &&
      this.options.auth?.isAuthFailure(status, body)
    ) {
      this.breaker.neutral();
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
    if (status >= 400) this.breaker.neutral();
    else this.breaker.success();
    return { status, headers: response.headers, body: body as T, bytes: raw };
  }
}
