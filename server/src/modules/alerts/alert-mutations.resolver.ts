import { Arg, Ctx, ID, Mutation, Resolver } from "type-graphql";
import { RequireScope } from "../../graphql/access";
import type { Context } from "../../graphql/context";
import { Scope } from "../../platform/auth/scopes";
import { transitionAlerts } from "./alert-mutations.service";
import { AlertPayload, ResolveAlertsPayload } from "./alert-mutations.types";

@Resolver()
export class AlertMutationsResolver {
  @RequireScope(Scope.write_alerts)
  @Mutation(() => AlertPayload, { description: "Marks an open alert as seen; it stays until resolved." })
  async acknowledgeAlert(@Arg("id", () => ID) id: string, @Ctx() ctx: Context): Promise<AlertPayload> {
    const { alerts, userErrors } = await transitionAlerts(ctx.db, [id], "ACKNOWLEDGED", ctx.actor, "id");
    return { alert: alerts[0] ?? null, userErrors };
  }

  @RequireScope(Scope.write_alerts)
  @Mutation(() => AlertPayload, { description: "Closes an open or acknowledged alert, recording who did." })
  async resolveAlert(@Arg("id", () => ID) id: string, @Ctx() ctx: Context): Promise<AlertPayload> {
    const { alerts, userErrors } = await transitionAlerts(ctx.db, [id], "RESOLVED", ctx.actor, "id");
    return { alert: alerts[0] ?? null, userErrors };
  }

  @RequireScope(Scope.write_alerts)
  @Mutation(() => ResolveAlertsPayload, {
    description:
      "Resolves up to 250 alerts at once, all or none: any refused id leaves every alert as it was.",
  })
  resolveAlerts(@Arg("ids", () => [ID]) ids: string[], @Ctx() ctx: Context): Promise<ResolveAlertsPayload> {
    return transitionAlerts(ctx.db, ids, "RESOLVED", ctx.actor, "ids");
  }
}
