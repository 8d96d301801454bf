import { Arg, Args, Ctx, FieldResolver, Float, ID, Int, Query, Resolver, Root } from "type-graphql";
import type { Context } from "../../graphql/context";
import { ErrorCode, userInputError } from "../../graphql/errors";
import { expectGlobalId, toGlobalId } from "../../graphql/global-id";
import { ConnectionArgs, MAX_PAGE_SIZE, toConnection } from "../../graphql/pagination";
import { jobFailures, syncJobPage } from "./sync-job.repository";
import { SyncJob, SyncJobConnection, SyncJobFilter, SyncJobItem } from "./sync-job.types";

const TERMINAL = new Set(["SUCCEEDED", "FAILED", "CANCELLED"]);

@Resolver(() => SyncJob)
export class SyncJobResolver {
  @Query(() => SyncJobConnection, { description: "Sync jobs, newest first." })
  async syncJobs(
    @Args(() => ConnectionArgs) args: ConnectionArgs,
    @Arg("filter", () => SyncJobFilter, { nullable: true }) filter: SyncJobFilter | null,
    @Ctx() ctx: Context,
  ): Promise<SyncJobConnection> {
    const { page, count } = await syncJobPage(ctx.db, args, filter);
    return toConnection(SyncJobConnection, page, count);
  }

  @Query(() => SyncJob, { nullable: true })
  syncJob(@Arg("id", () => ID) id: string, @Ctx() ctx: Context) {
    return ctx.loaders.syncJobById.load(expectGlobalId(id, "SyncJob"));
  }

  @FieldResolver(() => ID)
  id(@Root() job: SyncJob) {
    return toGlobalId("SyncJob", job.id);
  }

  @FieldResolver(() => Boolean, {
    description: "SUCCEEDED, FAILED or CANCELLED: the job will not change again.",
  })
  isTerminal(@Root() job: SyncJob) {
    return TERMINAL.has(job.status);
  }

  @FieldResolver(() => Float, { description: "Processed over total, from 0 to 1." })
  progress(@Root() job: SyncJob) {
    if (job.status === "SUCCEEDED") return 1;
    return job.totalItems > 0 ? Math.min(1, job.processedItems / job.totalItems) : 0;
  }

  @FieldResolver(() => Int, { nullable: true, description: "From start to finish, or to now while running." })
  durationMs(@Root() job: SyncJob) {
    if (!job.startedAt) return null;
    return (job.finishedAt ?? new Date()).getTime() - job.startedAt.getTime();
  }

  @FieldResolver(() => [SyncJobItem], { description: "The items that failed, with their errors." })
  failures(
    @Root() job: SyncJob,
    @Arg("first", () => Int, { defaultValue: 50 }) first: number,
    @Ctx() ctx: Context,
  ) {
    if (first < 0 || first > MAX_PAGE_SIZE) {
      throw userInputError(
        `\`first\` must be between 0 and ${MAX_PAGE_SIZE}`,
        ErrorCode.BAD_USER_INPUT,
        "first",
      );
    }
    return jobFailures(ctx.db, job.id, first);
  }
}
