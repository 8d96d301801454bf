import DataLoader from "dataloader";
import type { ConflictStrategy, Prisma, SyncConflict } from "../../generated/prisma/client";
import { expectGlobalId } from "../../graphql/global-id";
import { byIdLoader, groupedLoader } from "../../graphql/loaders";
import { type ConnectionArgs, newestFirst, paginate } from "../../graphql/pagination";
import type { TenantDb } from "../../platform/db";
import type { ConflictFilter } from "./conflict.types";

/** The API's conflict filter as a Prisma condition (the tenant comes from row-level security). */
export function conflictWhere(filter: ConflictFilter | null | undefined): Prisma.SyncConflictWhereInput {
  const where: Prisma.SyncConflictWhereInput = {};
  if (filter?.status?.length) where.status = { in: filter.status };
  if (filter?.type?.length) where.type = { in: filter.type };
  if (filter?.sku) where.sku = filter.sku;
  if (filter?.jobId) where.jobId = expectGlobalId(filter.jobId, "SyncJob");
  return where;
}

export async function conflictPage(
  db: TenantDb,
  args: ConnectionArgs,
  filter: ConflictFilter | null | undefined,
) {
  const where = conflictWhere(filter);
  const page = await paginate(args, newestFirst<SyncConflict>(), where, (q) =>
    db.client.syncConflict.findMany(q as Prisma.SyncConflictFindManyArgs),
  );
  return { page, count: () => db.client.syncConflict.count({ where }) };
}

/** What the tenant's own strategy needs to pick a value: the strategy and each platform's priority. */
export interface TenantConflictRules {
  strategy: ConflictStrategy;
  priorities: Record<string, number>;
}

async function tenantConflictRules(db: TenantDb): Promise<TenantConflictRules> {
  const [settings, connections] = await Promise.all([
    db.client.platformSyncSettings.findFirst({ select: { conflictStrategy: true } }),
    db.client.platformConnection.findMany({
      where: { enabled: true },
      select: { kind: true, priority: true },
    }),
  ]);
  const priorities: Record<string, number> = {};
  for (const c of connections)
    priorities[c.kind] = Math.min(priorities[c.kind] ?? Number.POSITIVE_INFINITY, c.priority);
  return { strategy: settings?.conflictStrategy ?? "SOURCE_WINS", priorities };
}

export function createConflictLoaders(db: TenantDb) {
  return {
    // One key: the tenant's rules, read once per request however many conflicts ask.
    conflictRules: new DataLoader<"tenant", TenantConflictRules>(async (keys) => {
      const rules = await tenantConflictRules(db);
      return keys.map(() => rules);
    }),
    conflictById: byIdLoader((ids) => db.client.syncConflict.findMany({ where: { id: { in: ids } } })),
    openConflictsByProduct: groupedLoader(
      (productIds) =>
        db.client.syncConflict.findMany({
          where: { productId: { in: productIds }, status: "OPEN" },
          orderBy: [{ createdAt: "desc" }, { id: "asc" }],
        }),
      (row) => row.productId,
    ),
  };
}
