import { QUEUES } from "../../platform/queue";
import type { SyncRuntime } from "../sync";
import type { WebhookEventProcessor } from "./webhook-event.processor";

/**
 * Processes webhook events the queue hands back: those whose processing where they arrived did not finish
 * (the process stopped, the database failed). Processing is idempotent, so a late retry changes nothing.
 */
export async function startWebhookWorker(
  runtime: SyncRuntime,
  processor: WebhookEventProcessor,
): Promise<{ stop(): Promise<void> }> {
  await runtime.queue.work<{ tenantId: string; eventRowId: string }>(
    QUEUES.webhooks,
    { batchSize: 1, pollingIntervalSeconds: 1 },
    async ([job]) => {
      if (job) await processor.process(job.data.tenantId, job.data.eventRowId);
    },
  );
  return {
    async stop() {
      await runtime.queue.offWork(QUEUES.webhooks).catch(() => {});
    },
  };
}
