import type { GraphQLResolveInfo } from "graphql";
import { Arg, Args, Ctx, FieldResolver, ID, Info, Int, Query, Resolver, Root } from "type-graphql";
import { RequireScope } from "../../graphql/access";
import type { Context } from "../../graphql/context";
import { expectGlobalId, toGlobalId } from "../../graphql/global-id";
import { ConnectionArgs, toConnection } from "../../graphql/pagination";
import { selectsPath } from "../../graphql/selection";
import { Scope } from "../../platform/auth/scopes";
import { inventoryFacets } from "./inventory.repository";
import { type InventoryRowWithListings, inventoryPageSql } from "./inventory.sql";
import {
  InventoryConnection,
  InventoryFacets,
  InventoryFilter,
  InventoryItem,
  InventoryOrder,
  Listing,
  Product,
  StockLevel,
} from "./inventory.types";
import { stockLevel } from "./stock-level";

@Resolver(() => InventoryItem)
export class InventoryResolver {
  @RequireScope(Scope.read_inventory)
  @Query(() => InventoryConnection, {
    description:
      "The tenant's seller inventory, filtered, ordered and paginated (Relay, at most 250 per page).",
  })
  async inventory(
    @Args(() => ConnectionArgs) args: ConnectionArgs,
    @Arg("filter", () => InventoryFilter, { nullable: true }) filter: InventoryFilter | null,
    @Arg("orderBy", () => InventoryOrder, { nullable: true }) orderBy: InventoryOrder | null,
    @Ctx() ctx: Context,
    @Info() info: GraphQLResolveInfo,
  ): Promise<InventoryConnection> {
    // The tenant's thresholds are a statement of their own: read only when the filter needs them.
    const thresholds = filter?.stockLevel?.length ? await ctx.loaders.settings() : null;
    const withListings =
      selectsPath(info, ["nodes", "listings"]) || selectsPath(info, ["edges", "node", "listings"]);
    const { page, count } = await inventoryPageSql(ctx.db, args, filter, orderBy, thresholds, {
      withListings,
      withCount: selectsPath(info, ["totalCount"]),
    });
    for (const { node } of page.edges) {
      ctx.loaders.inventoryById.prime(node.id, node);
      if (node.listings) ctx.loaders.listingsByProduct.prime(node.productId, node.listings);
    }
    return toConnection(InventoryConnection, page, count);
  }

  @RequireScope(Scope.read_inventory)
  @Query(() => InventoryFacets)
  inventoryFacets(@Ctx() ctx: Context) {
    return inventoryFacets(ctx.db);
  }

  @RequireScope(Scope.read_inventory)
  @Query(() => InventoryItem, { nullable: true })
  inventoryItem(@Arg("id", () => ID) id: string, @Ctx() ctx: Context) {
    return ctx.loaders.inventoryById.load(expectGlobalId(id, "InventoryItem"));
  }

  @FieldResolver(() => ID)
  id(@Root() item: InventoryItem) {
    return toGlobalId("InventoryItem", item.id);
  }

  @FieldResolver(() => Int, { description: "Quantity minus reserved." })
  availableQuantity(@Root() item: InventoryItem) {
    return item.availableQuantity ?? item.quantity - item.reservedQuantity;
  }

  @FieldResolver(() => StockLevel)
  async stockLevel(@Root() item: InventoryItem, @Ctx() ctx: Context) {
    return stockLevel(
      item.availableQuantity ?? item.quantity - item.reservedQuantity,
      await ctx.loaders.settings(),
    );
  }

  @FieldResolver(() => Product)
  async product(@Root() item: InventoryItem, @Ctx() ctx: Context) {
    return ctx.loaders.productById.load(item.productId);
  }

  @FieldResolver(() => [Listing], { description: "This product on every platform it is listed on." })
  listings(@Root() item: InventoryItem & Pick<InventoryRowWithListings, "listings">, @Ctx() ctx: Context) {
    return item.listings ?? ctx.loaders.listingsByProduct.load(item.productId);
  }
}

@Resolver(() => Listing)
export class ListingResolver {
  @FieldResolver(() => ID)
  id(@Root() listing: Listing) {
    return toGlobalId("Listing", listing.id);
  }

  @FieldResolver(() => Int, {
    nullable: true,
    description: "Seconds since the platform last confirmed these values; null if it never did.",
  })
  freshnessSeconds(@Root() listing: Listing) {
    return listing.lastConfirmedAt
      ? Math.floor((Date.now() - listing.lastConfirmedAt.getTime()) / 1000)
      : null;
  }
}
