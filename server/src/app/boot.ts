import "reflect-metadata";
import type { FastifyBaseLogger, FastifyInstance } from "fastify";
import type pg from "pg";
import { createDefaultRegistry } from "../connectors";
import type { PrismaClient } from "../generated/prisma/client";
import type { Services } from "../graphql/context";
import { createServer } from "../http/server";
import { ConnectionService, createEgressPolicy, environmentTenantId } from "../modules/connections";
import { createSyncRuntime } from "../modules/sync";
import { type SyncWorkers, startSyncWorkers } from "../modules/sync/sync.worker";
import type { Config } from "../platform/config";
import { CredentialCipher, loadCredentialKey } from "../platform/credentials";
import { createAppPrisma, createOwnerPool, type Migration } from "../platform/db";
import type { EgressPolicy } from "../platform/egress";
import { PgPubSub } from "../platform/events";
import { buildAppSchema } from "./schema";

export interface App {
  http: FastifyInstance;
  prisma: PrismaClient;
  /** The application role's pool (row-level security applies to everything on it). */
  pool: pg.Pool;
  ownerPool: pg.Pool;
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
}): Promise<App> {
  const { url, config } = options;
  const ownerPool = createOwnerPool(url);
  const { prisma, pool } = createAppPrisma(url, config.DB_POOL_SIZE);
  const cipher = new CredentialCipher(loadCredentialKey(config));
  let logEventError = (_error: Error) => {};
  let logLostConnection = (_error: Error) => {};
  // An idle connection the server ends (restart, failover, a dropped test database) must not crash the process.
  for (const p of [ownerPool, pool]) p.on("error", (error) => logLostConnection(error));
  const pubSub = new PgPubSub(url, ownerPool, (error) => logEventError(error));
  const egress = createEgressPolicy(config);
  const connections = new ConnectionService(createDefaultRegistry(), cipher, {
    egress,
    environmentTenantId: await environmentTenantId(ownerPool, config),
  });
  let syncLog: FastifyBaseLogger | undefined;
  const sync = await createSyncRuntime({
    url,
    pubSub,
    connections,
    options: { batchSize: config.SYNC_BATCH_SIZE, asyncSettleMs: config.SYNC_ASYNC_SETTLE_MS },
    log: {
      info: (message, fields) => syncLog?.info(fields ?? {}, message),
      warn: (message, fields) => syncLog?.warn(fields ?? {}, message),
      error: (message, fields) => syncLog?.error(fields ?? {}, message),
    },
  });
  const services: Services = { connections, pubSub, sync };
  const http = await createServer({
    config,
    schema: await buildAppSchema(pubSub),
    prisma,
    ownerPool,
    migrations: options.migrations,
    database: options.database,
    services,
  });
  logEventError = (error) => http.log.error({ err: error }, "event bus: listening session lost");
  logLostConnection = (error) => http.log.warn({ err: error }, "database connection lost");
  syncLog = http.log;
  const workers: SyncWorkers | undefined = config.WORKERS
    ? await startSyncWorkers(sync, { concurrency: config.WORKER_CONCURRENCY })
    : undefined;
  return {
    http,
    prisma,
    pool,
    ownerPool,
    services,
    egress,
    async close() {
      await http.close().catch(() => {});
      await workers?.stop();
      await sync.close();
      await services.connections.close();
      await pubSub.close();
      await prisma.$disconnect().catch(() => {});
      await pool.end().catch(() => {});
      await ownerPool.end().catch(() => {});
    },
  };
}
