import { Arg, Ctx, Int, Mutation, Query, Resolver } from "type-graphql";
import { RequireScope } from "../../graphql/access";
import type { Context } from "../../graphql/context";
import { Scope } from "../../platform/auth/scopes";
import { bulkRowLimit } from "./bulk-update.rules";
import { bulkUpdateInventory } from "./bulk-update.service";
import type { BulkRowStatus } from "./bulk-update.types";
import { BulkUpdateInventoryInput, BulkUpdateInventoryPayload } from "./bulk-update.types";

@Resolver()
export class BulkUpdateResolver {
  @RequireScope(Scope.write_inventory)
  @Query(() => Int, {
    description:
      "The most rows one bulkUpdateInventory call takes on this server (at most 10,000); larger selections go " +
      "in several calls of this size.",
  })
  bulkUpdateMaxRows(@Ctx() ctx: Context): number {
    return bulkRowLimit(ctx.services.bulkUpdateMaxRows);
  }

  @RequireScope(Scope.write_inventory)
  @Mutation(() => BulkUpdateInventoryPayload, {
    description:
      "Changes quantity, price and status of up to 10,000 SKUs in one transaction and plans one BULK_UPDATE " +
      "job that propagates them to the platforms. Every row is validated; errorPolicy decides what is applied.",
  })
  async bulkUpdateInventory(
    @Arg("input", () => BulkUpdateInventoryInput) input: BulkUpdateInventoryInput,
    @Ctx() ctx: Context,
  ): Promise<BulkUpdateInventoryPayload> {
    const outcome = await bulkUpdateInventory(
      ctx.db,
      ctx.services.sync,
      ctx.actor,
      input,
      ctx.log,
      ctx.services.bulkUpdateMaxRows,
    );
    return {
      job: outcome.jobId ? await ctx.loaders.syncJobById.load(outcome.jobId) : null,
      results: outcome.results.map((r) => ({ ...r, status: r.status as BulkRowStatus })),
      userErrors: outcome.userErrors,
      replayed: outcome.replayed,
    };
  }
}
