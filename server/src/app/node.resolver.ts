import { Arg, Ctx, ID, Query, Resolver } from "type-graphql";
import type { Context } from "../graphql/context";
import { ErrorCode, userInputError } from "../graphql/errors";
import { fromGlobalId } from "../graphql/global-id";
import { Node } from "../graphql/node";
import { MAX_PAGE_SIZE } from "../graphql/pagination";
import type { Loaders } from "./loaders";

// Each global id type and the loader that fetches it; a Map, so an id naming "constructor" finds nothing.
const FETCHERS = new Map<string, (loaders: Loaders, id: string) => Promise<object | null>>([
  ["InventoryItem", (l, id) => l.inventoryById.load(id)],
  ["Listing", (l, id) => l.listingById.load(id)],
  ["PlatformConnection", (l, id) => l.connectionById.load(id)],
  ["SyncJob", (l, id) => l.syncJobById.load(id)],
  ["SyncConflict", (l, id) => l.conflictById.load(id)],
  ["Alert", (l, id) => l.alertById.load(id)],
]);

async function fetchNode(ctx: Context, globalId: string) {
  const { type, id } = fromGlobalId(globalId);
  const fetch = FETCHERS.get(type);
  if (!fetch) throw userInputError(`Not a valid id: ${JSON.stringify(globalId)}`, ErrorCode.INVALID_ID, "id");
  const row = await fetch(ctx.loaders, id);
  return row ? { ...row, __typename: type } : null;
}

@Resolver()
export class NodeResolver {
  @Query(() => Node, { nullable: true, description: "Any object by its global id." })
  node(@Arg("id", () => ID) id: string, @Ctx() ctx: Context) {
    return fetchNode(ctx, id);
  }

  @Query(() => [Node], { nullable: "items", description: `Objects by global id, at most ${MAX_PAGE_SIZE}.` })
  nodes(@Arg("ids", () => [ID]) ids: string[], @Ctx() ctx: Context) {
    if (ids.length > MAX_PAGE_SIZE) {
      throw userInputError(`At most ${MAX_PAGE_SIZE} ids`, ErrorCode.PAGE_SIZE_EXCEEDED, "ids");
    }
    return Promise.all(ids.map((id) => fetchNode(ctx, id)));
  }
}
