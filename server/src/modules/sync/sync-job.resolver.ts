import { Arg, Args, Ctx, FieldResolver, Float, ID, Int, Mutation, Query, Resolver, Root } from "type-graphql";
import { RequireScope } from "../../graphql/access";
import type { Context } from "../../graphql/context";
import { ErrorCode, userInputError } from "../../graphql/errors";
import { expectGlobalId, toGlobalId } from "../../graphql/global-id";
import { ConnectionArgs, MAX_PAGE_SIZE, toConnection } from "../../graphql/pagination";
import { Scope } from "../../platform/auth/scopes";
import { cancelSync, isTerminal as finished, startSync, validateStartSync } from "./sync.service";
import { jobFailures, syncJobPage } from "./sync-job.repository";
import { SyncJob, SyncJobConnection, SyncJobFilter, SyncJobItem } from "./sync-job.types";
import {
  CancelInventorySyncPayload,
  StartInventorySyncInput,
  StartInventorySyncPayload,
} from "./sync-mutation.types";

const TERMINAL = new Set(["SUCCEEDED", "FAILED", "CANCELLED"]);

@Resolver(() => SyncJob)
export class SyncJobResolver {
  @RequireScope(Scope.read_sync)
  @Query(() => SyncJobConnection, { description: "Sync jobs, newest first." })
  async syncJobs(
    @Args(() => ConnectionArgs) args: ConnectionArgs,
    @Arg("filter", () => SyncJobFilter, { nullable: true }) filter: SyncJobFilter | null,
    @Ctx() ctx: Context,
  ): Promise<SyncJobConnection> {
    const { page, count } = await syncJobPage(ctx.db, args, filter);
    return toConnection(SyncJobConnection, page, count);
  }

  @RequireScope(Scope.read_sync)
  @Query(() => SyncJob, { nullable: true })
  syncJob(@Arg("id", () => ID) id: string, @Ctx() ctx: Context) {
    return ctx.loaders.syncJobById.load(expectGlobalId(id, "SyncJob"));
  }

  @RequireScope(Scope.write_sync)
  @Mutation(() => StartInventorySyncPayload, {
    description:
      "Starts a sync job; while a FULL sync runs, starting another FULL sync returns the running one. Invalid input is reported in userErrors and starts nothing.",
  })
  async startInventorySync(
    @Arg("input", () => StartInventorySyncInput) input: StartInventorySyncInput,
    @Ctx() ctx: Context,
  ): Promise<StartInventorySyncPayload> {
    const userErrors = await validateStartSync(ctx.db, input);
    if (userErrors.length > 0) return { job: null, created: false, userErrors };
    const actor = ctx.actor;
    const { job, created } = await startSync(ctx.services.sync, ctx.db, {
      ...input,
      trigger: "MANUAL",
      actorId: actor?.type === "USER" ? actor.id : null,
    });
    return { job, created, userErrors: [] };
  }

  @RequireScope(Scope.write_sync)
  @Mutation(() => CancelInventorySyncPayload, {
    description: "Stops a sync job within a second; what it already applied stays applied and recorded.",
  })
  async cancelInventorySync(
    @Arg("id", () => ID) id: string,
    @Ctx() ctx: Context,
  ): Promise<CancelInventorySyncPayload> {
    let jobId: string;
    try {
      jobId = expectGlobalId(id, "SyncJob");
    } catch (error) {
      return {
        job: null,
        userErrors: [{ field: ["id"], code: "INVALID_ID", message: (error as Error).message }],
      };
    }
    const job = await ctx.loaders.syncJobById.load(jobId);
    if (!job) {
      return { job: null, userErrors: [{ field: ["id"], code: "NOT_FOUND", message: "No such sync job" }] };
    }
    if (finished(job.status)) {
      return {
        job,
        userErrors: [
          { field: ["id"], code: "ALREADY_FINISHED", message: `The job already ended ${job.status}` },
        ],
      };
    }
    return { job: await cancelSync(ctx.services.sync, ctx.db, job.id), userErrors: [] };
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
    return jobFailures(ctx.db, job, first);
  }
}
