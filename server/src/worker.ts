import "reflect-metadata";
import { startEngine } from "./app/engine";
import { serveMetrics } from "./http/metrics";
import { MailSender } from "./modules/mail";
import { NotificationDispatcher } from "./modules/notifications";
import { startSyncWorkers } from "./modules/sync/sync.worker";
import { startWebhookWorker, WebhookEventProcessor } from "./modules/webhooks";
import { loadConfig } from "./platform/config";
import { createLogger } from "./platform/logger";
import { createMetrics } from "./platform/metrics";

/**
 * `pnpm worker`: runs sync jobs from the shared queue, alert notifications and the mail outbox, beside any number of servers and other workers on the same
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
  // Workers also turn alert events into notifications and send the mail outbox; row locks and unique keys keep
  // any number of servers and workers from notifying or mailing one event twice.
  const mail = config.SMTP_URL
    ? new MailSender(engine.ownerPool, { smtpUrl: config.SMTP_URL, from: config.MAIL_FROM, log })
    : undefined;
  mail?.start();
  const notifications = new NotificationDispatcher(engine.ownerPool, {
    email: mail !== undefined,
    kickMail: () => void mail?.kick(),
    publicUrl: (config.PUBLIC_URL ?? `http://localhost:${config.PORT}`).replace(/\/+$/, ""),
    log,
  });
  notifications.start();
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
    `ready: ${config.WORKER_CONCURRENCY} sync workers, the fast lane, webhook retries, notifications${mail ? " and email" : ""}`,
  );

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info(`${signal}: stopping; running jobs resume on another worker`);
    await notifications.stop();
    await mail?.stop();
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
