import type { Prisma, SyncConflict } from "../../generated/prisma/client";
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

export function createConflictLoaders(db: TenantDb) {
  return {
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
