import { randomUUID, sign } from "node:crypto";
import { Webhook } from "standardwebhooks";

/** Where the sandbox posts notifications, and how it signs them; the keys come from whoever starts it. */
export interface NotificationTarget {
  url: string;
  /** A Standard Webhooks secret (whsec_…): each notification is signed with webhook-id, -timestamp, -signature. */
  secret?: string;
  /** Or Amazon's way: an SNS envelope signed with this key, its certificate served at certificateUrl. */
  sns?: {
    topicArn: string;
    privateKeyPem: string;
    certificateUrl: string;
    signatureVersion?: "1" | "2";
  };
}

export interface SignedRequest {
  headers: Record<string, string>;
  body: string;
}

// The fields SNS signs in a Notification, in its order (Subject is never sent here).
const SNS_NOTIFICATION_FIELDS = ["Message", "MessageId", "Timestamp", "TopicArn", "Type"] as const;

/** A notification as the target expects it: signed with Standard Webhooks, or wrapped and signed as SNS does. */
export function signedNotification(
  target: NotificationTarget,
  notification: unknown,
  now = new Date(),
): SignedRequest {
  const message = JSON.stringify(notification);
  if (target.sns) {
    const { topicArn, privateKeyPem, certificateUrl, signatureVersion = "2" } = target.sns;
    const envelope: Record<string, string> = {
      Type: "Notification",
      MessageId: randomUUID(),
      TopicArn: topicArn,
      Message: message,
      Timestamp: now.toISOString(),
      SignatureVersion: signatureVersion,
      SigningCertURL: certificateUrl,
      UnsubscribeURL: `${new URL(certificateUrl).origin}/?Action=Unsubscribe&SubscriptionArn=${topicArn}:sandbox`,
    };
    const toSign = SNS_NOTIFICATION_FIELDS.map((f) => `${f}\n${envelope[f]}\n`).join("");
    envelope.Signature = sign(
      signatureVersion === "1" ? "sha1" : "sha256",
      Buffer.from(toSign),
      privateKeyPem,
    ).toString("base64");
    return {
      headers: {
        "content-type": "text/plain; charset=UTF-8",
        "x-amz-sns-message-type": "Notification",
        "x-amz-sns-message-id": envelope.MessageId!,
        "x-amz-sns-topic-arn": topicArn,
      },
      body: JSON.stringify(envelope),
    };
  }
  if (!target.secret) throw new Error("A notification target needs a secret or SNS keys");
  const id = `msg_${randomUUID()}`;
  return {
    headers: {
      "content-type": "application/json",
      "webhook-id": id,
      "webhook-timestamp": String(Math.floor(now.getTime() / 1000)),
      "webhook-signature": new Webhook(target.secret).sign(id, now, message),
    },
    body: message,
  };
}
