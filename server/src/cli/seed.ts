import path from "node:path";
import { parseArgs } from "node:util";
import pg from "pg";
import { DEFAULT_DEMO_SEED } from "../modules/catalog/demo/generator";
import { seedTenant } from "../modules/catalog/demo/seed";
import { loadConfig } from "../platform/config";
import {
  applyMigrations,
  createOwnerPool,
  type EmbeddedDatabase,
  MIGRATIONS_DIR,
  readMigrations,
  startEmbeddedPostgres,
} from "../platform/db";

const USAGE = `Usage: pnpm seed [--skus N] [--tenant SLUG] [--name NAME] [--seed N]
                 [--amazon-endpoint URL] [--medusa-endpoint URL]

Creates a demo tenant with N SKUs (default 2000; "demo" tenant by default, e.g. --tenant bench --skus 100000
for a large one). Does nothing when the tenant already exists. Uses DATABASE_URL when set, otherwise the
embedded PostgreSQL in DATA_DIR.`;

function integer(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value.replace(/[_,]/g, ""));
  if (!Number.isSafeInteger(n) || n < 0)
    throw new Error(`--${name} must be a non-negative integer, got "${value}"`);
  return n;
}

function titleCase(slug: string): string {
  return slug
    .split(/[-_]/)
    .filter(Boolean)
    .map((w) => w[0]!.toUpperCase() + w.slice(1))
    .join(" ");
}

/** The URL of an embedded cluster another process (the server) already runs on the port, if it answers. */
async function runningEmbeddedUrl(port: number): Promise<string | undefined> {
  // The credentials startEmbeddedPostgres gives every embedded cluster.
  const url = `postgresql://postgres:postgres@127.0.0.1:${port}/postgres`;
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2_000 });
  try {
    await client.connect();
    await client.query("SELECT 1");
    return url;
  } catch {
    return undefined;
  } finally {
    await client.end().catch(() => {});
  }
}

/** Seeds one demo tenant from the command line and prints progress and the elapsed time. */
async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      skus: { type: "string" },
      tenant: { type: "string" },
      name: { type: "string" },
      seed: { type: "string" },
      "amazon-endpoint": { type: "string" },
      "medusa-endpoint": { type: "string" },
      help: { type: "boolean", short: "h" },
    },
    allowPositionals: false,
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const skus = integer("skus", values.skus, 2000);
  const seed = integer("seed", values.seed, DEFAULT_DEMO_SEED);
  const slug = values.tenant ?? "demo";
  if (!/^[a-z0-9][a-z0-9-]*$/.test(slug))
    throw new Error(`--tenant must be a lower-case slug, got "${slug}"`);
  const name = values.name ?? (slug === "demo" ? "Demo Store" : `${titleCase(slug)} Store`);

  const config = loadConfig();
  let embedded: EmbeddedDatabase | undefined;
  let url = config.DATABASE_URL;
  try {
    if (!url) {
      // The same cluster the server starts, so the seeded tenant is there on its next start.
      const dataDir = path.join(config.DATA_DIR, "pg");
      console.log(`starting embedded PostgreSQL (data in ${dataDir})`);
      try {
        embedded = await startEmbeddedPostgres({ dataDir, port: config.EMBEDDED_PG_PORT });
        url = embedded.url;
      } catch (error) {
        // A running server holds the cluster; seed through it instead of failing.
        url = await runningEmbeddedUrl(config.EMBEDDED_PG_PORT);
        if (!url) throw new Error(`could not start the embedded PostgreSQL: ${String(error)}`);
        console.log(`using the embedded PostgreSQL already running on port ${config.EMBEDDED_PG_PORT}`);
      }
    }
    const { applied } = await applyMigrations(
      config.DATABASE_SESSION_URL ?? url,
      readMigrations(MIGRATIONS_DIR),
    );
    if (applied.length) console.log(`applied migrations: ${applied.join(", ")}`);

    const pool = createOwnerPool(url);
    const started = performance.now();
    let lastPrinted = -1;
    try {
      console.log(`seeding tenant "${slug}" with ${skus.toLocaleString("en-US")} SKUs (seed ${seed})`);
      const result = await seedTenant(pool, {
        slug,
        name,
        skus,
        seed,
        amazonEndpoint: values["amazon-endpoint"] ?? null,
        medusaEndpoint: values["medusa-endpoint"] ?? null,
        onProgress(done, total) {
          const pct = total === 0 ? 100 : Math.floor((done / total) * 100);
          if (pct === lastPrinted || (pct % 10 !== 0 && done !== total)) return;
          lastPrinted = pct;
          const seconds = ((performance.now() - started) / 1000).toFixed(1);
          console.log(
            `  catalog ${done.toLocaleString("en-US")}/${total.toLocaleString("en-US")} (${pct}%) ${seconds}s`,
          );
        },
      });
      const seconds = ((performance.now() - started) / 1000).toFixed(1);
      if (result.created) console.log(`seeded tenant "${slug}" (${result.tenantId}) in ${seconds}s`);
      else console.log(`tenant "${slug}" already exists (${result.tenantId}); nothing to do (${seconds}s)`);
    } finally {
      await pool.end();
    }
  } finally {
    if (embedded) await embedded.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  if (error instanceof Error && /Unknown option|must be/.test(error.message)) console.error(`\n${USAGE}`);
  process.exit(1);
});
