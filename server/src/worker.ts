import "reflect-metadata";
import { createDefaultRegistry } from "./connectors";
import { ConnectionService, createEgressPolicy, environmentTenantId } from "./modules/connections";
import { createSyncRuntime } from "./modules/sync";
import { startSyncWorkers } from "./modules/sync/sync.worker";
import { startWebhookWorker, WebhookEventProcessor } from "./modules/webhooks";
import { loadConfig } from "./platform/config";
import { CredentialCipher, loadCredentialKey } from "./platform/credentials";
import { createOwnerPool } from "./platform/db";
import { PgPubSub } from "./platform/events";

/**
 * `pnpm worker`: runs sync jobs from the shared queue, beside any number of servers and other workers on the same
 * database (DATABASE_URL; default: the embedded PostgreSQL a local `pnpm start` runs).
 */
async function main() {
  const config = loadConfig();
  const url =
    config.DATABASE_URL ?? `postgresql://postgres:postgres@127.0.0.1:${config.EMBEDDED_PG_PORT}/postgres`;
  const stamp = () => new Date().toISOString();
  const log = {
    info: (message: string, fields?: Record<string, unknown>) =>
      config.LOG_LEVEL === "info" || config.LOG_LEVEL === "debug" || config.LOG_LEVEL === "trace"
        ? console.log(`${stamp()} [worker ${process.pid}] ${message}`, fields ? JSON.stringify(fields) : "")
        : undefined,
    warn: (message: string, fields?: Record<string, unknown>) =>
      config.LOG_LEVEL !== "silent" && config.LOG_LEVEL !== "fatal" && config.LOG_LEVEL !== "error"
        ? console.warn(`${stamp()} [worker ${process.pid}] ${message}`, fields ? JSON.stringify(fields) : "")
        : undefined,
    error: (message: string, fields?: Record<string, unknown>) =>
      config.LOG_LEVEL !== "silent"
        ? console.error(`${stamp()} [worker ${process.pid}] ${message}`, fields ? JSON.stringify(fields) : "")
        : undefined,
  };
  const ownerPool = createOwnerPool(url);
  const pubSub = new PgPubSub(url, ownerPool, (error) =>
    log.warn("event bus error", { error: error.message }),
  );
  const connections = new ConnectionService(
    createDefaultRegistry(),
    new CredentialCipher(loadCredentialKey(config)),
    {
      egress: createEgressPolicy(config),
      environmentTenantId: await environmentTenantId(ownerPool, config),
    },
  );
  const runtime = await createSyncRuntime({
    url,
    pubSub,
    connections,
    log,
    options: { batchSize: config.SYNC_BATCH_SIZE, asyncSettleMs: config.SYNC_ASYNC_SETTLE_MS },
  });
  const workers = await startSyncWorkers(runtime, { concurrency: config.WORKER_CONCURRENCY });
  const webhooks = await startWebhookWorker(runtime, new WebhookEventProcessor(runtime));
  log.info(`ready: ${config.WORKER_CONCURRENCY} sync workers, the fast lane and webhook retries`);

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info(`${signal}: stopping; running jobs resume on another worker`);
    await webhooks.stop();
    await workers.stop();
    await runtime.close();
    await connections.close();
    await pubSub.close();
    await ownerPool.end().catch(() => {});
    process.exit(0);
  };
  process.on("SIGINT", () => void stop("SIGINT"));
  process.on("SIGTERM", () => void stop("SIGTERM"));
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
