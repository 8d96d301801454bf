import { type ChildProcess, spawn } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { startSync } from "../src/modules/sync";
import { tenantDb } from "../src/platform/db";
import { QUEUES } from "../src/platform/queue";
import type { RunningSandbox } from "../src/sandbox/sandbox.server";
import type { TestServer } from "./app";
import { useEnv } from "./env";
import { type JobRow, jobRow, startSyncHarness, waitForJob } from "./sync-harness";

/**
 * Crash safety with real processes: `pnpm worker`-style child processes share one database with a server that only
 * enqueues (WORKERS=false); the sandbox runs as an HTTP server in this process so its write counters can be read.
 */
useEnv({ WORKERS: "false" });
const SERVER_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const SKUS = 400;

function random(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface World {
  server: TestServer;
  sandbox: RunningSandbox;
  tenantId: string;
  workers: ChildProcess[];
}

let world: World | undefined;

async function startWorld(): Promise<World> {
  const { server, sandbox, tenantId } = await startSyncHarness({ skus: SKUS, sandbox: { speedUp: 20 } });
  // Many changes on both sides, so the job applies in many small batches and a kill lands mid-way.
  let i = 0;
  for (const [sku, a] of sandbox.state.amazon) {
    const m = sandbox.state.medusa.get(sku);
    if (!m) continue;
    i++;
    if (i % 3 === 0) m.prices[0]!.amount = (Number(m.prices[0]!.amount) + 2).toFixed(2);
    if (i % 3 === 1 && a.channel === "FBM" && a.quantity > 2) a.quantity -= 1;
    m.updatedAt = a.updatedAt = Date.now();
  }
  sandbox.state.touch();
  return { server, sandbox, tenantId, workers: [] };
}

function spawnWorker(w: World): ChildProcess {
  const child = spawn(process.execPath, ["--import", "tsx", "src/worker.ts"], {
    cwd: SERVER_DIR,
    env: {
      ...process.env,
      DATABASE_URL: w.server.dbUrl,
      LOG_LEVEL: "error",
      WORKER_CONCURRENCY: "1",
      SYNC_BATCH_SIZE: "8",
      SYNC_ASYNC_SETTLE_MS: "4000",
      // Workers reach the sandbox the way the server does: configuration names it.
      EGRESS_ALLOWED_ORIGINS: w.sandbox.url,
    },
    stdio: ["ignore", "inherit", "inherit"],
  });
  w.workers.push(child);
  return child;
}

async function stopWorld(w: World | undefined) {
  if (!w) return;
  await Promise.all(
    w.workers.map(
      (child) =>
        new Promise<void>((resolve) => {
          if (child.exitCode !== null || child.signalCode !== null) return resolve();
          child.once("exit", () => resolve());
          child.kill("SIGKILL");
        }),
    ),
  );
  await w.server.app.close();
  // Let the closed pools' sockets finish closing before the database is dropped under them.
  await new Promise((r) => setTimeout(r, 200));
  await w.server.close();
  await w.sandbox.close();
}

/** Waits until every platform holds what the job applied and checks each write landed exactly once. */
async function expectAppliedOnce(w: World, job: JobRow, extraWrites = 0) {
  const { rows: items } = await w.server.app.ownerPool.query<{
    sku: string;
    platform: string;
    field: string;
    to_value: string | number;
    status: string;
  }>("SELECT sku, platform::text, field, to_value, status::text FROM sync_job_items WHERE job_id = $1", [
    job.id,
  ]);
  expect(items.length).toBeGreaterThan(50);
  expect(items.filter((i) => i.status !== "APPLIED")).toEqual([]);
  const platformValue = (i: (typeof items)[number]) => {
    if (i.platform === "AMAZON") {
      const a = w.sandbox.state.amazon.get(i.sku)!;
      return i.field === "quantity"
        ? a.quantity
        : i.field === "price"
          ? a.price
          : a.status === "ACTIVE"
            ? "ACTIVE"
            : "INACTIVE";
    }
    const m = w.sandbox.state.medusa.get(i.sku)!;
    const level = m.levels[0]!;
    return i.field === "quantity"
      ? level.stocked - level.reserved
      : i.field === "price"
        ? Number(m.prices[0]!.amount).toFixed(2)
        : m.productStatus === "published"
          ? "ACTIVE"
          : "INACTIVE";
  };
  const norm = (v: unknown) => (typeof v === "string" && /^\d+\.\d+$/.test(v) ? Number(v).toFixed(2) : v);
  // Amazon applies accepted writes after a short processing delay.
  const deadline = Date.now() + 10_000;
  let lost = items.filter((i) => norm(platformValue(i)) !== norm(i.to_value));
  while (lost.length > 0 && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 100));
    lost = items.filter((i) => norm(platformValue(i)) !== norm(i.to_value));
  }
  expect(lost.map((i) => `${i.platform} ${i.sku} ${i.field}: ${platformValue(i)} != ${i.to_value}`)).toEqual(
    [],
  );
  const counts = w.sandbox.control.writeCounts();
  const twice = items.filter((i) => counts[`${i.platform.toLowerCase()}:${i.sku}:${i.field}`] !== 1);
  expect(
    twice.map(
      (i) =>
        `${i.platform} ${i.sku} ${i.field} written ${counts[`${i.platform.toLowerCase()}:${i.sku}:${i.field}`] ?? 0}x`,
    ),
  ).toEqual([]);
  expect(Object.values(counts).reduce((s, n) => s + n, 0)).toBe(items.length + extraWrites);
  const history = await w.server.app.ownerPool.query(
    "SELECT count(*)::int AS n FROM sync_history WHERE job_id = $1",
    [job.id],
  );
  expect(history.rows[0].n).toBe(items.length);
}

afterEach(async () => {
  await stopWorld(world);
  world = undefined;
});
afterAll(async () => stopWorld(world));

describe("crash safety with worker processes", () => {
  const rng = random(20_261_124);
  for (const run of [0, 1, 2]) {
    // Run 0 dies while fetching or comparing; runs 1 and 2 die at a random moment of applying.
    it(`resumes a job killed with SIGKILL (run ${run + 1} of 3) on another worker: nothing lost, nothing applied twice`, async () => {
      world = await startWorld();
      const w = world;
      spawnWorker(w);
      spawnWorker(w);
      const db = tenantDb(w.server.app.prisma, w.tenantId);
      const { job } = await startSync(w.server.app.services.sync, db, { type: "FULL" });
      const delayMs = Math.floor(rng() * (run === 0 ? 300 : 800));
      await waitForJob(w.server, job.id, {
        timeoutMs: 60_000,
        until: (r) =>
          run === 0
            ? ["FETCHING", "COMPARING", "APPLYING"].includes(r.status)
            : r.status === "APPLYING" && r.updated_items > 0,
      });
      await new Promise((r) => setTimeout(r, delayMs));
      const before = await jobRow(w.server, job.id);
      const owner = before.checkpoint?.runs?.at(-1)?.worker;
      const pid = Number(owner?.split("@")[0]);
      const victim = w.workers.find((c) => c.pid === pid);
      expect(victim, `worker ${owner} runs the job`).toBeDefined();
      victim!.kill("SIGKILL");
      spawnWorker(w);
      const done = await waitForJob(w.server, job.id, { timeoutMs: 90_000 });
      expect(done.status).toBe("SUCCEEDED");
      expect(done.failed_items).toBe(0);
      const runs = done.checkpoint?.runs ?? [];
      expect(runs.length).toBeGreaterThanOrEqual(2);
      expect(runs.at(-1)!.worker).not.toBe(owner);
      await expectAppliedOnce(w, done);
    }, 180_000);
  }

  it("hands a job over when its worker is stopped with SIGTERM mid-way", async () => {
    world = await startWorld();
    const w = world;
    spawnWorker(w);
    spawnWorker(w);
    const db = tenantDb(w.server.app.prisma, w.tenantId);
    const { job } = await startSync(w.server.app.services.sync, db, { type: "FULL" });
    const before = await waitForJob(w.server, job.id, {
      timeoutMs: 60_000,
      until: (r) => r.status === "APPLYING" && r.updated_items > 0,
    });
    const owner = before.checkpoint?.runs?.at(-1)?.worker;
    w.workers.find((c) => c.pid === Number(owner?.split("@")[0]))!.kill("SIGTERM");
    const done = await waitForJob(w.server, job.id, { timeoutMs: 90_000 });
    expect(done.status).toBe("SUCCEEDED");
    expect(done.checkpoint?.runs?.at(-1)?.worker).not.toBe(owner);
    await expectAppliedOnce(w, done);
  }, 180_000);

  it("never runs one job on two workers, even when the queue delivers it twice", async () => {
    world = await startWorld();
    const w = world;
    spawnWorker(w);
    spawnWorker(w);
    const runtime = w.server.app.services.sync;
    const db = tenantDb(w.server.app.prisma, w.tenantId);
    const { job } = await startSync(runtime, db, { type: "FULL" });
    // Duplicate deliveries: both workers may fetch one, only one may run the job.
    for (let i = 0; i < 3; i++)
      await runtime.queue.send(QUEUES.sync, { tenantId: w.tenantId, jobId: job.id });
    const done = await waitForJob(w.server, job.id, { timeoutMs: 90_000 });
    expect(done.status).toBe("SUCCEEDED");
    expect(done.checkpoint?.runs?.length).toBe(1);
    await expectAppliedOnce(w, done);
    // Every delivery ends; the ones after the first find the job running or finished and leave it alone.
    const deadline = Date.now() + 20_000;
    let states: string[] = [];
    do {
      await new Promise((r) => setTimeout(r, 200));
      const { rows } = await w.server.app.ownerPool.query<{ state: string }>(
        "SELECT state FROM pgboss.job WHERE data->>'jobId' = $1",
        [job.id],
      );
      states = rows.map((r) => r.state);
    } while (states.some((s) => s !== "completed") && Date.now() < deadline);
    expect(states).toEqual(["completed", "completed", "completed", "completed"]);
    expect((await jobRow(w.server, job.id)).checkpoint?.runs?.length).toBe(1);
  }, 180_000);
});
