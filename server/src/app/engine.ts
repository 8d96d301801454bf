import type pg from "pg";
import { createDefaultRegistry } from "../connectors";
import { startAnalyticsRollups } from "../modules/analytics";
import { ConnectionService, createEgressPolicy, environmentTenantId } from "../modules/connections";
import { archivesDir, startHistoryMaintenance } from "../modules/history";
import { createSyncRuntime, jobItemsRetention, type SyncRuntime } from "../modules/sync";
import { webhookEventsRetention } from "../modules/webhooks";
import type { Config } from "../platform/config";
import { pgConnectorState } from "../platform/connector-state.pg";
import { CredentialCipher, loadCredentialKey } from "../platform/credentials";
import { createAppPrisma, createOwnerPool } from "../platform/db";
import { DatabaseSession } from "../platform/db/session";
import type { EgressPolicy } from "../platform/egress";
import { PgPubSub } from "../platform/events";
import { type Logger, syncLoggerOf } from "../platform/logger";
import type { Metrics } from "../platform/metrics";

/** Connections of the engine's own application-role pool (sync jobs, connector state). */
export const ENGINE_POOL_SIZE = 6;

export interface Engine {
  ownerPool: pg.Pool;
  session: DatabaseSession;
  pubSub: PgPubSub;
  connections: ConnectionService;
  /** Where connectors may call; the server trusts the sandbox it starts here. */
  egress: EgressPolicy;
  /** The credentials cipher (marketplace credentials, webhook secrets). */
  cipher: CredentialCipher;
  sync: SyncRuntime;
  close(): Promise<void>;
}

/**
 * What every process that runs or starts sync jobs holds, server and worker alike: the owner's small pool,
 * the one session connection (LISTEN, job locks), the event bus, connectors over the shared PostgreSQL state,
 * the sync runtime (pg-boss and the engine's pool), the upkeep of history's monthly partitions and the analytics
 * rollups.
 */
export async function startEngine(options: {
  url: string;
  /** Reaches PostgreSQL directly or through a session-mode pool: LISTEN and job locks are session state. */
  sessionUrl: string;
  config: Config;
  log: Logger;
  metrics: Metrics;
}): Promise<Engine> {
  const { url, config, log, metrics } = options;
  const ownerPool = createOwnerPool(url);
  // An idle connection the server ends (restart, failover, a dropped test database) must not crash the process.
  ownerPool.on("error", (error) => log.warn({ err: error }, "database connection lost"));
  const session = new DatabaseSession(options.sessionUrl);
  const pubSub = new PgPubSub(session, ownerPool, (error) =>
    log.warn({ err: error }, "event bus: listening session lost"),
  );
  const engineDb = createAppPrisma(url, ENGINE_POOL_SIZE);
  const cipher = new CredentialCipher(loadCredentialKey(config));
  const egress = createEgressPolicy(config);
  const connections = new ConnectionService(createDefaultRegistry(), cipher, {
    egress,
    environmentTenantId: await environmentTenantId(ownerPool, config),
    context: { shared: pgConnectorState(engineDb.pool, cipher), onEvent: (e) => metrics.observeHttp(e) },
  });
  metrics.watchPool("owner", ownerPool);
  metrics.watchPool("engine", engineDb.pool);
  const sync = await createSyncRuntime({
    url,
    session,
    pubSub,
    connections,
    metrics,
    app: engineDb,
    options: { batchSize: config.SYNC_BATCH_SIZE, asyncSettleMs: config.SYNC_ASYNC_SETTLE_MS },
    log: syncLoggerOf(log),
  });
  const history = startHistoryMaintenance(ownerPool, {
    archivesDir: archivesDir(config),
    lock: session,
    steps: [jobItemsRetention, webhookEventsRetention],
    log,
  });
  await history.ready;
  const analytics = startAnalyticsRollups({ ownerPool, appPool: engineDb.pool, lock: session, log });
  await analytics.ready;
  return {
    ownerPool,
    session,
    pubSub,
    connections,
    egress,
    cipher,
    sync,
    async close() {
      await analytics.stop();
      await history.stop();
      await sync.close();
      await connections.close();
      await pubSub.close();
      await session.close();
      await ownerPool.end().catch(() => {});
    },
  };
}
