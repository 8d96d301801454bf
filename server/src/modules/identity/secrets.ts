import { createHash, randomBytes } from "node:crypto";

/** A random token of `bytes` bytes, base64url (43 characters for 32 bytes). */
export function randomToken(bytes = 32): string {
  return randomBytes(bytes).toString("base64url");
}

/** Hex SHA-256: how high-entropy secrets (API keys, refresh and one-time tokens) are stored and looked up. */
export function sha256(value: string): string {
  return createHash("sha256").update(value).digest("hex");
}

/** Partner API keys start with this, so a leaked key is recognisable (secret scanners, logs). */
export const API_KEY_PREFIX = "isk_";
const API_KEY = /^isk_[A-Za-z0-9_-]{43}$/;
/** Characters of a key shown in lists: the prefix and 8 of its random characters. */
const SHOWN = API_KEY_PREFIX.length + 8;

/** A new API key: the secret (shown once), what lists show of it, and the hash that is stored. */
export function newApiKey(): { secret: string; prefix: string; hash: string } {
  const secret = `${API_KEY_PREFIX}${randomToken(32)}`;
  return { secret, prefix: secret.slice(0, SHOWN), hash: sha256(secret) };
}

export function looksLikeApiKey(value: string): boolean {
  return API_KEY.test(value);
}
