import { Arg, Ctx, ID, Mutation, Resolver } from "type-graphql";
import type { Context } from "../../graphql/context";
import { actorOf } from "../history/actor";
import { transitionAlerts } from "./alert-mutations.service";
import { AlertPayload, ResolveAlertsPayload } from "./alert-mutations.types";

@Resolver()
export class AlertMutationsResolver {
  @Mutation(() => AlertPayload, { description: "Marks an open alert as seen; it stays until resolved." })
  async acknowledgeAlert(@Arg("id", () => ID) id: string, @Ctx() ctx: Context): Promise<AlertPayload> {
    const { alerts, userErrors } = await transitionAlerts(ctx.db, [id], "ACKNOWLEDGED", actorOf(ctx), "id");
    return { alert: alerts[0] ?? null, userErrors };
  }

  @Mutation(() => AlertPayload, { description: "Closes an open or acknowledged alert, recording who did." })
  async resolveAlert(@Arg("id", () => ID) id: string, @Ctx() ctx: Context): Promise<AlertPayload> {
    const { alerts, userErrors } = await transitionAlerts(ctx.db, [id], "RESOLVED", actorOf(ctx), "id");
    return { alert: alerts[0] ?? null, userErrors };
  }

  @Mutation(() => ResolveAlertsPayload, {
    description:
      "Resolves up to 250 alerts at once, all or none: any refused id leaves every alert as it was.",
  })
  resolveAlerts(@Arg("ids", () => [ID]) ids: string[], @Ctx() ctx: Context): Promise<ResolveAlertsPayload> {
    return transitionAlerts(ctx.db, ids, "RESOLVED", actorOf(ctx), "ids");
  }
}
