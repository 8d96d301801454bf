import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import { loadKey } from "./keys";

const VERSION = 1;
const IV_BYTES = 12;
const TAG_BYTES = 16;

/**
 * Encrypts marketplace credentials at rest with AES-256-GCM. The connection id is bound in as associated
 * data, so a ciphertext copied onto another connection does not decrypt.
 */
export class CredentialCipher {
  constructor(private readonly key: Buffer) {
    if (key.length !== 32) throw new Error("The credentials key must be 32 bytes (AES-256)");
  }

  encrypt(credentials: Record<string, string>, connectionId: string): Uint8Array<ArrayBuffer> {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv("aes-256-gcm", this.key, iv);
    cipher.setAAD(Buffer.from(connectionId));
    const body = Buffer.concat([cipher.update(JSON.stringify(credentials), "utf8"), cipher.final()]);
    return new Uint8Array(Buffer.concat([Buffer.from([VERSION]), iv, cipher.getAuthTag(), body]));
  }

  decrypt(blob: Uint8Array, connectionId: string): Record<string, string> {
    const data = Buffer.from(blob);
    if (data[0] !== VERSION) throw new Error(`Unknown credentials format ${data[0]}`);
    const iv = data.subarray(1, 1 + IV_BYTES);
    const tag = data.subarray(1 + IV_BYTES, 1 + IV_BYTES + TAG_BYTES);
    const decipher = createDecipheriv("aes-256-gcm", this.key, iv);
    decipher.setAAD(Buffer.from(connectionId));
    decipher.setAuthTag(tag);
    const plain = Buffer.concat([decipher.update(data.subarray(1 + IV_BYTES + TAG_BYTES)), decipher.final()]);
    return JSON.parse(plain.toString("utf8")) as Record<string, string>;
  }
}

/** The credentials key: CREDENTIALS_KEY, or one generated into the data folder on first start. */
export function loadCredentialKey(config: { CREDENTIALS_KEY?: string; DATA_DIR: string }): Buffer {
  return loadKey(config.CREDENTIALS_KEY, config.DATA_DIR, "credentials.key");
}
