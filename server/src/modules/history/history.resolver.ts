import { Arg, Args, Ctx, FieldResolver, ID, Query, Resolver, Root } from "type-graphql";
import { RequireScope } from "../../graphql/access";
import type { Context } from "../../graphql/context";
import { toGlobalId } from "../../graphql/global-id";
import { ConnectionArgs, toConnection } from "../../graphql/pagination";
import { Scope } from "../../platform/auth/scopes";
import { Product } from "../catalog";
import { SyncJob } from "../sync";
import { historyPage } from "./history.repository";
import { SyncHistoryConnection, SyncHistoryEntry, SyncHistoryFilter } from "./history.types";

@Resolver(() => SyncHistoryEntry)
export class SyncHistoryResolver {
  @RequireScope(Scope.read_history)
  @Query(() => SyncHistoryConnection, { description: "Every recorded change, newest first." })
  async syncHistory(
    @Args(() => ConnectionArgs) args: ConnectionArgs,
    @Arg("filter", () => SyncHistoryFilter, { nullable: true }) filter: SyncHistoryFilter | null,
    @Ctx() ctx: Context,
  ): Promise<SyncHistoryConnection> {
    const { page, count } = await historyPage(ctx.db, args, filter);
    return toConnection(SyncHistoryConnection, page, count);
  }

  @FieldResolver(() => ID)
  id(@Root() entry: SyncHistoryEntry) {
    return toGlobalId("SyncHistoryEntry", entry.id);
  }

  @FieldResolver(() => Product, { nullable: true })
  product(@Root() entry: SyncHistoryEntry, @Ctx() ctx: Context) {
    return entry.productId ? ctx.loaders.productById.load(entry.productId) : null;
  }

  @FieldResolver(() => SyncJob, { nullable: true, description: "The job that made or carries the change." })
  job(@Root() entry: SyncHistoryEntry, @Ctx() ctx: Context) {
    return entry.jobId ? ctx.loaders.syncJobById.load(entry.jobId) : null;
  }
}
