import { Arg, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from "type-graphql";
import { RequireScope } from "../../graphql/access";
import type { Context } from "../../graphql/context";
import { ErrorCode, userInputError } from "../../graphql/errors";
import { expectGlobalId, toGlobalId } from "../../graphql/global-id";
import { Scope } from "../../platform/auth/scopes";
import { Listing } from "../catalog";
import { listConnections } from "./connections.repository";
import {
  CircuitState,
  ConnectionAuthResult,
  PlatformConnection,
  PlatformConnectionFilter,
  PlatformConnectionTestResult,
  PlatformSyncSettings,
  ReorderPlatformConnectionsPayload,
  UpdatePlatformConnectionInput,
  UpdatePlatformConnectionPayload,
} from "./connections.types";

@Resolver(() => PlatformConnection)
export class PlatformConnectionResolver {
  @RequireScope(Scope.read_settings)
  @Query(() => [PlatformConnection], { description: "The tenant's marketplace accounts, by priority." })
  platformConnections(
    @Arg("filter", () => PlatformConnectionFilter, { nullable: true })
    filter: PlatformConnectionFilter | null,
    @Ctx() ctx: Context,
  ) {
    return listConnections(ctx.db, filter);
  }

  @RequireScope(Scope.read_settings)
  @Query(() => PlatformSyncSettings)
  platformSyncSettings(@Ctx() ctx: Context) {
    return ctx.loaders.settings();
  }

  @RequireScope(Scope.write_settings)
  @Mutation(() => PlatformConnectionTestResult, {
    description: "Calls the marketplace with the connection's credentials and records its health.",
  })
  async testPlatformConnection(
    @Arg("id", () => ID) id: string,
    @Ctx() ctx: Context,
  ): Promise<PlatformConnectionTestResult> {
    const row = await ctx.loaders.connectionById.load(expectGlobalId(id, "PlatformConnection"));
    if (!row) throw userInputError("No such platform connection", ErrorCode.NOT_FOUND, "id");
    const { report, connection } = await ctx.services.connections.test(ctx.db, row);
    return {
      ok: report.ok,
      auth: report.auth as ConnectionAuthResult,
      latencyMs: Math.round(report.latencyMs),
      message: report.message ?? null,
      circuit: report.circuit as CircuitState,
      connection,
    };
  }

  @RequireScope(Scope.write_settings)
  @Mutation(() => UpdatePlatformConnectionPayload, {
    description: "Changes a connection; any invalid field is reported in userErrors and nothing is saved.",
  })
  async updatePlatformConnection(
    @Arg("input", () => UpdatePlatformConnectionInput) input: UpdatePlatformConnectionInput,
    @Ctx() ctx: Context,
  ): Promise<UpdatePlatformConnectionPayload> {
    const row = await ctx.loaders.connectionById.load(expectGlobalId(input.id, "PlatformConnection"));
    if (!row) {
      return {
        connection: null,
        userErrors: [
          { field: ["input", "id"], code: ErrorCode.NOT_FOUND, message: "No such platform connection" },
        ],
      };
    }
    const userErrors = await ctx.services.connections.validateUpdate(row, input);
    if (userErrors.length > 0) return { connection: null, userErrors };
    return {
      connection: await ctx.services.connections.update(ctx.db, row, input, ctx.actor),
      userErrors: [],
    };
  }

  @RequireScope(Scope.write_settings)
  @Mutation(() => ReorderPlatformConnectionsPayload, {
    description:
      "Puts every connection of the tenant in the order given (first wins under SOURCE_WINS) at once; any problem saves nothing.",
  })
  async reorderPlatformConnections(
    @Arg("ids", () => [ID], { description: "Every connection's id once, in the new order." }) ids: string[],
    @Ctx() ctx: Context,
  ): Promise<ReorderPlatformConnectionsPayload> {
    const decoded: string[] = [];
    const userErrors = ids.flatMap((id, i) => {
      try {
        decoded.push(expectGlobalId(id, "PlatformConnection"));
        return [];
      } catch (error) {
        return [{ field: ["ids", String(i)], code: ErrorCode.INVALID_ID, message: (error as Error).message }];
      }
    });
    if (userErrors.length > 0) return { connections: [], userErrors };
    return ctx.services.connections.reorder(ctx.db, decoded);
  }

  @FieldResolver(() => ID)
  id(@Root() connection: PlatformConnection) {
    return toGlobalId("PlatformConnection", connection.id);
  }

  @RequireScope(Scope.read_credentials)
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
