import "reflect-metadata";
import { startEngine } from "./app/engine";
import { serveMetrics } from "./http/metrics";
import { startSyncWorkers } from "./modules/sync/sync.worker";
import { startWebhookWorker, WebhookEventProcessor } from "./modules/webhooks";
import { loadConfig } from "./platform/config";
import { createLogger } from "./platform/logger";
import { createMetrics } from "./platform/metrics";

/**
 * `pnpm worker`: runs sync jobs from the shared queue, beside any number of servers and other workers on the same
 * database (DATABASE_URL; default: the embedded PostgreSQL a local `pnpm start` runs).
 */
async function main() {
  const config = loadConfig();
  const log = createLogger("worker", config.LOG_LEVEL);
  const url =
    config.DATABASE_URL ?? `postgresql://postgres:postgres@127.0.0.1:${config.EMBEDDED_PG_PORT}/postgres`;
  const metrics = createMetrics("worker");
  const sessionUrl = config.DATABASE_SESSION_URL ?? url;
  const engine = await startEngine({ url, sessionUrl, config, log, metrics });
  const workers = await startSyncWorkers(engine.sync, { concurrency: config.WORKER_CONCURRENCY });
  const webhooks = await startWebhookWorker(engine.sync, new WebhookEventProcessor(engine.sync));
  const metricsServer =
    config.WORKER_METRICS_PORT !== undefined
      ? await serveMetrics(metrics, {
          port: config.WORKER_METRICS_PORT,
          host: config.HOST,
          token: config.METRICS_TOKEN,
        })
      : undefined;
  log.info(
    { concurrency: config.WORKER_CONCURRENCY, metrics: metricsServer?.url },
    `ready: ${config.WORKER_CONCURRENCY} sync workers, the fast lane and webhook retries`,
  );

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info(`${signal}: stopping; running jobs resume on another worker`);
    await webhooks.stop();
    await workers.stop();
    await metricsServer?.close();
    await engine.close();
    process.exit(0);
  };
  process.on("SIGINT", () => void stop("SIGINT"));
  process.on("SIGTERM", () => void stop("SIGTERM"));
}

main().catch((error) => {
  createLogger("worker").fatal(
    { err: error },
    `the worker could not start: ${(error as Error)?.message ?? error}`,
  );
  process.exit(1);
});
