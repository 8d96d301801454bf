import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";

/**
 * A 32-byte key: from configuration (base64) when given, else the one generated on first start and kept in
 * the data folder (readable by the owner only), so the demo needs no configuration.
 */
export function loadKey(configured: string | undefined, dataDir: string, fileName: string): Buffer {
  if (configured) return Buffer.from(configured, "base64");
  const file = path.join(dataDir, fileName);
  if (fs.existsSync(file)) return Buffer.from(fs.readFileSync(file, "utf8").trim(), "base64");
  const key = randomBytes(32);
  fs.mkdirSync(dataDir, { recursive: true });
  fs.writeFileSync(file, `${key.toString("base64")}\n`, { mode: 0o600 });
  return key;
}
