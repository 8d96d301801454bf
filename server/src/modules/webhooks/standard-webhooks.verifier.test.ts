import { Webhook } from "standardwebhooks";
import { describe, expect, it } from "vitest";
import { verifyStandardWebhook, WEBHOOK_TOLERANCE_SECONDS } from "./standard-webhooks.verifier";

const SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
const OTHER = `whsec_${Buffer.from("another secret of 24 bytes!!").toString("base64")}`;

/** A delivery signed by the Standard Webhooks reference implementation. */
function signed(body: string, options: { secret?: string; id?: string; at?: Date } = {}) {
  const id = options.id ?? "msg_2KWPBgLlAfxdpx2AI54pPJ85f4W";
  const at = options.at ?? new Date();
  return {
    raw: Buffer.from(body),
    headers: {
      "webhook-id": id,
      "webhook-timestamp": String(Math.floor(at.getTime() / 1000)),
      "webhook-signature": new Webhook(options.secret ?? SECRET).sign(id, at, body),
    },
  };
}

describe("Standard Webhooks verification", () => {
  it("accepts what the reference implementation signs, and returns the signed id and time", () => {
    const { raw, headers } = signed('{"test": 2432232314}');
    const result = verifyStandardWebhook(raw, headers, [SECRET]);
    expect(result).toMatchObject({ ok: true, id: "msg_2KWPBgLlAfxdpx2AI54pPJ85f4W" });
  });

  it("matches the reference implementation's own verification of the same request", () => {
    const { raw, headers } = signed('{"a":1}');
    expect(() => new Webhook(SECRET).verify(raw, headers)).not.toThrow();
    expect(verifyStandardWebhook(raw, headers, [SECRET]).ok).toBe(true);
    const tampered = Buffer.from('{"a":2}');
    expect(() => new Webhook(SECRET).verify(tampered, headers)).toThrow();
    expect(verifyStandardWebhook(tampered, headers, [SECRET]).ok).toBe(false);
  });

  it("accepts any of several secrets and any of several signatures in the header", () => {
    const a = signed("{}", { secret: OTHER });
    expect(verifyStandardWebhook(a.raw, a.headers, [SECRET, OTHER]).ok).toBe(true);
    const b = signed("{}");
    const both = { ...b.headers, "webhook-signature": `v1,bm9wZQ== ${b.headers["webhook-signature"]}` };
    expect(verifyStandardWebhook(b.raw, both, [SECRET]).ok).toBe(true);
  });

  it("refuses a wrong secret, a changed body, a changed id and a changed timestamp", () => {
    const { raw, headers } = signed('{"sku":"A","quantity":1}');
    const refusedWith = (r: ReturnType<typeof verifyStandardWebhook>) => (r.ok ? "OK" : r.code);
    expect(refusedWith(verifyStandardWebhook(raw, headers, [OTHER]))).toBe("INVALID_SIGNATURE");
    expect(refusedWith(verifyStandardWebhook(Buffer.from(`${raw} `), headers, [SECRET]))).toBe(
      "INVALID_SIGNATURE",
    );
    expect(refusedWith(verifyStandardWebhook(raw, { ...headers, "webhook-id": "msg_other" }, [SECRET]))).toBe(
      "INVALID_SIGNATURE",
    );
    const later = String(Number(headers["webhook-timestamp"]) + 1);
    expect(
      refusedWith(verifyStandardWebhook(raw, { ...headers, "webhook-timestamp": later }, [SECRET])),
    ).toBe("INVALID_SIGNATURE");
    expect(refusedWith(verifyStandardWebhook(raw, headers, []))).toBe("INVALID_SIGNATURE");
  });

  it("refuses a correctly signed replay from outside the 5-minute window, either way", () => {
    const old = signed("{}", { at: new Date(Date.now() - (WEBHOOK_TOLERANCE_SECONDS + 5) * 1000) });
    expect(verifyStandardWebhook(old.raw, old.headers, [SECRET])).toMatchObject({
      ok: false,
      status: 401,
      code: "TIMESTAMP_OUT_OF_WINDOW",
    });
    const future = signed("{}", { at: new Date(Date.now() + (WEBHOOK_TOLERANCE_SECONDS + 5) * 1000) });
    expect(verifyStandardWebhook(future.raw, future.headers, [SECRET])).toMatchObject({
      code: "TIMESTAMP_OUT_OF_WINDOW",
    });
    const inside = signed("{}", { at: new Date(Date.now() - (WEBHOOK_TOLERANCE_SECONDS - 30) * 1000) });
    expect(verifyStandardWebhook(inside.raw, inside.headers, [SECRET]).ok).toBe(true);
  });

  it("refuses missing, repeated or malformed signature headers", () => {
    const { raw, headers } = signed("{}");
    const refused = (h: Record<string, string | string[] | undefined>) => {
      const r = verifyStandardWebhook(raw, h, [SECRET]);
      return r.ok ? "OK" : r.code;
    };
    expect(refused({})).toBe("MISSING_SIGNATURE");
    expect(refused({ ...headers, "webhook-signature": undefined })).toBe("MISSING_SIGNATURE");
    expect(refused({ ...headers, "webhook-id": [headers["webhook-id"], "x"] })).toBe("MISSING_SIGNATURE");
    expect(refused({ ...headers, "webhook-timestamp": `${headers["webhook-timestamp"]}abc` })).toBe(
      "MISSING_SIGNATURE",
    );
    expect(refused({ ...headers, "webhook-id": "has space" })).toBe("MISSING_SIGNATURE");
  });
});
