import type { ConnectionConfig } from "../port";

export type AmazonRegion = "NA" | "EU" | "FE";

/** SP-API hosts per region (contracts README). */
export const AMAZON_ENDPOINTS: Record<AmazonRegion, string> = {
  NA: "https://sellingpartnerapi-na.amazon.com",
  EU: "https://sellingpartnerapi-eu.amazon.com",
  FE: "https://sellingpartnerapi-fe.amazon.com",
};

export const LWA_TOKEN_URL = "https://api.amazon.com/auth/o2/token";

/** Builds an AMAZON connection config from AMAZON_* variables; undefined when any credential is missing. */
export function amazonCredentialsFromEnv(env: NodeJS.ProcessEnv = process.env): ConnectionConfig | undefined {
  const clientId = env.AMAZON_CLIENT_ID;
  const clientSecret = env.AMAZON_CLIENT_SECRET;
  const refreshToken = env.AMAZON_REFRESH_TOKEN;
  const sellerId = env.AMAZON_SELLER_ID;
  const marketplaceId = env.AMAZON_MARKETPLACE_ID;
  if (!clientId || !clientSecret || !refreshToken || !sellerId || !marketplaceId) return undefined;
  const region = (env.AMAZON_REGION ?? "NA").toUpperCase();
  if (region !== "NA" && region !== "EU" && region !== "FE")
    throw new Error(`AMAZON_REGION must be NA, EU or FE, got "${env.AMAZON_REGION}"`);
  const endpoints: Record<string, string> = {};
  if (env.AMAZON_SP_API_ENDPOINT) endpoints.api = env.AMAZON_SP_API_ENDPOINT;
  if (env.AMAZON_LWA_ENDPOINT) endpoints.lwa = env.AMAZON_LWA_ENDPOINT;
  return {
    kind: "AMAZON",
    region,
    sellerId,
    marketplaceId,
    endpoints,
    credentials: { clientId, clientSecret, refreshToken, sellerId, marketplaceId },
  };
}
