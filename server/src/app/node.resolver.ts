import { Arg, Ctx, ID, Query, Resolver } from "type-graphql";
import { Authenticated, accessDenied } from "../graphql/access";
import type { Context } from "../graphql/context";
import { ErrorCode, userInputError } from "../graphql/errors";
import { fromGlobalId } from "../graphql/global-id";
import { Node } from "../graphql/node";
import { MAX_PAGE_SIZE } from "../graphql/pagination";
import { Scope } from "../platform/auth/scopes";
import type { Loaders } from "./loaders";

type Fetcher = { scope: Scope; fetch: (loaders: Loaders, id: string) => Promise<object | null> };

// Each global id type, the scope that reads it, and the loader that fetches it (a Map: ids name no prototype keys).
const FETCHERS = new Map<string, Fetcher>([
  ["InventoryItem", { scope: Scope.read_inventory, fetch: (l, id) => l.inventoryById.load(id) }],
  ["Listing", { scope: Scope.read_inventory, fetch: (l, id) => l.listingById.load(id) }],
  ["PlatformConnection", { scope: Scope.read_settings, fetch: (l, id) => l.connectionById.load(id) }],
  ["SyncJob", { scope: Scope.read_sync, fetch: (l, id) => l.syncJobById.load(id) }],
  ["SyncConflict", { scope: Scope.read_conflicts, fetch: (l, id) => l.conflictById.load(id) }],
  ["Alert", { scope: Scope.read_alerts, fetch: (l, id) => l.alertById.load(id) }],
]);

async function fetchNode(ctx: Context, globalId: string) {
  const { type, id } = fromGlobalId(globalId);
  const fetcher = FETCHERS.get(type);
  if (!fetcher)
    throw userInputError(`Not a valid id: ${JSON.stringify(globalId)}`, ErrorCode.INVALID_ID, "id");
  const denied = accessDenied({ kind: "scope", scope: fetcher.scope }, ctx.auth);
  if (denied) throw denied;
  const row = await fetcher.fetch(ctx.loaders, id);
  return row ? { ...row, __typename: type } : null;
}

@Resolver()
export class NodeResolver {
  @Authenticated()
  @Query(() => Node, {
    nullable: true,
    description:
      "Any object by its global id; reading it needs the scope of its type (read_inventory for an item).",
  })
  node(@Arg("id", () => ID) id: string, @Ctx() ctx: Context) {
    return fetchNode(ctx, id);
  }

  @Authenticated()
  @Query(() => [Node], { nullable: "items", description: `Objects by global id, at most ${MAX_PAGE_SIZE}.` })
  nodes(@Arg("ids", () => [ID]) ids: string[], @Ctx() ctx: Context) {
    if (ids.length > MAX_PAGE_SIZE) {
      throw userInputError(`At most ${MAX_PAGE_SIZE} ids`, ErrorCode.PAGE_SIZE_EXCEEDED, "ids");
    }
    return Promise.all(ids.map((id) => fetchNode(ctx, id)));
  }
}
