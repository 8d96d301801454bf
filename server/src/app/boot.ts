import "reflect-metadata";
import type { FastifyBaseLogger, FastifyInstance } from "fastify";
import type { GraphQLSchema } from "graphql";
import type pg from "pg";
import { createDefaultRegistry } from "../connectors";
import type { PrismaClient } from "../generated/prisma/client";
import type { Services } from "../graphql/context";
import { QueryBudget } from "../graphql/cost";
import { createServer } from "../http/server";
import { ConnectionService, createEgressPolicy, environmentTenantId } from "../modules/connections";
import { AccessTokens, Authenticator, IdentityService, type LinkDelivery } from "../modules/identity";
import { createSyncRuntime } from "../modules/sync";
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
import { CredentialCipher, loadCredentialKey } from "../platform/credentials";
import { createAppPrisma, createAuthPool, createOwnerPool, type Migration } from "../platform/db";
import type { EgressPolicy } from "../platform/egress";
import { PgPubSub } from "../platform/events";
import { loadKey } from "../platform/keys";
import { RateBuckets } from "../platform/rate-buckets";
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
  close(): Promise<void>;
}

/** Wires the product over a migrated database: pools, schema, HTTP server. Does not listen. */
export async function buildApp(options: {
  url: string;
  config: Config;
  migrations: Migration[];
  database: "embedded" | "external";
  /** Where invitation and reset links go (default: the server log, until email delivery is configured). */
  deliver?: LinkDelivery;
  /** Where SNS signing certificates come from and how subscriptions are confirmed (HTTPS to AWS by default). */
  sns?: { fetchCertificate?: CertificateFetcher; confirmSubscription?: SubscriptionConfirmer };
}): Promise<App> {
  const { url, config } = options;
  const ownerPool = createOwnerPool(url);
  const { prisma, pool } = createAppPrisma(url, config.DB_POOL_SIZE);
  const authPool = createAuthPool(url);
  const cipher = new CredentialCipher(loadCredentialKey(config));
  let log: FastifyBaseLogger | undefined;
  let logEventError = (_error: Error) => {};
  let logLostConnection = (_error: Error) => {};
  // An idle connection the server ends (restart, failover, a dropped test database) must not crash the process.
  for (const p of [ownerPool, pool, authPool]) p.on("error", (error) => logLostConnection(error));
  const tokens = new AccessTokens(loadKey(config.AUTH_SECRET, config.DATA_DIR, "auth.key"));
  const authenticator = new Authenticator(authPool, tokens, {
    onError: (error) => log?.warn({ err: error }, "could not record an API key's last use"),
  });
  const buckets = new RateBuckets(authPool);
  const publicUrl = (config.PUBLIC_URL ?? `http://localhost:${config.PORT}`).replace(/\/+$/, "");
  const identity = new IdentityService(authPool, tokens, authenticator, buckets, {
    publicUrl,
    // Until email delivery is configured, links go to the operator through the server log.
    deliver:
      options.deliver ??
      (async (message) => log?.warn({ to: message.to, url: message.url }, message.subject)),
  });
  const budget = new QueryBudget(buckets, {
    apiKey: { capacity: config.API_KEY_COST_LIMIT, restorePerSecond: config.API_KEY_COST_RESTORE },
    user: { capacity: config.USER_COST_LIMIT, restorePerSecond: config.USER_COST_RESTORE },
  });
  const pubSub = new PgPubSub(url, ownerPool, (error) => logEventError(error));
  const egress = createEgressPolicy(config);
  const connections = new ConnectionService(createDefaultRegistry(), cipher, {
    egress,
    environmentTenantId: await environmentTenantId(ownerPool, config),
  });
  const sync = await createSyncRuntime({
    url,
    pubSub,
    connections,
    options: { batchSize: config.SYNC_BATCH_SIZE, asyncSettleMs: config.SYNC_ASYNC_SETTLE_MS },
    log: {
      info: (message, fields) => log?.info(fields ?? {}, message),
      warn: (message, fields) => log?.warn(fields ?? {}, message),
      error: (message, fields) => log?.error(fields ?? {}, message),
    },
  });
  const webhookEndpoints = new WebhookEndpoints(cipher, {
    publicUrl,
    defaultOverlapSeconds: config.WEBHOOK_SECRET_OVERLAP_SECONDS,
  });
  const processor = new WebhookEventProcessor(sync);
  const webhookIntake = new WebhookIntake({
    prisma,
    endpoints: webhookEndpoints,
    buckets,
    rates: {
      endpoint: { capacity: config.WEBHOOK_RATE_LIMIT, restorePerSecond: config.WEBHOOK_RATE_RESTORE },
      address: { capacity: 2 * config.WEBHOOK_RATE_LIMIT, restorePerSecond: 2 * config.WEBHOOK_RATE_RESTORE },
    },
    connectorFor: (connection) => connections.connectorFor(connection),
    sync,
    processor,
    sns: new SnsVerifier(options.sns?.fetchCertificate ?? httpsCertificateFetcher),
    confirmSubscription: options.sns?.confirmSubscription ?? httpsSubscriptionConfirmer,
    log: sync.log,
  });
  const services: Services = {
    connections,
    pubSub,
    sync,
    identity,
    authenticator,
    webhookEndpoints,
    webhookIntake,
  };
  const schema = await buildAppSchema(pubSub);
  const http = await createServer({
    config,
    budget,
    schema,
    prisma,
    ownerPool,
    migrations: options.migrations,
    database: options.database,
    services,
  });
  logEventError = (error) => http.log.error({ err: error }, "event bus: listening session lost");
  logLostConnection = (error) => http.log.warn({ err: error }, "database connection lost");
  log = http.log;
  const workers: SyncWorkers | undefined = config.WORKERS
    ? await startSyncWorkers(sync, { concurrency: config.WORKER_CONCURRENCY })
    : undefined;
  const webhookWorker = config.WORKERS ? await startWebhookWorker(sync, processor) : undefined;
  return {
    http,
    prisma,
    pool,
    ownerPool,
    authPool,
    schema,
    services,
    egress,
    async close() {
      await http.close().catch(() => {});
      await webhookIntake.drain();
      await webhookWorker?.stop();
      await workers?.stop();
      await sync.close();
      await services.connections.close();
      await pubSub.close();
      await prisma.$disconnect().catch(() => {});
      await pool.end().catch(() => {});
      await ownerPool.end().catch(() => {});
      await authPool.end().catch(() => {});
    },
  };
}
