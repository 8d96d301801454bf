import {
  AMAZON_RATE_LIMITS,
  AmazonConnector,
  type AmazonConnectorOptions,
} from "../../src/connectors/amazon/amazon.connector";
import { RateLimiterRegistry } from "../../src/connectors/http/rate-limiter";
import { MedusaConnector, type MedusaConnectorOptions } from "../../src/connectors/medusa/medusa.connector";
import type { RunningSandbox } from "../../src/sandbox/sandbox.server";

/** Fast retries for tests: the sandbox's faults are counted, not timed. */
export const TEST_RETRY = { baseDelayMs: 5, maxDelayMs: 40, maxAttempts: 4, maxThrottleRetries: 30 };

/** An Amazon connector pointed at the sandbox, with its own rate-limit buckets (home store unless named). */
export function amazonFor(
  sandbox: RunningSandbox,
  options: AmazonConnectorOptions = {},
  marketplaceId = sandbox.credentials.amazon.marketplaceId,
): AmazonConnector {
  const c = sandbox.credentials.amazon;
  return new AmazonConnector(
    {
      kind: "AMAZON",
      region: c.region,
      sellerId: c.sellerId,
      marketplaceId,
      endpoints: { api: sandbox.amazonBaseUrl, lwa: sandbox.lwaUrl },
      credentials: { clientId: c.clientId, clientSecret: c.clientSecret, refreshToken: c.refreshToken },
    },
    {
      retry: TEST_RETRY,
      feedPollIntervalMs: 20,
      limiter: new RateLimiterRegistry(AMAZON_RATE_LIMITS),
      ...options,
    },
  );
}

export function medusaFor(
  sandbox: RunningSandbox,
  options: MedusaConnectorOptions = {},
  apiKey = sandbox.credentials.medusa.apiKey,
): MedusaConnector {
  return new MedusaConnector(
    { kind: "MEDUSA", endpoints: { api: sandbox.medusaBaseUrl }, credentials: { apiKey } },
    { retry: TEST_RETRY, ...options },
  );
}

/** An LWA access token from the sandbox, for tests that call SP-API routes by hand. */
export async function sandboxAccessToken(sandbox: RunningSandbox): Promise<string> {
  const c = sandbox.credentials.amazon;
  const res = await fetch(sandbox.lwaUrl, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded;charset=UTF-8" },
    body: new URLSearchParams({
      grant_type: "refresh_token",
      refresh_token: c.refreshToken,
      client_id: c.clientId,
      client_secret: c.clientSecret,
    }),
  });
  return ((await res.json()) as { access_token: string }).access_token;
}
