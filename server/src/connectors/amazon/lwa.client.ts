import { createHash } from "node:crypto";
import { PlatformHttpError, shortReason } from "../http/errors";
import type { ResilientHttp } from "../http/http-client";
import { type CachedToken, MemoryTokenCache, type TokenCache } from "../http/shared-state";

/**
 * Login with Amazon refresh-token exchange: one token per application and seller authorisation, shared through
 * the token cache by every process, and one refresh in flight per process at a time.
 */
export class LwaTokenProvider {
  private cached?: CachedToken;
  private inflight?: Promise<CachedToken>;
  refreshes = 0;

  constructor(
    private readonly http: ResilientHttp,
    private readonly tokenUrl: string,
    private readonly clientId: string,
    private readonly clientSecret: string,
    private readonly refreshToken: string,
    /** Shared by every process on one database; default: this provider's own memory. */
    private readonly cache: TokenCache = new MemoryTokenCache(),
    /** Refresh this long before expiry, so a token never dies in flight. */
    private readonly skewMs = 60_000,
  ) {
    // The cache is keyed by a digest: it never holds the refresh token itself.
    this.cacheKey = `lwa:${createHash("sha256").update(`${clientId}\n${refreshToken}`).digest("hex")}`;
  }

  private readonly cacheKey: string;

  private fresh(c: CachedToken | undefined, now: number): c is CachedToken {
    return !!c && now < c.expiresAt - Math.min(this.skewMs, (c.expiresAt - c.obtainedAt) / 10);
  }

  /** A valid access token; `force` replaces the `rejected` token the API refused (unless a newer one already exists). */
  async token(force = false, rejected?: string): Promise<string> {
    const now = Date.now();
    const c = this.cached;
    if (!force && this.fresh(c, now)) return c.value;
    // Concurrent calls rejected with the same old token share one refresh.
    if (c && force && rejected !== undefined && c.value !== rejected) return c.value;
    if (!this.inflight) {
      this.inflight = this.obtain(force ? (rejected ?? c?.value) : undefined).finally(() => {
        this.inflight = undefined;
      });
    }
    return (await this.inflight).value;
  }

  /** Another process's token when it is fresh and not the one refused; else a new exchange, shared after. */
  private async obtain(refused: string | undefined): Promise<CachedToken> {
    const shared = await this.cache.get(this.cacheKey);
    if (this.fresh(shared, Date.now()) && shared.value !== refused) {
      this.cached = shared;
      return shared;
    }
    const token = await this.exchange();
    await this.cache.put(this.cacheKey, token);
    return token;
  }

  private async exchange(): Promise<CachedToken> {
    this.refreshes++;
    const body = new URLSearchParams({
      grant_type: "refresh_token",
      refresh_token: this.refreshToken,
      client_id: this.clientId,
      client_secret: this.clientSecret,
    }).toString();
    const res = await this.http.send<{
      access_token?: string;
      expires_in?: number;
      error?: string;
      error_description?: string;
    }>({
      operation: "lwaToken",
      method: "POST",
      url: this.tokenUrl,
      headers: { "content-type": "application/x-www-form-urlencoded;charset=UTF-8" },
      body,
      noAuth: true,
      noRateLimit: true,
    });
    if (res.status !== 200 || !res.body?.access_token) {
      const reason = shortReason(res.body?.error_description ?? res.body?.error) || `status ${res.status}`;
      throw new PlatformHttpError("AUTH", `LWA token exchange failed: ${reason}`, res.status, false);
    }
    // LWA's helpers default to 1800 s when expires_in is absent.
    const ttl = (res.body.expires_in ?? 1800) * 1000;
    const obtainedAt = Date.now();
    this.cached = { value: res.body.access_token, obtainedAt, expiresAt: obtainedAt + ttl };
    return this.cached;
  }
}
