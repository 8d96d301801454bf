import { createLogger, type LogLevel } from "../platform/logger";
import { startSandbox } from "./sandbox.server";

/**
 * `pnpm sandbox`: the marketplace imitation as its own program (env SANDBOX_PORT, SANDBOX_SKUS, SANDBOX_SEED...;
 * SANDBOX_STATE_FILE keeps its state across restarts).
 */
const env = process.env;
const num = (name: string): number | undefined => {
  const raw = env[name];
  if (raw === undefined || raw === "") return undefined;
  const value = Number(raw);
  if (!Number.isFinite(value)) throw new Error(`${name} must be a number, got "${raw}"`);
  return value;
};

const LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"];
const level = env.LOG_LEVEL || "info";
if (!LEVELS.includes(level)) throw new Error(`LOG_LEVEL must be one of ${LEVELS.join(", ")}, got "${level}"`);
const log = createLogger("sandbox", level as LogLevel);
if (env.SANDBOX_NOTIFICATION_URL && !env.SANDBOX_NOTIFICATION_SECRET) {
  throw new Error(
    "SANDBOX_NOTIFICATION_URL needs SANDBOX_NOTIFICATION_SECRET (whsec_…) to sign what it posts",
  );
}

const started = performance.now();
const sandbox = await startSandbox({
  port: num("SANDBOX_PORT") ?? 4100,
  host: env.SANDBOX_HOST ?? "127.0.0.1",
  seed: num("SANDBOX_SEED"),
  skus: num("SANDBOX_SKUS") ?? 100_000,
  speedUp: num("SANDBOX_SPEED_UP") ?? 1,
  validateContracts: env.SANDBOX_VALIDATE === "true",
  // Notifications go to SANDBOX_NOTIFICATION_URL signed with SANDBOX_NOTIFICATION_SECRET (Standard Webhooks).
  notifications: env.SANDBOX_NOTIFICATION_URL
    ? { url: env.SANDBOX_NOTIFICATION_URL, secret: env.SANDBOX_NOTIFICATION_SECRET }
    : undefined,
  // The credentials it accepts; its built-in ones when unset.
  lwaClientId: env.SANDBOX_AMAZON_CLIENT_ID || undefined,
  lwaClientSecret: env.SANDBOX_AMAZON_CLIENT_SECRET || undefined,
  refreshToken: env.SANDBOX_AMAZON_REFRESH_TOKEN || undefined,
  sellerId: env.SANDBOX_AMAZON_SELLER_ID || undefined,
  marketplaceId: env.SANDBOX_AMAZON_MARKETPLACE_ID || undefined,
  medusaApiKey: env.SANDBOX_MEDUSA_API_KEY || undefined,
  stateFile: env.SANDBOX_STATE_FILE || undefined,
  logger: env.SANDBOX_LOG === "true",
});
const { amazon, medusa } = sandbox.credentials;
log.info(
  {
    url: sandbox.url,
    amazonListings: sandbox.state.amazon.size,
    medusaVariants: sandbox.state.medusa.size,
    startedMs: Math.round(performance.now() - started),
    amazon: {
      baseUrl: sandbox.amazonBaseUrl,
      lwaUrl: sandbox.lwaUrl,
      env: `AMAZON_CLIENT_ID=${amazon.clientId} AMAZON_CLIENT_SECRET=${amazon.clientSecret} AMAZON_REFRESH_TOKEN=${amazon.refreshToken} AMAZON_SELLER_ID=${amazon.sellerId} AMAZON_MARKETPLACE_ID=${amazon.marketplaceId}`,
    },
    medusa: { baseUrl: sandbox.medusaBaseUrl, env: `MEDUSA_API_KEY=${medusa.apiKey}` },
    control: `GET/POST/DELETE ${sandbox.url}/_sandbox/faults, POST /_sandbox/tokens/expire, POST /_sandbox/sales, GET /_sandbox/notifications, GET /_sandbox/stats`,
  },
  `marketplace sandbox listening on ${sandbox.url}`,
);
const stop = async () => {
  await sandbox.close();
  process.exit(0);
};
process.once("SIGINT", stop);
process.once("SIGTERM", stop);
// Started by the product's server with an IPC channel: go when it goes.
process.once("disconnect", stop);
