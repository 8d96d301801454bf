import path from "node:path";
import { fileURLToPath } from "node:url";
import { z } from "zod";

/** The repository root (server/src/platform -> ../../..). */
export const ROOT_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");

const bool = z.enum(["true", "false", "1", "0"]).transform((v) => v === "true" || v === "1");
const slug = z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/);

/** A comma-separated list of http(s) origins, each written as its origin ("https://medusa.internal:9000"). */
const origins = z
  .string()
  .transform((v) =>
    v
      .split(",")
      .map((o) => o.trim())
      .filter(Boolean),
  )
  .refine(
    (list) =>
      list.every((o) => URL.canParse(o) && /^https?:$/.test(new URL(o).protocol) && new URL(o).origin === o),
    "must be comma-separated http(s) origins such as https://medusa.internal:9000",
  );

const schema = z.object({
  // production: outbound calls to marketplaces go over https only.
  NODE_ENV: z.enum(["development", "test", "production"]).default("development"),
  PORT: z.coerce.number().int().min(0).max(65535).default(4000),
  HOST: z.string().min(1).default("0.0.0.0"),
  DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/ }).optional(),
  // A direct (or session-mode pooled) URL for what holds session state: LISTEN, the jobs' advisory locks and
  // the migrations' lock; DATABASE_URL may then go through a transaction-mode PgBouncer (default: DATABASE_URL).
  DATABASE_SESSION_URL: z.url({ protocol: /^postgres(ql)?$/ }).optional(),
  DATA_DIR: z.string().min(1).default(path.join(ROOT_DIR, ".data")),
  EMBEDDED_PG_PORT: z.coerce.number().int().min(1).max(65535).default(54329),
  DB_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
  SEED_DEMO: bool.default(true),
  // Start the marketplace sandbox beside the server and point the demo tenant's connections at it.
  SANDBOX: bool.default(true),
  SANDBOX_PORT: z.coerce.number().int().min(1).max(65535).default(4100),
  // Where users reach the dashboard, for the links in invitations and password resets (default: this server).
  PUBLIC_URL: z.url({ protocol: /^https?$/ }).optional(),
  // HS256 key for dashboard access tokens (at least 32 bytes, base64); generated into DATA_DIR if unset.
  AUTH_SECRET: z
    .string()
    .refine((v) => Buffer.from(v, "base64").length >= 32, "must be at least 32 bytes, base64-encoded")
    .optional(),
  // Browser origins allowed to call the API across sites (comma-separated); none by default.
  CORS_ORIGINS: origins.default([]),
  // The one tenant whose connections without stored credentials use AMAZON_* / MEDUSA_* (default: the demo
  // tenant, when SEED_DEMO seeds it); the server's own credentials never serve any other tenant.
  ENV_CREDENTIALS_TENANT: slug.optional(),
  // Origins outbound calls may reach although they are internal (loopback, private) or plain http: a marketplace
  // sandbox started on its own, a self-hosted Medusa on the private network.
  EGRESS_ALLOWED_ORIGINS: origins.default([]),
  // Passwords of the demo tenant's accounts; generated into DATA_DIR on first start if unset.
  DEMO_PASSWORD: z.string().min(10, "must be at least 10 characters").optional(),
  // Query-cost budgets (leaky buckets shared by every server process): points and points restored per second.
  API_KEY_COST_LIMIT: z.coerce.number().int().min(1).max(10_000_000).default(1000),
  API_KEY_COST_RESTORE: z.coerce.number().min(0.01).max(1_000_000).default(50),
  USER_COST_LIMIT: z.coerce.number().int().min(1).max(10_000_000).default(10_000),
  USER_COST_RESTORE: z.coerce.number().min(0.01).max(1_000_000).default(500),
  // AES-256-GCM key for marketplace credentials at rest (32 bytes, base64); generated into DATA_DIR if unset.
  CREDENTIALS_KEY: z
    .string()
    .refine((v) => Buffer.from(v, "base64").length === 32, "must be 32 bytes, base64-encoded")
    .optional(),
  // How long a rotated webhook secret keeps verifying when rotateWebhookSecret names no overlap (up to 7 days).
  WEBHOOK_SECRET_OVERLAP_SECONDS: z.coerce.number().int().min(0).max(604_800).default(86_400),
  // Requests one webhook endpoint may receive in a burst, and per second after it; one client address may
  // send twice that across endpoints.
  WEBHOOK_RATE_LIMIT: z.coerce.number().int().min(1).max(1_000_000).default(600),
  WEBHOOK_RATE_RESTORE: z.coerce.number().min(0.01).max(100_000).default(20),
  // Where email goes out (smtp:// or smtps://user:pass@host:port); unset, links are written to the log instead.
  SMTP_URL: z.string().url().optional(),
  MAIL_FROM: z.string().min(3).default("Inventory Sync <no-reply@localhost>"),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  // Bearer token of GET /metrics (server and workers); unset, /metrics answers 503.
  METRICS_TOKEN: z.string().min(16, "must be at least 16 characters").optional(),
  // A worker process serves its own /metrics on this port; unset, it serves none.
  WORKER_METRICS_PORT: z.coerce.number().int().min(0).max(65535).optional(),
  CLIENT_DIST: z.string().default(path.join(ROOT_DIR, "client", "dist")),
  // Run sync workers inside the server process; false leaves the queue to separate `pnpm worker` processes.
  WORKERS: bool.default(true),
  // Sync jobs one process runs at once (the fast lane for urgent decreases has its own worker besides).
  WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(32).default(2),
  // Updates per bulk call of a sync job (one Amazon feed, one Medusa batch request).
  SYNC_BATCH_SIZE: z.coerce.number().int().min(1).max(25_000).default(1000),
  // How long a write Amazon accepted may take to show, when a resumed job reads it back.
  SYNC_ASYNC_SETTLE_MS: z.coerce.number().int().min(0).max(3_600_000).default(120_000),
  // Rows one bulkUpdateInventory call takes (the dashboard sends larger selections in chunks of this size).
  BULK_UPDATE_MAX_ROWS: z.coerce.number().int().min(1).max(10_000).default(10_000),
});

export type Config = z.infer<typeof schema>;

/** Reads and validates the environment; a bad variable stops the start with a message naming it. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  // An empty variable means "not set", as in most shells' `VAR= command`.
  const set = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ""));
  const result = schema.safeParse(set);
  if (!result.success) {
    const lines = result.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`);
    throw new Error(`Invalid configuration:\n${lines.join("\n")}`);
  }
  return result.data;
}
