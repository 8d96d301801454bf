import { beforeAll, describe, expect, it } from "vitest";
import { makeSnsSigner, type SnsSigner, signSnsMessage } from "../../../test/sns-signing";
import {
  asSnsMessage,
  type SnsMessage,
  SnsVerifier,
  trustedCertificateUrl,
  trustedSubscribeUrl,
} from "./sns.verifier";

describe("SNS message signatures", () => {
  let signer: SnsSigner;
  let impostor: SnsSigner;
  const verifier = () => new SnsVerifier((url) => signer.fetchCertificate(url));
  const sns = (m: Record<string, string>) => asSnsMessage(m) as SnsMessage;
  const outcome = async (m: Record<string, string>) => {
    const r = await verifier().verify(sns(m));
    return r.ok ? "OK" : r.code;
  };

  beforeAll(async () => {
    [signer, impostor] = await Promise.all([makeSnsSigner(), makeSnsSigner()]);
  });

  it("accepts notifications signed with signature version 1 (SHA1) and 2 (SHA256)", async () => {
    expect(await outcome(signer.message("Notification", { Message: '{"a":1}' }, "1"))).toBe("OK");
    expect(await outcome(signer.message("Notification", { Message: '{"a":1}' }, "2"))).toBe("OK");
    expect(await outcome(signer.message("Notification", { Message: "x", Subject: "subject" }))).toBe("OK");
    expect(await outcome(signer.message("SubscriptionConfirmation", { Message: "confirm" }))).toBe("OK");
  });

  it("refuses a forged message: changed text, another key, or a version swapped", async () => {
    const message = signer.message("Notification", { Message: '{"quantity":5}' });
    expect(await outcome({ ...message, Message: '{"quantity":0}' })).toBe("INVALID_SIGNATURE");
    expect(await outcome({ ...message, Subject: "added" })).toBe("INVALID_SIGNATURE");
    const forged = { ...message, Signature: signSnsMessage(message, impostor.privateKeyPem, "2") };
    expect(await outcome(forged)).toBe("INVALID_SIGNATURE");
    expect(await outcome({ ...message, SignatureVersion: "1" })).toBe("INVALID_SIGNATURE");
    expect(await outcome({ ...message, Signature: "bm90IGEgc2lnbmF0dXJl" })).toBe("INVALID_SIGNATURE");
  });

  it("fetches the certificate only from an SNS host of the topic's region", async () => {
    const message = signer.message("Notification", { Message: "{}" });
    const fetched: string[] = [];
    const recording = new SnsVerifier(async (url) => {
      fetched.push(url.href);
      return signer.certificatePem;
    });
    for (const url of [
      "http://sns.us-east-1.amazonaws.com/cert.pem",
      "https://sns.us-east-1.amazonaws.com.evil.example/cert.pem",
      "https://evil.example/sns.us-east-1.amazonaws.com/cert.pem",
      "https://sns.us-east-1.amazonaws.com:8443/cert.pem",
      "https://user@sns.us-east-1.amazonaws.com/cert.pem",
      "https://sns.eu-west-1.amazonaws.com/cert.pem",
      "https://sns.us-east-1.amazonaws.com/cert.txt",
      "not a url",
    ]) {
      const r = await recording.verify(sns({ ...message, SigningCertURL: url }));
      expect(r.ok ? "OK" : r.code, url).toBe("UNTRUSTED_CERTIFICATE");
    }
    expect(fetched).toEqual([]);
    expect(trustedCertificateUrl(sns(message))?.href).toBe(signer.certificateUrl);
  });

  it("refuses a message whose certificate cannot be read, and tries again next time", async () => {
    let calls = 0;
    const flaky = new SnsVerifier(async (url) => {
      calls++;
      if (calls === 1) throw new Error("unreachable");
      return signer.fetchCertificate(url);
    });
    const message = sns(signer.message("Notification", { Message: "{}" }));
    expect(await flaky.verify(message)).toMatchObject({ ok: false, code: "UNTRUSTED_CERTIFICATE" });
    expect(await flaky.verify(message)).toEqual({ ok: true });
    expect(await flaky.verify(message)).toEqual({ ok: true });
    expect(calls).toBe(2);
  });

  it("refuses a correctly signed message older than the 5-minute window", async () => {
    const old = signer.message("Notification", {
      Message: "{}",
      Timestamp: new Date(Date.now() - 6 * 60_000).toISOString(),
    });
    expect(await outcome(old)).toBe("TIMESTAMP_OUT_OF_WINDOW");
  });

  it("reads only SNS-shaped messages", () => {
    const message = signer.message("Notification", { Message: "{}" });
    expect(asSnsMessage({ ...message, Type: "Other" })).toBeNull();
    expect(asSnsMessage({ ...message, Message: 5 as unknown as string })).toBeNull();
    expect(asSnsMessage({ ...message, SignatureVersion: "3" })).toBeNull();
    const { Signature: _s, ...unsigned } = message;
    expect(asSnsMessage(unsigned)).toBeNull();
  });

  it("confirms a subscription only through SNS's own ConfirmSubscription URL for the same topic", () => {
    const confirmation = sns(signer.message("SubscriptionConfirmation", { Message: "confirm" }));
    expect(trustedSubscribeUrl(confirmation)?.searchParams.get("Action")).toBe("ConfirmSubscription");
    const other = (SubscribeURL: string) => trustedSubscribeUrl({ ...confirmation, SubscribeURL });
    const topic = encodeURIComponent(confirmation.TopicArn);
    expect(other(`https://evil.example/?Action=ConfirmSubscription&TopicArn=${topic}&Token=t`)).toBeNull();
    expect(
      other(`http://sns.us-east-1.amazonaws.com/?Action=ConfirmSubscription&TopicArn=${topic}&Token=t`),
    ).toBeNull();
    expect(
      other(`https://sns.us-east-1.amazonaws.com/?Action=Subscribe&TopicArn=${topic}&Token=t`),
    ).toBeNull();
    expect(
      other(
        "https://sns.us-east-1.amazonaws.com/?Action=ConfirmSubscription&TopicArn=arn:aws:sns:us-east-1:1:x&Token=t",
      ),
    ).toBeNull();
    expect(
      other(`https://sns.eu-west-1.amazonaws.com/?Action=ConfirmSubscription&TopicArn=${topic}&Token=t`),
    ).toBeNull();
  });
});
