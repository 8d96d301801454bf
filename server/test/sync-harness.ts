import { seedTenant } from "../src/modules/catalog/demo/seed";
import { connectTenantToSandbox } from "../src/modules/connections/demo";
import { createOwnerPool } from "../src/platform/db";
import { type RunningSandbox, startSandbox } from "../src/sandbox/sandbox.server";
import type { SandboxOptions } from "../src/sandbox/sandbox.types";
import { startTestServer, type TestServer } from "./app";

export interface SyncHarness {
  sandbox: RunningSandbox;
  server: TestServer;
  tenantId: string;
  close(): Promise<void>;
}

/**
 * The marketplace sandbox and the real server over a fresh database holding the demo tenant, seeded from the
 * same generator and seed as the sandbox, with its Amazon and Medusa connections pointed at the sandbox.
 */
export async function startSyncHarness(
  options: {
    skus?: number;
    sandbox?: Omit<SandboxOptions, "skus" | "port">;
    server?: Parameters<typeof startTestServer>[1];
  } = {},
): Promise<SyncHarness> {
  const skus = options.skus ?? 200;
  let tenantId = "";
  let sandbox: RunningSandbox | undefined;
  const server = await startTestServer(async (dbUrl) => {
    const pool = createOwnerPool(dbUrl);
    ({ tenantId } = await seedTenant(pool, { slug: "demo", name: "Demo Store", skus }));
    const { rows } = await pool.query<{ seller_id: string; marketplace_id: string }>(
      "SELECT seller_id, marketplace_id FROM platform_connections WHERE tenant_id = $1 AND kind = 'AMAZON'",
      [tenantId],
    );
    await pool.end();
    sandbox = await startSandbox({
      port: 0,
      skus,
      speedUp: 50,
      sellerId: rows[0]!.seller_id,
      marketplaceId: rows[0]!.marketplace_id,
      ...options.sandbox,
    });
    // The operator names the sandbox in configuration, as for one started beside the server.
    return { EGRESS_ALLOWED_ORIGINS: sandbox.url };
  }, options.server);
  if (!sandbox) throw new Error("the sandbox did not start");
  const health = await connectTenantToSandbox(server.app.prisma, server.app.services.connections, tenantId, {
    url: sandbox.url,
    credentials: sandbox.credentials,
  });
  const down = health.filter((h) => !h.report.ok);
  if (down.length > 0)
    throw new Error(`sandbox connections unhealthy: ${down.map((h) => h.report.message).join("; ")}`);
  const running = sandbox;
  return {
    sandbox: running,
    server,
    tenantId,
    async close() {
      await server.close();
      await running.close();
    },
  };
}

export interface JobRow {
  id: string;
  status: string;
  type: string;
  dry_run: boolean;
  total_items: number;
  processed_items: number;
  updated_items: number;
  conflict_count: number;
  failed_items: number;
  platform_results: Record<string, Record<string, number>>;
  checkpoint: { phase?: string; runs?: Array<{ worker: string; at: string; phase: string }> } | null;
  error: string | null;
  cancel_requested_at: Date | null;
  finished_at: Date | null;
}

const TERMINAL = ["SUCCEEDED", "FAILED", "CANCELLED"];

/** The database id inside a SyncJob global id. */
export const jobIdOf = (globalId: string) =>
  Buffer.from(globalId, "base64url").toString("utf8").split(":")[1]!;

/** Starts a sync through the GraphQL mutation and returns the job's database id (fails on userErrors). */
export async function startJob(
  server: TestServer,
  input: {
    type: "FULL" | "PARTIAL" | "INCREMENTAL";
    skus?: string[];
    platforms?: string[];
    dryRun?: boolean;
  },
): Promise<{ id: string; created: boolean }> {
  const res = await server.gql(
    `mutation($input: StartInventorySyncInput!) {
       startInventorySync(input: $input) { created job { id status } userErrors { field code message } }
     }`,
    { input },
  );
  const payload = res.data?.startInventorySync;
  if (!payload?.job)
    throw new Error(`startInventorySync: ${JSON.stringify(res.errors ?? payload?.userErrors)}`);
  return { id: jobIdOf(payload.job.id), created: payload.created };
}

/** Reads a job as the database owner (any tenant). */
export async function jobRow(server: TestServer, id: string): Promise<JobRow> {
  const { rows } = await server.app.ownerPool.query<JobRow>("SELECT * FROM sync_jobs WHERE id = $1", [id]);
  if (!rows[0]) throw new Error(`no sync job ${id}`);
  return rows[0];
}

/** Polls a job until it ends, at most `timeoutMs`. */
export async function waitForJob(
  server: TestServer,
  id: string,
  options: { timeoutMs?: number; until?: (row: JobRow) => boolean } = {},
): Promise<JobRow> {
  const deadline = Date.now() + (options.timeoutMs ?? 120_000);
  const until = options.until ?? ((row: JobRow) => TERMINAL.includes(row.status));
  for (;;) {
    const row = await jobRow(server, id);
    if (until(row)) return row;
    if (Date.now() > deadline)
      throw new Error(`job ${id} still ${row.status} after ${options.timeoutMs ?? 120_000} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
