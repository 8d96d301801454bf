import type { Prisma, SyncHistory } from "../../generated/prisma/client";
import { expectGlobalId } from "../../graphql/global-id";
import { type ConnectionArgs, newestFirst, paginate } from "../../graphql/pagination";
import type { TenantDb } from "../../platform/db";
import type { SyncHistoryFilter } from "./history.types";

/** The API's history filter as a Prisma condition (the tenant comes from row-level security). */
export function historyWhere(filter: SyncHistoryFilter | null | undefined): Prisma.SyncHistoryWhereInput {
  const where: Prisma.SyncHistoryWhereInput = {};
  if (filter?.sku) where.sku = filter.sku;
  if (filter?.jobId) where.jobId = expectGlobalId(filter.jobId, "SyncJob");
  if (filter?.platform) where.platform = filter.platform;
  if (filter?.field) where.field = filter.field;
  if (filter?.since) where.createdAt = { gte: filter.since };
  return where;
}

/** A page of the append-only history, newest first. */
export async function historyPage(
  db: TenantDb,
  args: ConnectionArgs,
  filter: SyncHistoryFilter | null | undefined,
) {
  const where = historyWhere(filter);
  const page = await paginate(args, newestFirst<SyncHistory>(), where, (q) =>
    db.client.syncHistory.findMany(q as Prisma.SyncHistoryFindManyArgs),
  );
  return { page, count: () => db.client.syncHistory.count({ where }) };
}
