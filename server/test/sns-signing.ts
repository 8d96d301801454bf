import { randomUUID, sign } from "node:crypto";
import { generate } from "selfsigned";

/** A locally made SNS signing identity: an RSA key, its certificate, and the SNS URL it is said to live at. */
export interface SnsSigner {
  certificatePem: string;
  privateKeyPem: string;
  certificateUrl: string;
  topicArn: string;
  /** Serves the certificate for its SNS URL only, as the HTTPS fetch from AWS would. */
  fetchCertificate(url: URL): Promise<string>;
  /** A signed SNS message of `type`, signed as SNS signs (Signature Version 1 or 2). */
  message(
    type: "Notification" | "SubscriptionConfirmation" | "UnsubscribeConfirmation",
    fields: { Message: string; Timestamp?: string; Subject?: string; TopicArn?: string },
    version?: "1" | "2",
  ): Record<string, string>;
}

// What SNS signs for each message type, in its order (AWS: Verifying the signatures of Amazon SNS messages).
const SIGNED: Record<string, string[]> = {
  Notification: ["Message", "MessageId", "Subject", "Timestamp", "TopicArn", "Type"],
  SubscriptionConfirmation: [
    "Message",
    "MessageId",
    "SubscribeURL",
    "Timestamp",
    "Token",
    "TopicArn",
    "Type",
  ],
  UnsubscribeConfirmation: ["Message", "MessageId", "SubscribeURL", "Timestamp", "Token", "TopicArn", "Type"],
};

export function signSnsMessage(message: Record<string, string>, privateKeyPem: string, version: "1" | "2") {
  const text = SIGNED[message.Type!]!.filter((f) => message[f] !== undefined)
    .map((f) => `${f}\n${message[f]}\n`)
    .join("");
  return sign(version === "1" ? "sha1" : "sha256", Buffer.from(text), privateKeyPem).toString("base64");
}

export async function makeSnsSigner(region = "us-east-1"): Promise<SnsSigner> {
  const pems = await generate([{ name: "commonName", value: `sns.${region}.amazonaws.com` }], {
    keySize: 2048,
    algorithm: "sha256",
  });
  const certificateUrl = `https://sns.${region}.amazonaws.com/SimpleNotificationService-${randomUUID()}.pem`;
  const topicArn = `arn:aws:sns:${region}:123456789012:sp-api-notifications`;
  return {
    certificatePem: pems.cert,
    privateKeyPem: pems.private,
    certificateUrl,
    topicArn,
    async fetchCertificate(url) {
      if (url.href !== certificateUrl) throw new Error(`no certificate at ${url.href}`);
      return pems.cert;
    },
    message(type, fields, version = "2") {
      const token = randomUUID().replace(/-/g, "");
      const topic = fields.TopicArn ?? topicArn;
      const message: Record<string, string> = {
        Type: type,
        MessageId: randomUUID(),
        TopicArn: topic,
        Message: fields.Message,
        Timestamp: fields.Timestamp ?? new Date().toISOString(),
        SignatureVersion: version,
        SigningCertURL: certificateUrl,
        ...(fields.Subject !== undefined ? { Subject: fields.Subject } : {}),
        ...(type === "Notification"
          ? {
              UnsubscribeURL: `https://sns.${region}.amazonaws.com/?Action=Unsubscribe&SubscriptionArn=${topic}:x`,
            }
          : {
              Token: token,
              SubscribeURL: `https://sns.${region}.amazonaws.com/?Action=ConfirmSubscription&TopicArn=${encodeURIComponent(topic)}&Token=${token}`,
            }),
      };
      message.Signature = signSnsMessage(message, pems.private, version);
      return message;
    },
  };
}
