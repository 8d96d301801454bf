import { Arg, Ctx, Mutation, Query, Resolver } from "type-graphql";
import { RequireScope } from "../../graphql/access";
import type { Context } from "../../graphql/context";
import { Scope } from "../../platform/auth/scopes";
import { listArchives, readRetention, updateRetention } from "./history-retention.service";
import {
  HistoryArchive,
  HistoryRetention,
  UpdateHistoryRetentionInput,
  UpdateHistoryRetentionPayload,
} from "./history-retention.types";

@Resolver()
export class HistoryRetentionResolver {
  @RequireScope(Scope.read_retention)
  @Query(() => HistoryRetention, { description: "How long the tenant's history stays in the database." })
  historyRetention(@Ctx() ctx: Context): Promise<HistoryRetention> {
    return readRetention(ctx.db);
  }

  @RequireScope(Scope.read_retention)
  @Query(() => [HistoryArchive], {
    description: "The months of history moved out of the database, newest first (at most 1,200).",
  })
  historyArchives(@Ctx() ctx: Context): Promise<HistoryArchive[]> {
    return listArchives(ctx.db);
  }

  @RequireScope(Scope.write_retention)
  @Mutation(() => UpdateHistoryRetentionPayload, {
    description:
      "Sets how many whole months of history are kept; older months are archived at the next round.",
  })
  updateHistoryRetention(
    @Arg("input", () => UpdateHistoryRetentionInput) input: UpdateHistoryRetentionInput,
    @Ctx() ctx: Context,
  ): Promise<UpdateHistoryRetentionPayload> {
    return updateRetention(ctx.db, ctx.actor, input.months);
  }
}
