export {
  type CertificateFetcher,
  httpsCertificateFetcher,
  httpsSubscriptionConfirmer,
  SnsVerifier,
  type SubscriptionConfirmer,
} from "./sns.verifier";
export { WEBHOOK_TOLERANCE_SECONDS } from "./standard-webhooks.verifier";
export { WebhookErrorCode } from "./webhook.errors";
export { ensureWebhookEventPartitions, webhookEventPartitions } from "./webhook.partitions";
export {
  WebhookConnectionResolver,
  WebhookEndpointResolver,
  WebhookMutationResolver,
} from "./webhook.resolver";
export { expireWebhookEvents, webhookEventsRetention } from "./webhook.retention";
export { startWebhookWorker } from "./webhook.worker";
export { MAX_WEBHOOK_BYTES } from "./webhook-body.rules";
export { MAX_OVERLAP_SECONDS, WEBHOOK_PATH, WebhookEndpoints } from "./webhook-endpoints.service";
export { WebhookEventProcessor } from "./webhook-event.processor";
export {
  type WebhookAnswer,
  WebhookIntake,
  type WebhookRates,
  type WebhookRequest,
} from "./webhook-intake.service";
