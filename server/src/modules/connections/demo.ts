import type { PrismaClient } from "../../generated/prisma/client";
import { tenantDb } from "../../platform/db";
import type { ConnectionService } from "./connections.service";

/** The tenant the server seeds for the demo. */
export const DEMO_TENANT_SLUG = "demo";

/** Where a running marketplace sandbox answers, and the credentials it accepts. */
export interface SandboxEndpoints {
  url: string;
  credentials: {
    amazon: { clientId: string; clientSecret: string; refreshToken: string };
    medusa: { apiKey: string };
  };
}

/** Points a tenant's Amazon and Medusa connections at the sandbox, then checks each one's health. */
export async function connectTenantToSandbox(
  prisma: PrismaClient,
  connections: ConnectionService,
  tenantId: string,
  sandbox: SandboxEndpoints,
) {
  const db = tenantDb(prisma, tenantId);
  const rows = await db.transaction(async (tx) => {
    const found = await tx.platformConnection.findMany({ where: { kind: { in: ["AMAZON", "MEDUSA"] } } });
    return Promise.all(
      found.map((c) =>
        c.kind === "AMAZON"
          ? connections.storeCredentials(
              tx,
              c.id,
              { ...sandbox.credentials.amazon, lwaEndpoint: `${sandbox.url}/auth/o2/token` },
              sandbox.url,
            )
          : connections.storeCredentials(
              tx,
              c.id,
              { apiKey: sandbox.credentials.medusa.apiKey },
              sandbox.url,
            ),
      ),
    );
  });
  return Promise.all(rows.map((row) => connections.test(db, row)));
}
