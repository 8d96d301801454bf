import "reflect-metadata";
import type { FastifyInstance } from "fastify";
import type { GraphQLSchema } from "graphql";
import type pg from "pg";
import type { PrismaClient } from "../generated/prisma/client";
import type { Services } from "../graphql/context";
import { QueryBudget } from "../graphql/cost";
import { createServer } from "../http/server";
import { AccessTokens, Authenticator, IdentityService, type LinkDelivery } from "../modules/identity";
import { enqueueMail, MailSender } from "../modules/mail";
import { NotificationDispatcher } from "../modules/notifications";
import { type SyncWorkers, startSyncWorkers } from "../modules/sync/sync.worker";
import {
  type CertificateFetcher,
  httpsCertificateFetcher,
  httpsSubscriptionConfirmer,
  SnsVerifier,
  type SubscriptionConfirmer,
  startWebhookWorker,
  WebhookEndpoints,
  WebhookEventProcessor,
  WebhookIntake,
} from "../modules/webhooks";
import type { Config } from "../platform/config";
import { createAppPrisma, createAuthPool, type Migration } from "../platform/db";
import type { EgressPolicy } from "../platform/egress";
import { loadKey } from "../platform/keys";
import { createLogger, type Logger } from "../platform/logger";
import { createMetrics, type Metrics } from "../platform/metrics";
import { RateBuckets } from "../platform/rate-buckets";
import { startEngine } from "./engine";
import { buildAppSchema } from "./schema";

export interface App {
  http: FastifyInstance;
  prisma: PrismaClient;
  /** The application role's pool (row-level security applies to everything on it). */
  pool: pg.Pool;
  ownerPool: pg.Pool;
  /** The identity role's pool: sign-in, sessions, API keys, shared rate limits. */
  authPool: pg.Pool;
  schema: GraphQLSchema;
  services: Services;
  /** Where connectors may call; main trusts the sandbox it starts here. */
  egress: EgressPolicy;
  metrics: Metrics;
  log: Logger;
  close(): Promise<void>;
}

/** Wires the product over a migrated database: pools, schema, HTTP server. Does not listen. */
export async function buildApp(options: {
  /** Where every pool connects: PostgreSQL directly or a transaction-mode PgBouncer. */
  url: string;
  /** Where the session connection connects (LISTEN, job locks); default DATABASE_SESSION_URL, else `url`. */
  sessionUrl?: string;
  config: Config;
  migrations: Migration[];
  database: "embedded" | "external";
  log?: Logger;
  /** Where invitation and reset links go (default: the server log, until email delivery is configured). */
  deliver?: LinkDelivery;
  /** Where SNS signing certificates come from and how subscriptions are confirmed (HTTPS to AWS by default). */
  sns?: { fetchCertificate?: CertificateFetcher; confirmSubscription?: SubscriptionConfirmer };
}): Promise<App> {
  const { url, config } = options;
  const log = options.log ?? createLogger("server", config.LOG_LEVEL);
  const metrics = createMetrics("server");
  const { prisma, pool } = createAppPrisma(url, config.DB_POOL_SIZE);
  const authPool = createAuthPool(url);
  // An idle connection the server ends (restart, failover, a dropped test database) must not crash the process.
  for (const p of [pool, authPool])
    p.on("error", (error) => log.warn({ err: error }, "database connection lost"));
  metrics.watchPool("app", pool);
  metrics.watchPool("auth", authPool);
  const sessionUrl = options.sessionUrl ?? config.DATABASE_SESSION_URL ?? url;
  const engine = await startEngine({ url, sessionUrl, config, log, metrics });

  const tokens = new AccessTokens(loadKey(config.AUTH_SECRET, config.DATA_DIR, "auth.key"));
  const authenticator = new Authenticator(authPool, tokens, {
    onError: (error) => log.warn({ err: error }, "could not record an API key's last use"),
  });
  const buckets = new RateBuckets(authPool);
  const publicUrl = (config.PUBLIC_URL ?? `http://localhost:${config.PORT}`).replace(/\/+$/, "");
  // Email through the outbox when SMTP_URL is set; otherwise links go to the operator through the server log.
  const mail = config.SMTP_URL
    ? new MailSender(engine.ownerPool, { smtpUrl: config.SMTP_URL, from: config.MAIL_FROM, log })
    : undefined;
  mail?.start();
  const deliver: LinkDelivery =
    options.deliver ??
    (mail
      ? async (message) => {
          await enqueueMail(engine.ownerPool, {
            kind: message.kind === "invitation" ? "INVITATION" : "PASSWORD_RESET",
            to: message.to,
            subject: message.subject,
            text: message.text,
            tenantId: message.tenantId,
            recipientUserId: message.userId,
          });
          void mail.kick();
        }
      : async (message) => log.warn({ to: message.to, url: message.url }, message.subject));
  const identity = new IdentityService(authPool, tokens, authenticator, buckets, {
    publicUrl,
    deliver,
    emailsLinks: !options.deliver && mail !== undefined,
  });
  const budget = new QueryBudget(buckets, {
    apiKey: { capacity: config.API_KEY_COST_LIMIT, restorePerSecond: config.API_KEY_COST_RESTORE },
    user: { capacity: config.USER_COST_LIMIT, restorePerSecond: config.USER_COST_RESTORE },
  });

  const webhookEndpoints = new WebhookEndpoints(engine.cipher, {
    publicUrl,
    defaultOverlapSeconds: config.WEBHOOK_SECRET_OVERLAP_SECONDS,
  });
  const processor = new WebhookEventProcessor(engine.sync);
  const webhookIntake = new WebhookIntake({
    prisma,
    endpoints: webhookEndpoints,
    buckets,
    rates: {
      endpoint: { capacity: config.WEBHOOK_RATE_LIMIT, restorePerSecond: config.WEBHOOK_RATE_RESTORE },
      address: { capacity: 2 * config.WEBHOOK_RATE_LIMIT, restorePerSecond: 2 * config.WEBHOOK_RATE_RESTORE },
    },
    connectorFor: (connection) => engine.connections.connectorFor(connection),
    sync: engine.sync,
    processor,
    sns: new SnsVerifier(options.sns?.fetchCertificate ?? httpsCertificateFetcher),
    confirmSubscription: options.sns?.confirmSubscription ?? httpsSubscriptionConfirmer,
    log: engine.sync.log,
  });
  // Alert events become notifications in the app always, and email only when SMTP is configured.
  const notifications = new NotificationDispatcher(engine.ownerPool, {
    email: mail !== undefined,
    kickMail: () => void mail?.kick(),
    publicUrl,
    log,
  });
  notifications.start();
  const services: Services = {
    connections: engine.connections,
    pubSub: engine.pubSub,
    sync: engine.sync,
    identity,
    authenticator,
    webhookEndpoints,
    webhookIntake,
    emailAvailable: mail !== undefined,
    notifications,
    bulkUpdateMaxRows: config.BULK_UPDATE_MAX_ROWS,
  };
  const schema = await buildAppSchema(engine.pubSub);
  const http = await createServer({
    config,
    budget,
    schema,
    prisma,
    ownerPool: engine.ownerPool,
    migrations: options.migrations,
    database: options.database,
    services,
    log,
    metrics,
  });
  const workers: SyncWorkers | undefined = config.WORKERS
    ? await startSyncWorkers(engine.sync, { concurrency: config.WORKER_CONCURRENCY })
    : undefined;
  const webhookWorker = config.WORKERS ? await startWebhookWorker(engine.sync, processor) : undefined;
  return {
    http,
    prisma,
    pool,
    ownerPool: engine.ownerPool,
    authPool,
    schema,
    services,
    egress: engine.egress,
    metrics,
    log,
    async close() {
      await http.close().catch(() => {});
      await notifications.stop();
      await mail?.stop();
      await webhookIntake.drain();
      await webhookWorker?.stop();
      await workers?.stop();
      await engine.close();
      await prisma.$disconnect().catch(() => {});
      await pool.end().catch(() => {});
      await budget.flush();
      await authPool.end().catch(() => {});
    },
  };
}
