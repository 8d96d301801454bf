import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { ROOT_DIR } from "../platform/config";
import { MIGRATIONS_DIR, startEmbeddedPostgres } from "../platform/db";
import { diffSchemas } from "../platform/db/prisma-cli";
import { freePort } from "../platform/net";

/**
 * Writes prisma/migrations/<timestamp>_<name>/migration.sql: the SQL from the last committed
 * schema.prisma to the working one. Hand-written SQL (policies, generated columns) goes below it.
 */
const name = process.argv[2];
if (!name || !/^[a-z0-9_]+$/.test(name)) {
  console.error("usage: pnpm migration:new <name>   (lower case, digits and underscores)");
  process.exit(2);
}

const schema = path.join(ROOT_DIR, "prisma", "schema.prisma");
const work = fs.mkdtempSync(path.join(os.tmpdir(), "migration-"));
fs.chmodSync(work, 0o755);
let previous: string | undefined;
try {
  const committed = execFileSync("git", ["show", "HEAD:prisma/schema.prisma"], { cwd: ROOT_DIR });
  previous = path.join(work, "previous.prisma");
  fs.writeFileSync(previous, committed);
} catch {
  console.log("no committed schema.prisma: diffing from an empty database");
}

let url = process.env.DATABASE_URL;
const embedded = url
  ? undefined
  : await startEmbeddedPostgres({ dataDir: path.join(work, "pg"), port: await freePort() });
url ??= embedded!.url;
try {
  const sql = await diffSchemas(url, schema, previous);
  if (!/^\s*(CREATE|ALTER|DROP)/m.test(sql)) {
    console.log("schema.prisma has no changes since the last commit: nothing to write");
  } else {
    const stamp = new Date().toISOString().replace(/\D/g, "").slice(0, 14);
    const dir = path.join(MIGRATIONS_DIR, `${stamp}_${name}`);
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, "migration.sql"), sql);
    console.log(
      `wrote ${path.relative(ROOT_DIR, dir)}/migration.sql — review it, add hand-written SQL below`,
    );
  }
} finally {
  await embedded?.stop();
  fs.rmSync(work, { recursive: true, force: true });
}
