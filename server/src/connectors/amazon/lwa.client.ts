import { PlatformHttpError, shortReason } from "../http/errors";
import type { ResilientHttp } from "../http/http-client";

interface CachedToken {
  value: string;
  expiresAt: number;
  obtainedAt: number;
}

/** Login with Amazon refresh-token exchange: one cached token, one refresh in flight at a time. */
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
    /** Refresh this long before expiry, so a token never dies in flight. */
    private readonly skewMs = 60_000,
  ) {}

  /** A valid access token; `force` replaces the `rejected` token the API refused (unless a newer one already exists). */
  async token(force = false, rejected?: string): Promise<string> {
    const now = Date.now();
    const c = this.cached;
    if (c && !force && now < c.expiresAt - Math.min(this.skewMs, (c.expiresAt - c.obtainedAt) / 10))
      return c.value;
    // Concurrent calls rejected with the same old token share one refresh.
    if (c && force && rejected !== undefined && c.value !== rejected) return c.value;
    if (!this.inflight) {
      this.inflight = this.exchange().finally(() => {
        this.inflight = undefined;
      });
    }
    return (await this.inflight).value;
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
