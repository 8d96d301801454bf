import type { Prisma, SyncJob } from "../../generated/prisma/client";
import { byIdLoader } from "../../graphql/loaders";
import { type ConnectionArgs, newestFirst, paginate } from "../../graphql/pagination";
import type { TenantDb } from "../../platform/db";
import type { SyncJobFilter } from "./sync-job.types";

export async function syncJobPage(
  db: TenantDb,
  args: ConnectionArgs,
  filter: SyncJobFilter | null | undefined,
) {
  const where: Prisma.SyncJobWhereInput = {};
  if (filter?.status?.length) where.status = { in: filter.status };
  if (filter?.type?.length) where.type = { in: filter.type };
  if (filter?.trigger?.length) where.trigger = { in: filter.trigger };
  const page = await paginate(args, newestFirst<SyncJob>(), where, (q) =>
    db.client.syncJob.findMany(q as Prisma.SyncJobFindManyArgs),
  );
  return { page, count: () => db.client.syncJob.count({ where }) };
}

export function jobFailures(db: TenantDb, job: { id: string; createdAt: Date }, first: number) {
  return db.client.syncJobItem.findMany({
    // The job's month names the one partition its items are in.
    where: { jobId: job.id, jobCreatedAt: job.createdAt, status: "FAILED" },
    orderBy: [{ updatedAt: "desc" }, { id: "asc" }],
    take: first,
  });
}

export function createSyncLoaders(db: TenantDb) {
  return {
    syncJobById: byIdLoader((ids) => db.client.syncJob.findMany({ where: { id: { in: ids } } })),
  };
}
