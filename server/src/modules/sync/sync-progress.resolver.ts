import { Arg, Ctx, ID, Resolver, Root, Subscription } from "type-graphql";
import type { SyncJob as SyncJobRow } from "../../generated/prisma/client";
import { RequireScope } from "../../graphql/access";
import type { Context } from "../../graphql/context";
import { ErrorCode, userInputError } from "../../graphql/errors";
import { expectGlobalId } from "../../graphql/global-id";
import { clearLoaders } from "../../graphql/loaders";
import { Scope } from "../../platform/auth/scopes";
import { SyncJob } from "./sync-job.types";
import {
  coalesce,
  isTerminal,
  mergeJobState,
  PROGRESS_EVENTS_PER_SECOND,
  parseJobEvent,
} from "./sync-progress.stream";

/** Routing keys of job events: one job's progress, and every change to a tenant's jobs. */
export const SyncTopics = {
  job: "syncJob",
  tenantJobs: "syncJobs",
} as const;

const INTERVAL_MS = 1000 / PROGRESS_EVENTS_PER_SECOND;

async function jobProgress(ctx: Context, globalId: string): Promise<AsyncIterableIterator<SyncJobRow>> {
  const jobId = expectGlobalId(globalId, "SyncJob");
  // Listening before reading the job, so no event between the read and the first delivery is lost.
  const events = ctx.services.pubSub.subscribe(SyncTopics.job, jobId);
  try {
    await ctx.services.pubSub.listening();
    // Read through the tenant's database: another tenant's job is not found, exactly like a missing one.
    const job = await ctx.db.client.syncJob.findUnique({ where: { id: jobId } });
    if (!job) throw userInputError("No such sync job", ErrorCode.NOT_FOUND, "jobId");
    return coalesce<SyncJobRow>(events, [job], {
      intervalMs: INTERVAL_MS,
      parse: (raw) => ownEvent(ctx, raw, jobId),
      key: (row) => row.id,
      merge: mergeJobState,
      isLast: isTerminal,
    });
  } catch (error) {
    await events.return?.();
    throw error;
  }
}

async function tenantJobChanges(ctx: Context): Promise<AsyncIterableIterator<SyncJobRow>> {
  const events = ctx.services.pubSub.subscribe(SyncTopics.tenantJobs, ctx.tenant.id);
  try {
    await ctx.services.pubSub.listening();
  } catch (error) {
    await events.return?.();
    throw error;
  }
  return coalesce<SyncJobRow>(events, [], {
    intervalMs: INTERVAL_MS,
    parse: (raw) => ownEvent(ctx, raw),
    key: (row) => row.id,
    merge: mergeJobState,
  });
}

function ownEvent(ctx: Context, raw: unknown, jobId?: string): SyncJobRow | undefined {
  const row = parseJobEvent(raw);
  // The routing key already names the tenant or job; checking again keeps a mislabelled event from leaking.
  if (!row || row.tenantId !== ctx.tenant.id || (jobId && row.id !== jobId)) return undefined;
  return row;
}

/** Fresh reads for every event: a subscription keeps one context (and its loaders) for its whole life. */
function freshLoaders(ctx: Context) {
  clearLoaders(ctx.loaders);
}

@Resolver()
export class SyncProgressResolver {
  @RequireScope(Scope.read_sync)
  @Subscription(() => SyncJob, {
    description:
      "A job's current state, then its progress (at most 10 updates a second, counters never going " +
      "backwards) until it ends: completes after SUCCEEDED, FAILED or CANCELLED is delivered.",
    subscribe: ({ args, context }) => jobProgress(context as Context, (args as { jobId: string }).jobId),
  })
  syncJobProgress(
    @Arg("jobId", () => ID) _jobId: string,
    @Root() job: SyncJobRow,
    @Ctx() ctx: Context,
  ): SyncJobRow {
    freshLoaders(ctx);
    return job;
  }

  @RequireScope(Scope.read_sync)
  @Subscription(() => SyncJob, {
    description: "Every change to the tenant's sync jobs (new jobs, progress, ends), for lists of jobs.",
    subscribe: ({ context }) => tenantJobChanges(context as Context),
  })
  syncJobsUpdated(@Root() job: SyncJobRow, @Ctx() ctx: Context): SyncJobRow {
    freshLoaders(ctx);
    return job;
  }
}
