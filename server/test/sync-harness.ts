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
  options: { skus?: number; sandbox?: Omit<SandboxOptions, "skus" | "port"> } = {},
): Promise<SyncHarness> {
  const skus = options.skus ?? 200;
  let tenantId = "";
  const server = await startTestServer(async (dbUrl) => {
    const pool = createOwnerPool(dbUrl);
    ({ tenantId } = await seedTenant(pool, { slug: "demo", name: "Demo Store", skus }));
    await pool.end();
  });
  const { rows } = await server.app.ownerPool.query<{ seller_id: string; marketplace_id: string }>(
    "SELECT seller_id, marketplace_id FROM platform_connections WHERE tenant_id = $1 AND kind = 'AMAZON'",
    [tenantId],
  );
  const sandbox = await startSandbox({
    port: 0,
    skus,
    speedUp: 50,
    sellerId: rows[0]!.seller_id,
    marketplaceId: rows[0]!.marketplace_id,
    ...options.sandbox,
  });
  const health = await connectTenantToSandbox(server.app.prisma, server.app.services.connections, tenantId, {
    url: sandbox.url,
    credentials: sandbox.credentials,
  });
  const down = health.filter((h) => !h.report.ok);
  if (down.length > 0)
    throw new Error(`sandbox connections unhealthy: ${down.map((h) => h.report.message).join("; ")}`);
  return {
    sandbox,
    server,
    tenantId,
    async close() {
      await server.close();
      await sandbox.close();
    },
  };
}
