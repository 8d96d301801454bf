/** Codes the webhook endpoint answers with, in `{"error":{"code","message"}}`, and in mutations' userErrors. */
export const WebhookErrorCode = {
  /** No endpoint has this id (or the URL names none): 401, nothing is stored. */
  UNKNOWN_ENDPOINT: "UNKNOWN_ENDPOINT",
  /** webhook-id, webhook-timestamp or webhook-signature is missing or malformed. */
  MISSING_SIGNATURE: "MISSING_SIGNATURE",
  /** No signature matches under any of the endpoint's valid secrets (or the SNS signature is wrong). */
  INVALID_SIGNATURE: "INVALID_SIGNATURE",
  /** The signed timestamp is more than the tolerance away from now: a replay or a badly skewed clock. */
  TIMESTAMP_OUT_OF_WINDOW: "TIMESTAMP_OUT_OF_WINDOW",
  /** An SNS message from a topic the endpoint was not told to accept. */
  UNKNOWN_TOPIC: "UNKNOWN_TOPIC",
  /** An SNS signing certificate URL outside https://sns.<region>.amazonaws.com/…pem. */
  UNTRUSTED_CERTIFICATE: "UNTRUSTED_CERTIFICATE",
  PAYLOAD_TOO_LARGE: "PAYLOAD_TOO_LARGE",
  PAYLOAD_TOO_DEEP: "PAYLOAD_TOO_DEEP",
  INVALID_UTF8: "INVALID_UTF8",
  NUL_CHARACTER: "NUL_CHARACTER",
  LONE_SURROGATE: "LONE_SURROGATE",
  /** Not JSON, not an object, or not a notification the connection's marketplace sends. */
  MALFORMED_PAYLOAD: "MALFORMED_PAYLOAD",
  /** The connection cannot read notifications now (no connector for it). */
  CONNECTOR_UNAVAILABLE: "CONNECTOR_UNAVAILABLE",
  /** SNS asked to confirm a subscription and the confirmation call failed. */
  SUBSCRIPTION_NOT_CONFIRMED: "SUBSCRIPTION_NOT_CONFIRMED",
  /** Too many requests for this endpoint or from this address (429, Retry-After). */
  THROTTLED: "THROTTLED",
  /** rotateWebhookSecret / updateWebhookEndpoint input problems. */
  NOT_FOUND: "NOT_FOUND",
  OUT_OF_RANGE: "OUT_OF_RANGE",
  INVALID: "INVALID",
} as const;
export type WebhookErrorCode = (typeof WebhookErrorCode)[keyof typeof WebhookErrorCode];

/** Why a request was refused: an HTTP status, a stable code and a message safe to show the sender. */
export interface WebhookRefusal {
  ok: false;
  status: number;
  code: WebhookErrorCode;
  message: string;
  retryAfterSeconds?: number;
}

export function refuse(status: number, code: WebhookErrorCode, message: string): WebhookRefusal {
  return { ok: false, status, code, message };
}
