import { type ChildProcess, spawn } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { DEFAULT_DEMO_SEED } from "../src/modules/catalog/demo/generator";
import { seedTenant } from "../src/modules/catalog/demo/seed";
import { connectTenantToSandbox } from "../src/modules/connections/demo";
import { startSync } from "../src/modules/sync";
import { createOwnerPool, tenantDb } from "../src/platform/db";
import type { OperationStats } from "../src/sandbox/sandbox.runtime";
import { AMAZON_USAGE_PLANS } from "../src/sandbox/sandbox.runtime";
import { type RunningSandbox, startSandbox } from "../src/sandbox/sandbox.server";
import { loadDemoSeed } from "../src/sandbox/seed.adapter";
import { startTestServer, type TestServer } from "./app";
import { useEnv } from "./env";
import { scrape, total } from "./metrics";
import { jobRow, waitForJob } from "./sync-harness";

/**
 * Three `pnpm worker` processes sync three tenants that sell through one Amazon seller account, against the
 * sandbox at the real SP-API limits: together they must stay inside that seller's usage plan.
 */
useEnv({ WORKERS: "false" });
const SERVER_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const SKUS = 400;
const SELLER = "A3SHAREDSELLER1";
/** The measured window, in searches: from the 12th (three health checks and the burst behind) over 40. */
const WINDOW_START = 12;
const WINDOW_CALLS = 40;

let server: TestServer | undefined;
let sandbox: RunningSandbox | undefined;
const workers: ChildProcess[] = [];
const metricsUrls: string[] = [];
const TOKEN = "worker-metrics-token-0123456789";

afterAll(async () => {
  await Promise.all(
    workers.map(
      (child) =>
        new Promise<void>((resolve) => {
          if (child.exitCode !== null || child.signalCode !== null) return resolve();
          child.once("exit", () => resolve());
          child.kill("SIGTERM");
        }),
    ),
  );
  await server?.close();
  await sandbox?.close();
});

/** Resolves once the sandbox has seen `count` more calls of `operation` than in `from`; returns a copy. */
async function afterCalls(operation: string, from: number): Promise<OperationStats> {
  for (;;) {
    const stat = sandbox!.control.stats()[operation];
    if (stat && stat.requests >= from) return { ...stat };
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe("rate budgets shared by worker processes", () => {
  it("keeps three workers calling for one seller at once inside its usage plan: no 429, the plan's rate", async () => {
    const tenants: string[] = [];
    server = await startTestServer(async (dbUrl) => {
      const pool = createOwnerPool(dbUrl);
      for (const slug of ["shop-a", "shop-b", "shop-c"])
        tenants.push((await seedTenant(pool, { slug, name: slug, skus: SKUS })).tenantId);
      // Three stores, one Amazon seller account: one budget per operation for all of them.
      await pool.query("UPDATE platform_connections SET seller_id = $1 WHERE kind = 'AMAZON'", [SELLER]);
      await pool.end();
    });
    const { rows } = await server.app.ownerPool.query<{ marketplace_id: string }>(
      "SELECT marketplace_id FROM platform_connections WHERE kind = 'AMAZON' LIMIT 1",
    );
    // Merchant-fulfilled only: reads are searches alone, one bucket for the three jobs.
    const items = (await loadDemoSeed(DEFAULT_DEMO_SEED, SKUS)).map((item) =>
      item.amazon ? { ...item, amazon: { ...item.amazon, fulfillmentChannel: "FBM" as const } } : item,
    );
    sandbox = await startSandbox({
      port: 0,
      items,
      speedUp: 1,
      sellerId: SELLER,
      marketplaceId: rows[0]!.marketplace_id,
    });
    for (const tenantId of tenants) {
      await connectTenantToSandbox(server.app.prisma, server.app.services.connections, tenantId, {
        url: sandbox.url,
        credentials: sandbox.credentials,
      });
    }
    // The jobs start once every worker is up, so no process is still compiling while the calls are timed.
    await Promise.all(
      [0, 1, 2].map(() => {
        const child = spawn(process.execPath, ["--import", "tsx", "src/worker.ts"], {
          cwd: SERVER_DIR,
          env: {
            ...process.env,
            DATABASE_URL: server!.dbUrl,
            LOG_LEVEL: "info",
            WORKER_CONCURRENCY: "1",
            METRICS_TOKEN: TOKEN,
            WORKER_METRICS_PORT: "0",
            HOST: "127.0.0.1",
            // The sandbox listens on loopback, which outbound calls are otherwise refused.
            EGRESS_ALLOWED_ORIGINS: sandbox!.url,
          },
          stdio: ["ignore", "pipe", "inherit"],
        });
        workers.push(child);
        return new Promise<void>((resolve, reject) => {
          let out = "";
          const onData = (d: Buffer) => {
            out += d;
            const ready = /"metrics":"([^"]+)".*"msg":"ready:/.exec(out);
            if (!ready) return;
            child.stdout!.off("data", onData);
            metricsUrls.push(ready[1]!);
            resolve();
          };
          child.stdout!.on("data", onData);
          child.once("exit", (code) => reject(new Error(`worker exited with ${code}: ${out}`)));
        });
      }),
    );
    // Partial syncs read by SKU, three searches in flight per job: together they keep the bucket saturated.
    const skus = items.filter((i) => i.amazon).map((i) => i.sku);
    const jobs: string[] = [];
    for (const tenantId of tenants) {
      const db = tenantDb(server.app.prisma, tenantId);
      const { job } = await startSync(server.app.services.sync, db, {
        type: "PARTIAL",
        skus,
        dryRun: true,
        platforms: ["AMAZON"],
      });
      jobs.push(job.id);
    }
    const statuses = async () =>
      (await Promise.all(jobs.map((id) => jobRow(server!, id)))).map((j) => j.status);
    for (const id of jobs)
      await waitForJob(server, id, { timeoutMs: 60_000, until: (r) => r.status !== "PENDING" });
    const plan = AMAZON_USAGE_PLANS.searchListingsItems!;
    // Past the health checks and the burst, with all three jobs reading; closed well before their last calls,
    // so the bucket is saturated all through the window (each job keeps three searches in flight).
    const start = await afterCalls("searchListingsItems", WINDOW_START);
    expect(await statuses()).toEqual(["FETCHING", "FETCHING", "FETCHING"]);
    const end = await afterCalls("searchListingsItems", WINDOW_START + WINDOW_CALLS);

    for (const id of jobs)
      expect((await waitForJob(server, id, { timeoutMs: 90_000 })).status).toBe("SUCCEEDED");
    const stats = sandbox.control.stats();
    const throttled = Object.fromEntries(Object.entries(stats).map(([op, s]) => [op, s.throttled]));
    expect(
      Object.values(throttled).filter((n) => n > 0),
      JSON.stringify(throttled),
    ).toEqual([]);
    const rate = (end.requests - start.requests) / ((end.lastAt - start.lastAt) / 1000);
    expect(rate).toBeLessThanOrEqual(plan.rate);
    // Each worker counts its own calls (its job's health check among them): together, every search the sandbox saw.
    const scraped = await Promise.all(metricsUrls.map((url) => scrape(url, TOKEN)));
    const counted = scraped.map((m) =>
      total(m, "marketplace_requests_total", { platform: "AMAZON", operation: "searchListingsItems" }),
    );
    expect(counted.every((n) => n > 0)).toBe(true);
    expect(counted.reduce((a, b) => a + b, 0)).toBe(stats.searchListingsItems!.requests);
    expect(
      scraped.map((m) => total(m, "sync_jobs_total", { type: "PARTIAL", outcome: "SUCCEEDED" })),
    ).toEqual([1, 1, 1]);
    expect(rate).toBeGreaterThanOrEqual(plan.rate * 0.95);
  }, 120_000);
});
