import { verify as verifySignature, X509Certificate } from "node:crypto";
import { LRUCache } from "lru-cache";
import { WEBHOOK_TOLERANCE_SECONDS } from "./standard-webhooks.verifier";
import { refuse, WebhookErrorCode, type WebhookRefusal } from "./webhook.errors";

/** An Amazon SNS message as delivered to an HTTPS subscriber. */
export interface SnsMessage {
  Type: "Notification" | "SubscriptionConfirmation" | "UnsubscribeConfirmation";
  MessageId: string;
  TopicArn: string;
  Message: string;
  Timestamp: string;
  SignatureVersion: "1" | "2";
  Signature: string;
  SigningCertURL: string;
  Subject?: string;
  Token?: string;
  SubscribeURL?: string;
  UnsubscribeURL?: string;
}

/** Reads the PEM certificate at an allow-listed SNS URL (injected in tests; HTTPS in production). */
export type CertificateFetcher = (url: URL) => Promise<string>;

/** SNS hosts: sns.<region>.amazonaws.com, nothing else (no port, no user info, no look-alike suffix). */
const SNS_HOST = /^sns\.([a-z]{2}(?:-[a-z]+)+-\d)\.amazonaws\.com$/;
const TOPIC_ARN = /^arn:aws:sns:([a-z]{2}(?:-[a-z]+)+-\d):\d{12}:[A-Za-z0-9_-]{1,256}(\.fifo)?$/;

// The fields each message type signs, in the order SNS signs them.
const SIGNED_FIELDS: Record<SnsMessage["Type"], (keyof SnsMessage)[]> = {
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

/** The region of an SNS host (sns.us-east-1.amazonaws.com -> us-east-1), or null when it is not one. */
export function snsHostRegion(url: URL): string | null {
  if (url.protocol !== "https:" || url.port !== "" || url.username !== "" || url.password !== "") return null;
  return SNS_HOST.exec(url.hostname)?.[1] ?? null;
}

/** The region of a topic ARN, or null when it is not an SNS topic ARN. */
export function topicRegion(arn: string): string | null {
  return TOPIC_ARN.exec(arn)?.[1] ?? null;
}

/** The certificate URL when it is on an SNS host of the topic's region and names a .pem file; else null. */
export function trustedCertificateUrl(message: Pick<SnsMessage, "SigningCertURL" | "TopicArn">): URL | null {
  let url: URL;
  try {
    url = new URL(message.SigningCertURL);
  } catch {
    return null;
  }
  const region = snsHostRegion(url);
  if (!region || region !== topicRegion(message.TopicArn) || !url.pathname.endsWith(".pem") || url.search) {
    return null;
  }
  return url;
}

/** The string SNS signs: each present signed field as "Name\nvalue\n", in SIGNED_FIELDS order. */
export function snsStringToSign(message: SnsMessage): string {
  let out = "";
  for (const field of SIGNED_FIELDS[message.Type]) {
    const value = message[field];
    if (value !== undefined) out += `${field}\n${value}\n`;
  }
  return out;
}

/** The envelope's fields, when it has the shape of an SNS message (every signed field a string). */
export function asSnsMessage(body: Record<string, unknown>): SnsMessage | null {
  const type = body.Type;
  if (type !== "Notification" && type !== "SubscriptionConfirmation" && type !== "UnsubscribeConfirmation") {
    return null;
  }
  const required = [
    ...SIGNED_FIELDS[type].filter((f) => f !== "Subject"),
    "SignatureVersion",
    "Signature",
    "SigningCertURL",
  ];
  for (const field of required) if (typeof body[field] !== "string") return null;
  if (body.Subject !== undefined && typeof body.Subject !== "string") return null;
  if (body.SignatureVersion !== "1" && body.SignatureVersion !== "2") return null;
  return body as unknown as SnsMessage;
}

/**
 * Verifies SNS message signatures (SignatureVersion 1: SHA1withRSA, 2: SHA256withRSA) against the signing
 * certificate, fetched only from an SNS host of the topic's own region and cached by URL.
 */
export class SnsVerifier {
  private readonly certificates = new LRUCache<string, Promise<X509Certificate>>({ max: 50 });

  constructor(
    private readonly fetchCertificate: CertificateFetcher,
    private readonly now: () => number = Date.now,
  ) {}

  async verify(message: SnsMessage): Promise<{ ok: true } | WebhookRefusal> {
    const url = trustedCertificateUrl(message);
    if (!url) {
      return refuse(
        401,
        WebhookErrorCode.UNTRUSTED_CERTIFICATE,
        "SigningCertURL must be an https://sns.<region>.amazonaws.com/….pem URL of the topic's region",
      );
    }
    const sent = Date.parse(message.Timestamp);
    if (!Number.isFinite(sent) || Math.abs(this.now() - sent) > WEBHOOK_TOLERANCE_SECONDS * 1000) {
      return refuse(
        401,
        WebhookErrorCode.TIMESTAMP_OUT_OF_WINDOW,
        `Timestamp is more than ${WEBHOOK_TOLERANCE_SECONDS} s from now`,
      );
    }
    let certificate: X509Certificate;
    try {
      certificate = await this.certificate(url);
    } catch {
      return refuse(401, WebhookErrorCode.UNTRUSTED_CERTIFICATE, "The signing certificate could not be read");
    }
    const at = new Date(this.now());
    if (at < new Date(certificate.validFrom) || at > new Date(certificate.validTo)) {
      return refuse(401, WebhookErrorCode.UNTRUSTED_CERTIFICATE, "The signing certificate is not valid now");
    }
    const algorithm = message.SignatureVersion === "1" ? "sha1" : "sha256";
    const valid = verifySignature(
      algorithm,
      Buffer.from(snsStringToSign(message), "utf8"),
      certificate.publicKey,
      Buffer.from(message.Signature, "base64"),
    );
    return valid
      ? { ok: true }
      : refuse(401, WebhookErrorCode.INVALID_SIGNATURE, "The SNS signature does not match the message");
  }

  private certificate(url: URL): Promise<X509Certificate> {
    const key = url.href;
    let pending = this.certificates.get(key);
    if (!pending) {
      pending = this.fetchCertificate(url).then((pem) => new X509Certificate(pem));
      // A failed fetch is not remembered: the next message tries again.
      pending.catch(() => this.certificates.delete(key));
      this.certificates.set(key, pending);
    }
    return pending;
  }
}

const MAX_CERTIFICATE_BYTES = 16 * 1024;

/** Fetches SNS signing certificates over HTTPS (no redirects, 5 s, at most 16 KiB). */
export const httpsCertificateFetcher: CertificateFetcher = async (url) => {
  const response = await fetch(url, { redirect: "error", signal: AbortSignal.timeout(5000) });
  if (!response.ok) throw new Error(`certificate answered ${response.status}`);
  const text = await response.text();
  if (text.length > MAX_CERTIFICATE_BYTES || !text.includes("-----BEGIN CERTIFICATE-----")) {
    throw new Error("not a PEM certificate");
  }
  return text;
};

/**
 * Whether a SubscriptionConfirmation's SubscribeURL is SNS's own confirmation call for this topic: https on an
 * SNS host of the topic's region, Action=ConfirmSubscription, the same TopicArn. Anything else is never fetched.
 */
export function trustedSubscribeUrl(message: SnsMessage): URL | null {
  if (!message.SubscribeURL) return null;
  let url: URL;
  try {
    url = new URL(message.SubscribeURL);
  } catch {
    return null;
  }
  const region = snsHostRegion(url);
  if (!region || region !== topicRegion(message.TopicArn) || url.pathname !== "/") return null;
  const params = url.searchParams;
  if (params.get("Action") !== "ConfirmSubscription" || params.get("TopicArn") !== message.TopicArn)
    return null;
  if (!params.get("Token")) return null;
  return url;
}

/** Confirms an SNS subscription by calling its (already checked) SubscribeURL. */
export type SubscriptionConfirmer = (url: URL) => Promise<void>;

export const httpsSubscriptionConfirmer: SubscriptionConfirmer = async (url) => {
  const response = await fetch(url, { redirect: "error", signal: AbortSignal.timeout(5000) });
  if (!response.ok) throw new Error(`ConfirmSubscription answered ${response.status}`);
};
