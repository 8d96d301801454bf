import { randomBytes } from "node:crypto";
import pg from "pg";
import { inject } from "vitest";
import { applyMigrations, MIGRATIONS_DIR, readMigrations } from "../src/platform/db";

/** Copies the run's template into a database of its own and returns its name. */
async function copyTemplate(): Promise<string> {
  const name = `test_${randomBytes(6).toString("hex")}`;
  const admin = new pg.Client({ connectionString: inject("pgAdminUrl") });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name} TEMPLATE ${inject("templateDb")}`);
  } finally {
    await admin.end();
  }
  return name;
}

/**
 * The copy made ahead for the next file of this worker (files share a worker's modules): copying the template
 * takes a second or more, which the next file then spends while this one runs instead of before it starts.
 */
let spare: Promise<string> | undefined;

function makeSpare(): void {
  spare = copyTemplate();
  // A copy that failed is made again when it is asked for; nobody waits on it before then.
  spare.catch(() => {});
}

/** A fresh, migrated database for one test file, copied from the run's template. */
export async function createTestDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const adminUrl = inject("pgAdminUrl");
  const ready = spare;
  spare = undefined;
  const name = (await ready?.catch(() => undefined)) ?? (await copyTemplate());
  makeSpare();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const c = new pg.Client({ connectionString: adminUrl });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

/**
 * An empty database migrated only up to (not including) the migration `before`, for a test of that migration over
 * data written before it; `migrate()` then applies the rest.
 */
export async function databaseBefore(before: string): Promise<{
  url: string;
  migrate(): Promise<void>;
  drop(): Promise<void>;
}> {
  const adminUrl = inject("pgAdminUrl");
  const name = `test_${randomBytes(6).toString("hex")}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const all = readMigrations(MIGRATIONS_DIR);
  await applyMigrations(
    url.toString(),
    all.filter((m) => m.name < before),
  );
  return {
    url: url.toString(),
    async migrate() {
      await applyMigrations(url.toString(), all);
    },
    async drop() {
      const c = new pg.Client({ connectionString: adminUrl });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}
