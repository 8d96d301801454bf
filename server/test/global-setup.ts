import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { TestProject } from "vitest/node";
import { startEmbeddedPostgres } from "../src/platform/db/embedded";
import { applyMigrations, readMigrations } from "../src/platform/db/migrate";
import { MIGRATIONS_DIR } from "../src/platform/db/paths";
import { freePort } from "../src/platform/net";
import { startQueue } from "../src/platform/queue";

export const TEMPLATE_DB = "app_template";

declare module "vitest" {
  export interface ProvidedContext {
    pgAdminUrl: string;
    templateDb: string;
  }
}

/**
 * One PostgreSQL cluster per test run, with a migrated template database (the job queue's schema installed) that
 * each test file copies.
 */
export default async function setup(project: TestProject) {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "inventory-test-pg-"));
  // initdb runs as the unprivileged postgres user when we are root: it must reach the folder.
  fs.chmodSync(dataDir, 0o755);
  // The cluster is thrown away after the run: waiting for the disk at every commit would only slow the tests.
  const db = await startEmbeddedPostgres({
    dataDir: path.join(dataDir, "data"),
    port: await freePort(),
    nonDurable: true,
  });
  const admin = new URL(db.url);
  const templateUrl = new URL(db.url);
  templateUrl.pathname = `/${TEMPLATE_DB}`;
  const { default: pg } = await import("pg");
  const client = new pg.Client({ connectionString: db.url });
  await client.connect();
  try {
    await client.query(`CREATE DATABASE ${TEMPLATE_DB}`);
    await client.end();
    await applyMigrations(templateUrl.toString(), readMigrations(MIGRATIONS_DIR));
    // The queue's schema and queues too, as the first server start would install them: each copy starts ready.
    const queue = await startQueue({ url: templateUrl.toString(), max: 2 });
    await queue.stop({ graceful: false, wait: true, timeout: 5000 });
  } catch (error) {
    await db.stop();
    throw error;
  }
  project.provide("pgAdminUrl", admin.toString());
  project.provide("templateDb", TEMPLATE_DB);
  return async () => {
    await db.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  };
}
