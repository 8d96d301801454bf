import type { PrismaClient } from "../../generated/prisma/client";
import { Prisma } from "../../generated/prisma/client";

type Tx = Omit<PrismaClient, "$connect" | "$disconnect" | "$on" | "$transaction" | "$extends">;

function setTenant(client: Tx | PrismaClient, tenantId: string) {
  return client.$executeRaw`SELECT set_config('app.tenant_id', ${tenantId}, true)`;
}

/**
 * A client scoped to one tenant: every operation, raw queries included, runs in a transaction that first
 * names the tenant, so row-level security filters it even where the code forgets its `where`.
 */
export function scopedClient(prisma: PrismaClient, tenantId: string) {
  return prisma.$extends({
    name: "tenant-scope",
    query: {
      async $allOperations({ args, query }) {
        const [, result] = await prisma.$transaction([setTenant(prisma, tenantId), query(args)]);
        return result;
      },
    },
  });
}

export type ScopedClient = ReturnType<typeof scopedClient>;

/** What a request holds: the tenant, its scoped client, and interactive transactions with the tenant set. */
export interface TenantDb {
  readonly tenantId: string;
  readonly client: ScopedClient;
  /**
   * Runs `fn` in one interactive transaction on the unscoped client with the tenant set first; calls on the
   * scoped client inside it would escape the transaction, so `fn` must use only `tx`.
   */
  transaction<T>(fn: (tx: Tx) => Promise<T>, options?: { timeout?: number; maxWait?: number }): Promise<T>;
}

export function tenantDb(prisma: PrismaClient, tenantId: string): TenantDb {
  return {
    tenantId,
    client: scopedClient(prisma, tenantId),
    transaction(fn, options) {
      return prisma.$transaction(
        async (tx) => {
          await setTenant(tx, tenantId);
          return fn(tx);
        },
        { timeout: options?.timeout ?? 30_000, maxWait: options?.maxWait ?? 10_000 },
      );
    },
  };
}

export type { Tx };
export { Prisma };
