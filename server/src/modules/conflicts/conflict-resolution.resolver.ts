import { Arg, Ctx, ID, Mutation, Resolver } from "type-graphql";
import { RequireScope } from "../../graphql/access";
import type { Context } from "../../graphql/context";
import { ConflictStrategy } from "../../graphql/enums";
import { Scope } from "../../platform/auth/scopes";
import { ignoreConflict, resolveConflicts } from "./conflict-resolution.service";
import {
  ConflictResolutionInput,
  IgnoreConflictPayload,
  ResolveConflictPayload,
  ResolveConflictsFilter,
  ResolveConflictsPayload,
} from "./conflict-resolution.types";

@Resolver()
export class ConflictResolutionResolver {
  @RequireScope(Scope.write_conflicts)
  @Mutation(() => ResolveConflictPayload, {
    description:
      "Resolves an open conflict to a value (given, or computed by a strategy), updates our record, and plans " +
      "a RESOLUTION job writing the value to the platforms that hold another. Refused as a whole on any error.",
  })
  async resolveConflict(
    @Arg("id", () => ID) id: string,
    @Arg("resolution", () => ConflictResolutionInput) resolution: ConflictResolutionInput,
    @Ctx() ctx: Context,
  ): Promise<ResolveConflictPayload> {
    const out = await resolveConflicts(
      ctx.db,
      ctx.services.sync,
      ctx.actor,
      { ids: [id], argument: "id" },
      resolution,
      ctx.log,
    );
    return {
      conflict: out.conflicts[0] ?? null,
      job: out.jobId ? await ctx.loaders.syncJobById.load(out.jobId) : null,
      userErrors: out.userErrors,
    };
  }

  @RequireScope(Scope.write_conflicts)
  @Mutation(() => ResolveConflictsPayload, {
    description:
      "Resolves many open conflicts by one strategy, chosen by ids (at most 250) or by filter (at most 1,000 " +
      "per call, oldest first; hasMore tells when to call again). All or none, with one RESOLUTION job.",
  })
  async resolveConflicts(
    @Arg("ids", () => [ID], { nullable: true }) ids: string[] | null,
    @Arg("filter", () => ResolveConflictsFilter, { nullable: true }) filter: ResolveConflictsFilter | null,
    @Arg("strategy", () => ConflictStrategy) strategy: ConflictStrategy,
    @Ctx() ctx: Context,
  ): Promise<ResolveConflictsPayload> {
    if ((ids == null) === (filter == null)) {
      return {
        conflicts: [],
        job: null,
        hasMore: false,
        userErrors: [{ field: ["ids"], code: "INVALID", message: "Give either ids or filter" }],
      };
    }
    const selection = ids ? { ids, argument: "ids" as const } : { filter: filter! };
    const out = await resolveConflicts(
      ctx.db,
      ctx.services.sync,
      ctx.actor,
      selection,
      { strategy },
      ctx.log,
    );
    return {
      conflicts: out.conflicts,
      job: out.jobId ? await ctx.loaders.syncJobById.load(out.jobId) : null,
      hasMore: out.hasMore,
      userErrors: out.userErrors,
    };
  }

  @RequireScope(Scope.write_conflicts)
  @Mutation(() => IgnoreConflictPayload, {
    description: "Closes an open conflict without changing any value; its SYNC_CONFLICT alerts are resolved.",
  })
  ignoreConflict(@Arg("id", () => ID) id: string, @Ctx() ctx: Context): Promise<IgnoreConflictPayload> {
    return ignoreConflict(ctx.db, ctx.actor, id);
  }
}
