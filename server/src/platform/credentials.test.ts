import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { CredentialCipher, loadCredentialKey } from "./credentials";

describe("CredentialCipher", () => {
  const cipher = new CredentialCipher(randomBytes(32));
  const secret = { clientId: "amzn1.app", clientSecret: "s3cret", refreshToken: "Atzr|x" };

  it("decrypts what it encrypted for the same connection", () => {
    const blob = cipher.encrypt(secret, "conn-1");
    expect(cipher.decrypt(blob, "conn-1")).toEqual(secret);
  });

  it("never stores the secret in the clear and uses a fresh IV each time", () => {
    const a = cipher.encrypt(secret, "conn-1");
    const b = cipher.encrypt(secret, "conn-1");
    expect(Buffer.from(a).toString("latin1")).not.toContain("s3cret");
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(false);
  });

  it("refuses a ciphertext moved to another connection", () => {
    const blob = cipher.encrypt(secret, "conn-1");
    expect(() => cipher.decrypt(blob, "conn-2")).toThrow();
  });

  it("refuses a tampered ciphertext", () => {
    const blob = cipher.encrypt(secret, "conn-1");
    blob[blob.length - 1]! ^= 1;
    expect(() => cipher.decrypt(blob, "conn-1")).toThrow();
  });

  it("refuses another key", () => {
    const blob = cipher.encrypt(secret, "conn-1");
    expect(() => new CredentialCipher(randomBytes(32)).decrypt(blob, "conn-1")).toThrow();
  });

  it("rejects a key that is not 32 bytes", () => {
    expect(() => new CredentialCipher(randomBytes(16))).toThrow(/32 bytes/);
  });
});

describe("loadCredentialKey", () => {
  it("makes a key on first use and reads the same one back", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "key-"));
    const first = loadCredentialKey({ DATA_DIR: dir });
    expect(first).toHaveLength(32);
    expect(loadCredentialKey({ DATA_DIR: dir }).equals(first)).toBe(true);
    expect(fs.statSync(path.join(dir, "credentials.key")).mode & 0o777).toBe(0o600);
    fs.rmSync(dir, { recursive: true });
  });

  it("prefers CREDENTIALS_KEY", () => {
    const key = randomBytes(32);
    expect(
      loadCredentialKey({ CREDENTIALS_KEY: key.toString("base64"), DATA_DIR: "/nonexistent" }).equals(key),
    ).toBe(true);
  });
});
