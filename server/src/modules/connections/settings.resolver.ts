import { Arg, Ctx, Mutation, Resolver } from "type-graphql";
import type { Context } from "../../graphql/context";
import { actorOf } from "../history/actor";
import { updateSyncSettings } from "./settings.service";
import { UpdatePlatformSyncSettingsInput, UpdatePlatformSyncSettingsPayload } from "./settings.types";

@Resolver()
export class SyncSettingsResolver {
  @Mutation(() => UpdatePlatformSyncSettingsPayload, {
    description: "Changes how and when the tenant syncs; any invalid field is reported and nothing is saved.",
  })
  updatePlatformSyncSettings(
    @Arg("input", () => UpdatePlatformSyncSettingsInput) input: UpdatePlatformSyncSettingsInput,
    @Ctx() ctx: Context,
  ): Promise<UpdatePlatformSyncSettingsPayload> {
    return updateSyncSettings(
      ctx.db,
      ctx.services.sync,
      actorOf(ctx),
      { ...input, maxPriceVariancePct: input.maxPriceVariancePct?.toFixed(2) ?? null },
      ctx.log,
    );
  }
}
