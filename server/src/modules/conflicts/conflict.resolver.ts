import { Arg, Args, Ctx, FieldResolver, ID, Query, Resolver, Root } from "type-graphql";
import { RequireScope } from "../../graphql/access";
import type { Context } from "../../graphql/context";
import { expectGlobalId, toGlobalId } from "../../graphql/global-id";
import { ConnectionArgs, toConnection } from "../../graphql/pagination";
import { Scope } from "../../platform/auth/scopes";
import { InventoryItem, Product } from "../catalog";
import { SyncJob } from "../sync";
import { conflictPage } from "./conflict.repository";
import { ConflictFilter, SyncConflict, SyncConflictConnection } from "./conflict.types";

@Resolver(() => SyncConflict)
export class ConflictResolver {
  @RequireScope(Scope.read_conflicts)
  @Query(() => SyncConflictConnection, { description: "Conflicts between platforms, newest first." })
  async conflicts(
    @Args(() => ConnectionArgs) args: ConnectionArgs,
    @Arg("filter", () => ConflictFilter, { nullable: true }) filter: ConflictFilter | null,
    @Ctx() ctx: Context,
  ): Promise<SyncConflictConnection> {
    const { page, count } = await conflictPage(ctx.db, args, filter);
    return toConnection(SyncConflictConnection, page, count);
  }

  @RequireScope(Scope.read_conflicts)
  @Query(() => SyncConflict, { nullable: true })
  conflict(@Arg("id", () => ID) id: string, @Ctx() ctx: Context) {
    return ctx.loaders.conflictById.load(expectGlobalId(id, "SyncConflict"));
  }

  @FieldResolver(() => ID)
  id(@Root() conflict: SyncConflict) {
    return toGlobalId("SyncConflict", conflict.id);
  }

  @FieldResolver(() => Product)
  product(@Root() conflict: SyncConflict, @Ctx() ctx: Context) {
    return ctx.loaders.productById.load(conflict.productId);
  }

  @FieldResolver(() => SyncJob, { nullable: true, description: "The sync job that found it." })
  job(@Root() conflict: SyncConflict, @Ctx() ctx: Context) {
    return conflict.jobId ? ctx.loaders.syncJobById.load(conflict.jobId) : null;
  }
}

@Resolver(() => InventoryItem)
export class InventoryConflictsResolver {
  @FieldResolver(() => [SyncConflict])
  openConflicts(@Root() item: InventoryItem, @Ctx() ctx: Context) {
    return ctx.loaders.openConflictsByProduct.load(item.productId);
  }
}
