import type { ConnectionConfig } from "../port";

export type AmazonRegion = "NA" | "EU" | "FE";

/** SP-API hosts per region (contracts README). */
export const AMAZON_ENDPOINTS: Record<AmazonRegion, string> = {
  NA: "https://sellingpartnerapi-na.amazon.com",
  EU: "https://sellingpartnerapi-eu.amazon.com",
  FE: "https://sellingpartnerapi-fe.amazon.com",
};

/** SP-API marketplace ids and the region whose endpoint serves each (SP-API "Marketplace IDs"). */
export const AMAZON_MARKETPLACES: ReadonlyMap<string, AmazonRegion> = new Map<string, AmazonRegion>([
  ["A2EUQ1WTGCTBG2", "NA"], // Canada
  ["ATVPDKIKX0DER", "NA"], // United States
  ["A1AM78C64UM0Y8", "NA"], // Mexico
  ["A2Q3Y263D00KWC", "NA"], // Brazil
  ["A28R8C7NBKEWEA", "EU"], // Ireland
  ["A1RKKUPIHCS9HS", "EU"], // Spain
  ["A1F83G8C2ARO7P", "EU"], // United Kingdom
  ["A13V1IB3VIYZZH", "EU"], // France
  ["AMEN7PMS3EDWL", "EU"], // Belgium
  ["A1805IZSGTT6HS", "EU"], // Netherlands
  ["A1PA6795UKMFR9", "EU"], // Germany
  ["APJ6JRA9NG5V4", "EU"], // Italy
  ["A2NODRKZP88ZB9", "EU"], // Sweden
  ["AE08WJ6YKNBMC", "EU"], // South Africa
  ["A1C3SOZRARQ6R3", "EU"], // Poland
  ["ARBP9OOSHTCHU", "EU"], // Egypt
  ["A33AVAJ2PDY3EV", "EU"], // Turkey
  ["A17E79C6D8DWNP", "EU"], // Saudi Arabia
  ["A2VIGQ35RCS4UG", "EU"], // United Arab Emirates
  ["A21TJRUUN4KGV", "EU"], // India
  ["A19VAU5U5O7RUS", "FE"], // Singapore
  ["A39IBJ37TRP1C6", "FE"], // Australia
  ["A1VC38T7YXB528", "FE"], // Japan
]);

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
