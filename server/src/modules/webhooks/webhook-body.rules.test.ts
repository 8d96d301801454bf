import { describe, expect, it } from "vitest";
import { checkJsonText, MAX_WEBHOOK_DEPTH, readJsonBody } from "./webhook-body.rules";

const code = (result: { ok: boolean } & Partial<{ code: string }>) => (result.ok ? "OK" : result.code);

describe("webhook body checks", () => {
  it("parses an ordinary notification, escapes and surrogate pairs included", () => {
    const text = JSON.stringify({ a: [1, { b: "caf\u00e9 \ud83d\ude00 \\u0000 literal" }], c: 'x"y' });
    const result = readJsonBody(Buffer.from(text));
    expect(result).toMatchObject({ ok: true, value: JSON.parse(text) });
    expect(code(readJsonBody(Buffer.from('{"emoji":"\\ud83d\\ude00"}')))).toBe("OK");
  });

  it("refuses a body nested 100,000 levels deep without parsing it", () => {
    const deep = `${'{"a":'.repeat(100_000)}1${"}".repeat(100_000)}`;
    expect(code(readJsonBody(Buffer.from(deep)))).toBe("PAYLOAD_TOO_DEEP");
    const arrays = `${"[".repeat(MAX_WEBHOOK_DEPTH + 1)}${"]".repeat(MAX_WEBHOOK_DEPTH + 1)}`;
    expect(code(readJsonBody(Buffer.from(`{"a":${arrays}}`)))).toBe("PAYLOAD_TOO_DEEP");
    const atLimit = `${"[".repeat(MAX_WEBHOOK_DEPTH - 1)}${"]".repeat(MAX_WEBHOOK_DEPTH - 1)}`;
    expect(code(readJsonBody(Buffer.from(`{"a":${atLimit}}`)))).toBe("OK");
  });

  it("does not count brackets inside strings as nesting", () => {
    expect(checkJsonText(JSON.stringify({ s: "[".repeat(1000) }))).toBeNull();
  });

  it("refuses NUL characters, raw or escaped", () => {
    expect(code(readJsonBody(Buffer.from('{"sku":"A\\u0000"}')))).toBe("NUL_CHARACTER");
    expect(code(readJsonBody(Buffer.from('{"sku":"A\u0000"}')))).toBe("NUL_CHARACTER");
    expect(code(readJsonBody(Buffer.from('{"sku":"A"}\u0000')))).toBe("NUL_CHARACTER");
  });

  it("refuses lone surrogate escapes, high or low", () => {
    expect(code(readJsonBody(Buffer.from('{"sku":"\\ud800"}')))).toBe("LONE_SURROGATE");
    expect(code(readJsonBody(Buffer.from('{"sku":"\\ud800x"}')))).toBe("LONE_SURROGATE");
    expect(code(readJsonBody(Buffer.from('{"sku":"\\ud800\\n"}')))).toBe("LONE_SURROGATE");
    expect(code(readJsonBody(Buffer.from('{"sku":"\\udc00"}')))).toBe("LONE_SURROGATE");
    expect(code(readJsonBody(Buffer.from('{"sku":"\\ud800\\ud800"}')))).toBe("LONE_SURROGATE");
  });

  it("refuses bytes that are not UTF-8, such as an encoded surrogate", () => {
    const encodedSurrogate = Buffer.concat([
      Buffer.from('{"sku":"'),
      Buffer.from([0xed, 0xa0, 0x80]),
      Buffer.from('"}'),
    ]);
    expect(code(readJsonBody(encodedSurrogate))).toBe("INVALID_UTF8");
    expect(code(readJsonBody(Buffer.from([0x7b, 0xff, 0x7d])))).toBe("INVALID_UTF8");
  });

  it("refuses what is not a JSON object, and what is too large", () => {
    expect(code(readJsonBody(Buffer.from("{not json")))).toBe("MALFORMED_PAYLOAD");
    expect(code(readJsonBody(Buffer.from("[1,2]")))).toBe("MALFORMED_PAYLOAD");
    expect(code(readJsonBody(Buffer.from('"text"')))).toBe("MALFORMED_PAYLOAD");
    expect(code(readJsonBody(Buffer.from('{"a":"\\uZZZZ"}')))).toBe("MALFORMED_PAYLOAD");
    expect(code(readJsonBody(Buffer.from(`{"a":"${"x".repeat(100)}"}`), 50))).toBe("PAYLOAD_TOO_LARGE");
  });
});
