import { ConnectorConfigError, type NotificationChange, type PlatformConnector } from "../../connectors";
import type { PlatformConnection, PrismaClient, WebhookEndpoint } from "../../generated/prisma/client";
import { type TenantDb, tenantDb } from "../../platform/db";
import { QUEUES } from "../../platform/queue";
import type { BucketPlan, RateBuckets } from "../../platform/rate-buckets";
import type { SyncLogger, SyncRuntime } from "../sync";
import {
  asSnsMessage,
  type SnsVerifier,
  type SubscriptionConfirmer,
  trustedSubscribeUrl,
} from "./sns.verifier";
import { verifyStandardWebhook } from "./standard-webhooks.verifier";
import { refuse, WebhookErrorCode, type WebhookRefusal } from "./webhook.errors";
import { parseJsonObject, readJsonBody } from "./webhook-body.rules";
import type { WebhookEndpoints } from "./webhook-endpoints.service";
import type { StoredPayload, WebhookEventProcessor } from "./webhook-event.processor";

/** A request to an endpoint: the id from its URL, its headers, the exact bytes of its body, the caller's address. */
export interface WebhookRequest {
  endpointId: string;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
  ip: string | null;
}

export interface WebhookAnswer {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
  /** The endpoint's marketplace, once the request named a known one (for metrics). */
  platform?: string;
}

export interface WebhookRates {
  /** Requests one endpoint may receive. */
  endpoint: BucketPlan;
  /** Requests one client address may send, whatever the endpoint. */
  address: BucketPlan;
}

/** When the queue retries an event whose processing right after storing did not finish. */
const RETRY_AFTER_SECONDS = 10;
const EVENT_ID = /^[\x20-\x7e]{1,255}$/;

const unknownEndpoint = () =>
  refuse(401, WebhookErrorCode.UNKNOWN_ENDPOINT, "No webhook endpoint has this URL");

const refusal = (r: WebhookRefusal): WebhookAnswer => ({
  status: r.status,
  body: { error: { code: r.code, message: r.message } },
  ...(r.retryAfterSeconds ? { headers: { "retry-after": String(r.retryAfterSeconds) } } : {}),
});

/** A verified delivery's notification and the id its sender signed, or an answer already decided (SNS). */
type Verified =
  | { ok: true; body: Record<string, unknown>; deliveryId: string }
  | { ok: true; answer: WebhookAnswer }
  | WebhookRefusal;

/**
 * Webhook intake: rate limits, finds the endpoint the URL names, verifies the delivery (Standard Webhooks under
 * the endpoint's secrets, or an Amazon SNS message from the endpoint's topic), checks and parses the body with
 * the connection's connector, stores the event once per (platform, event id) and answers at once. The event is
 * processed right after, in this process; a queue job retries it if that does not finish.
 */
export class WebhookIntake {
  private readonly inFlight = new Set<Promise<void>>();

  constructor(
    private readonly deps: {
      prisma: PrismaClient;
      endpoints: WebhookEndpoints;
      buckets: RateBuckets;
      rates: WebhookRates;
      connectorFor: (connection: PlatformConnection) => PlatformConnector;
      sync: SyncRuntime;
      processor: WebhookEventProcessor;
      sns: SnsVerifier;
      confirmSubscription: SubscriptionConfirmer;
      log: SyncLogger;
    },
  ) {}

  async receive(request: WebhookRequest): Promise<WebhookAnswer> {
    const limited = await this.limit(`webhook-address:${request.ip ?? "unknown"}`, this.deps.rates.address);
    if (limited) return refusal(limited);
    const endpoint = await this.deps.endpoints.find(this.deps.prisma, request.endpointId);
    if (!endpoint) return refusal(unknownEndpoint());
    const throttled = await this.limit(`webhook-endpoint:${endpoint.id}`, this.deps.rates.endpoint);
    if (throttled) return refusal(throttled);

    const db = tenantDb(this.deps.prisma, endpoint.tenantId);
    const delivery =
      request.headers["x-amz-sns-message-type"] !== undefined
        ? await this.verifySns(request.body, endpoint.snsTopicArn)
        : await this.verifyStandard(db, endpoint, request);
    if (!delivery.ok) return refusal(delivery);
    if ("answer" in delivery) return delivery.answer;

    const connection = await db.client.platformConnection.findUnique({
      where: { id: endpoint.connectionId },
    });
    if (!connection) return refusal(unknownEndpoint());
    const answer = (a: WebhookAnswer): WebhookAnswer => ({ ...a, platform: connection.kind });
    let changes: NotificationChange[];
    try {
      changes = this.deps.connectorFor(connection).parseNotification({
        headers: request.headers,
        body: delivery.body,
      });
    } catch (error) {
      if (error instanceof ConnectorConfigError) {
        return answer(refusal(refuse(503, WebhookErrorCode.CONNECTOR_UNAVAILABLE, error.message)));
      }
      return answer(
        refusal(refuse(400, WebhookErrorCode.MALFORMED_PAYLOAD, `Not a ${connection.kind} notification`)),
      );
    }
    const own = changes.find((c) => c.eventId)?.eventId;
    // The marketplace's own id when the signed body has one, else the id the sender signed.
    const eventId = typeof own === "string" && EVENT_ID.test(own) ? own : delivery.deliveryId;
    const eventType = String(
      changes.find((c) => c.eventType)?.eventType ?? changes[0]?.kind ?? "UNKNOWN",
    ).slice(0, 100);
    const payload: StoredPayload = { body: delivery.body, changes: changes.map(({ raw: _raw, ...c }) => c) };
    // The key first, in the same statement: it spans the months the events are partitioned by, so a
    // redelivery in a later month is recognised too.
    const inserted = await db.client.$queryRaw<{ id: string }[]>`
      WITH key AS (
        INSERT INTO webhook_event_keys (platform, event_id, event_row_id, received_at)
        VALUES (${connection.kind}::"PlatformKind", ${eventId}, gen_random_uuid(), now())
        ON CONFLICT (tenant_id, platform, event_id) DO NOTHING
        RETURNING event_row_id, received_at)
      INSERT INTO webhook_events (id, received_at, platform, event_id, event_type, connection_id, payload)
      SELECT event_row_id, received_at, ${connection.kind}::"PlatformKind", ${eventId}, ${eventType},
             ${connection.id}::uuid, ${JSON.stringify(payload)}::jsonb
        FROM key
      RETURNING id`;
    if (inserted.length > 0) {
      await this.schedule(endpoint.tenantId, inserted[0]!.id);
      return answer({ status: 200, body: { status: "RECEIVED", eventId } });
    }
    const [existing] = await db.client.$queryRaw<{ id: string; status: string }[]>`
      SELECT e.id, e.status::text FROM webhook_event_keys k
        JOIN webhook_events e ON e.id = k.event_row_id AND e.received_at = k.received_at
       WHERE k.tenant_id = ${endpoint.tenantId}::uuid AND k.platform = ${connection.kind}::"PlatformKind"
         AND k.event_id = ${eventId}`;
    // Stored by a process that stopped before queueing it: the sender's retry finishes the job.
    if (existing?.status === "RECEIVED") await this.schedule(endpoint.tenantId, existing.id);
    return answer({ status: 200, body: { status: "DUPLICATE", eventId } });
  }

  /** Waits for events being processed in this process (at shutdown; the queue retries any left). */
  async drain(): Promise<void> {
    await Promise.allSettled([...this.inFlight]);
  }

  private async limit(key: string, plan: BucketPlan): Promise<WebhookRefusal | null> {
    const take = await this.deps.buckets.take(key, 1, plan);
    if (take.ok) return null;
    return {
      ...refuse(
        429,
        WebhookErrorCode.THROTTLED,
        `Too many webhook requests; retry in ${take.retryAfterSeconds} s`,
      ),
      retryAfterSeconds: take.retryAfterSeconds,
    };
  }

  /** Queues a retry first (so a crash loses nothing), then processes now and drops the retry once done. */
  private async schedule(tenantId: string, eventRowId: string): Promise<void> {
    const { queue } = this.deps.sync;
    const retryId = await queue.send(
      QUEUES.webhooks,
      { tenantId, eventRowId },
      { startAfter: RETRY_AFTER_SECONDS },
    );
    const run = this.deps.processor
      .process(tenantId, eventRowId)
      .then(() => (retryId ? queue.deleteJob(QUEUES.webhooks, retryId) : undefined))
      .catch((error) =>
        this.deps.log.warn("webhook event left to the queue's retry", { eventRowId, error: String(error) }),
      )
      .finally(() => this.inFlight.delete(run));
    this.inFlight.add(run);
  }

  private async verifyStandard(
    db: TenantDb,
    endpoint: WebhookEndpoint,
    request: WebhookRequest,
  ): Promise<Verified> {
    const secrets = await this.deps.endpoints.verificationSecrets(db, endpoint.id);
    const verified = verifyStandardWebhook(request.body, request.headers, secrets);
    if (!verified.ok) return verified;
    const body = readJsonBody(request.body);
    return body.ok ? { ok: true, body: body.value, deliveryId: verified.id } : body;
  }

  private async verifySns(raw: Buffer, topicArn: string | null): Promise<Verified> {
    const envelope = readJsonBody(raw);
    if (!envelope.ok) return envelope;
    const message = asSnsMessage(envelope.value);
    if (!message) return refuse(400, WebhookErrorCode.MALFORMED_PAYLOAD, "Not an SNS message");
    if (!topicArn || message.TopicArn !== topicArn) {
      return refuse(
        401,
        WebhookErrorCode.UNKNOWN_TOPIC,
        "This endpoint does not accept messages of that topic",
      );
    }
    const verified = await this.deps.sns.verify(message);
    if (!verified.ok) return verified;
    if (message.Type === "SubscriptionConfirmation") {
      const url = trustedSubscribeUrl(message);
      if (!url) return refuse(400, WebhookErrorCode.MALFORMED_PAYLOAD, "SubscribeURL is not SNS's own");
      try {
        await this.deps.confirmSubscription(url);
      } catch (error) {
        this.deps.log.warn("SNS subscription not confirmed", { topicArn, error: String(error) });
        return refuse(502, WebhookErrorCode.SUBSCRIPTION_NOT_CONFIRMED, "Confirming the subscription failed");
      }
      return { ok: true, answer: { status: 200, body: { status: "SUBSCRIBED", topicArn } } };
    }
    if (message.Type === "UnsubscribeConfirmation") {
      return { ok: true, answer: { status: 200, body: { status: "UNSUBSCRIBED", topicArn } } };
    }
    if (!EVENT_ID.test(message.MessageId)) {
      return refuse(400, WebhookErrorCode.MALFORMED_PAYLOAD, "MessageId is not an id");
    }
    const inner = parseJsonObject(message.Message);
    return inner.ok ? { ok: true, body: inner.value, deliveryId: message.MessageId } : inner;
  }
}
