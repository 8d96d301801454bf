import { Webhook, WebhookVerificationError } from "standardwebhooks";
import { refuse, WebhookErrorCode, type WebhookRefusal } from "./webhook.errors";

/** How far a signed timestamp may be from now, either way (the Standard Webhooks reference's own window). */
export const WEBHOOK_TOLERANCE_SECONDS = 5 * 60;

const ID = /^[\x21-\x7e]{1,255}$/;
const TIMESTAMP = /^\d{1,12}$/;

export interface VerifiedDelivery {
  ok: true;
  /** webhook-id: the sender's message id, signed. */
  id: string;
  /** webhook-timestamp, signed. */
  timestamp: Date;
}

type Headers = Record<string, string | string[] | undefined>;
const one = (v: string | string[] | undefined) => (Array.isArray(v) ? undefined : v);

/**
 * Verifies a Standard Webhooks delivery (webhook-id, webhook-timestamp, webhook-signature over
 * `id.timestamp.body`) with the reference implementation, under any of `secrets` (the current one and
 * those still inside their rotation overlap). The headers are checked strictly first, since the id is stored.
 */
export function verifyStandardWebhook(
  raw: Buffer,
  headers: Headers,
  secrets: readonly string[],
): VerifiedDelivery | WebhookRefusal {
  const id = one(headers["webhook-id"]);
  const timestamp = one(headers["webhook-timestamp"]);
  const signature = one(headers["webhook-signature"]);
  if (!id || !timestamp || !signature || !ID.test(id) || !TIMESTAMP.test(timestamp)) {
    return refuse(
      401,
      WebhookErrorCode.MISSING_SIGNATURE,
      "Sign the request with webhook-id, webhook-timestamp and webhook-signature (Standard Webhooks)",
    );
  }
  const seconds = Number(timestamp);
  if (Math.abs(Date.now() / 1000 - seconds) > WEBHOOK_TOLERANCE_SECONDS) {
    return refuse(
      401,
      WebhookErrorCode.TIMESTAMP_OUT_OF_WINDOW,
      `webhook-timestamp is more than ${WEBHOOK_TOLERANCE_SECONDS} s from now`,
    );
  }
  const given = { "webhook-id": id, "webhook-timestamp": timestamp, "webhook-signature": signature };
  for (const secret of secrets) {
    try {
      new Webhook(secret).verify(raw, given, { jsonParse: false });
      return { ok: true, id, timestamp: new Date(seconds * 1000) };
    } catch (error) {
      if (!(error instanceof WebhookVerificationError)) throw error;
    }
  }
  return refuse(401, WebhookErrorCode.INVALID_SIGNATURE, "webhook-signature does not match the request");
}
