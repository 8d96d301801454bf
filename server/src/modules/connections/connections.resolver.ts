import { Arg, Ctx, FieldResolver, ID, Query, Resolver, Root } from "type-graphql";
import type { Context } from "../../graphql/context";
import { toGlobalId } from "../../graphql/global-id";
import { Listing } from "../catalog";
import { listConnections } from "./connections.repository";
import { PlatformConnection, PlatformConnectionFilter, PlatformSyncSettings } from "./connections.types";

@Resolver(() => PlatformConnection)
export class PlatformConnectionResolver {
  @Query(() => [PlatformConnection], { description: "The tenant's marketplace accounts, by priority." })
  platformConnections(
    @Arg("filter", () => PlatformConnectionFilter, { nullable: true })
    filter: PlatformConnectionFilter | null,
    @Ctx() ctx: Context,
  ) {
    return listConnections(ctx.db, filter);
  }

  @Query(() => PlatformSyncSettings)
  platformSyncSettings(@Ctx() ctx: Context) {
    return ctx.loaders.settings();
  }

  @FieldResolver(() => ID)
  id(@Root() connection: PlatformConnection) {
    return toGlobalId("PlatformConnection", connection.id);
  }

  @FieldResolver(() => Boolean, { description: "Whether credentials are stored (they are never readable)." })
  hasCredentials(@Root() connection: PlatformConnection & { credentialsEncrypted?: unknown }) {
    return connection.credentialsEncrypted != null;
  }
}

@Resolver(() => Listing)
export class ListingConnectionResolver {
  @FieldResolver(() => PlatformConnection)
  connection(@Root() listing: Listing, @Ctx() ctx: Context) {
    return ctx.loaders.connectionById.load(listing.connectionId);
  }
}
