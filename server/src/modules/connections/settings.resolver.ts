import { Arg, Ctx, Mutation, Resolver } from "type-graphql";
import { RequireScope } from "../../graphql/access";
import type { Context } from "../../graphql/context";
import { Scope } from "../../platform/auth/scopes";
import { updateSyncSettings } from "./settings.service";
import { UpdatePlatformSyncSettingsInput, UpdatePlatformSyncSettingsPayload } from "./settings.types";

@Resolver()
export class SyncSettingsResolver {
  @RequireScope(Scope.write_settings)
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
      ctx.actor,
      { ...input, maxPriceVariancePct: input.maxPriceVariancePct?.toFixed(2) ?? null },
      ctx.log,
    );
  }
}
