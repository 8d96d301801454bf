import { execFile } from "node:child_process";
import { createRequire } from "node:module";
import path from "node:path";
import { promisify } from "node:util";
import { ROOT_DIR } from "../config";

const run = promisify(execFile);

/**
 * Runs the Prisma CLI from the repository root. Its WASM engine connects through the adapter in
 * prisma.config.ts even for a pure diff, so it needs a reachable database URL.
 */
export async function prismaCli(args: string[], databaseUrl: string): Promise<string> {
  const cli = createRequire(path.join(ROOT_DIR, "package.json")).resolve("prisma/build/index.js");
  const { stdout } = await run(process.execPath, [cli, ...args], {
    cwd: ROOT_DIR,
    env: { ...process.env, DATABASE_URL: databaseUrl, PRISMA_HIDE_UPDATE_MESSAGE: "1" },
    maxBuffer: 64 * 1024 * 1024,
  });
  return stdout;
}

/** The SQL that builds `schema` (a schema.prisma file) from nothing, or from `from` when given. */
export function diffSchemas(databaseUrl: string, to: string, from?: string): Promise<string> {
  const source = from ? ["--from-schema-datamodel", from] : ["--from-empty"];
  return prismaCli(["migrate", "diff", ...source, "--to-schema-datamodel", to, "--script"], databaseUrl);
}
