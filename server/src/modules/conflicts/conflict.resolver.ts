import { Arg, Args, Ctx, FieldResolver, ID, Query, Resolver, Root } from "type-graphql";
import { RequireScope } from "../../graphql/access";
import type { Context } from "../../graphql/context";
import { PlatformKind } from "../../graphql/enums";
import { expectGlobalId, toGlobalId } from "../../graphql/global-id";
import { ConnectionArgs, toConnection } from "../../graphql/pagination";
import { Scope } from "../../platform/auth/scopes";
import { InventoryItem, Product } from "../catalog";
import { SyncJob } from "../sync";
import { conflictPage } from "./conflict.repository";
import {
  ConflictFilter,
  ConflictReading,
  ConflictSuggestion,
  SyncConflict,
  SyncConflictConnection,
} from "./conflict.types";
import { conflictValues } from "./conflict-resolution.rules";
import { resolveConflictValue } from "./strategies";

const PLATFORM_KINDS = new Set<string>(Object.values(PlatformKind));

/** The conflict's values keyed by platform kinds this schema knows; anything else in the JSON is left out. */
function platformValues(values: unknown) {
  return Object.fromEntries(Object.entries(conflictValues(values)).filter(([k]) => PLATFORM_KINDS.has(k)));
}

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

  @FieldResolver(() => [ConflictReading], {
    description: "Each platform's value side by side, with when its listing was last read, by platform.",
  })
  async readings(@Root() conflict: SyncConflict, @Ctx() ctx: Context): Promise<ConflictReading[]> {
    const values = platformValues(conflict.values);
    const listings = await ctx.loaders.listingsByProduct.load(conflict.productId);
    return Object.keys(values)
      .sort()
      .map((platform) => {
        const listing = listings.find((l) => l.platform === platform && l.status !== "DELETED");
        return {
          platform: platform as ConflictReading["platform"],
          value: values[platform] ?? null,
          readAt: listing ? (listing.lastConfirmedAt ?? listing.lastSyncedAt) : null,
        };
      });
  }

  @FieldResolver(() => ConflictSuggestion, {
    nullable: true,
    description:
      "What the tenant's conflict strategy, with today's platform priorities, would resolve an open conflict to; null under MANUAL or once closed.",
  })
  async suggestion(@Root() conflict: SyncConflict, @Ctx() ctx: Context): Promise<ConflictSuggestion | null> {
    if (conflict.status !== "OPEN") return null;
    const rules = await ctx.loaders.conflictRules.load("tenant");
    const picked = resolveConflictValue(
      rules.strategy,
      conflict.type,
      platformValues(conflict.values),
      rules.priorities,
    );
    if (!picked || picked.value == null) return null;
    return {
      strategy: rules.strategy,
      platform: picked.winner as ConflictSuggestion["platform"],
      value: picked.value,
    };
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
