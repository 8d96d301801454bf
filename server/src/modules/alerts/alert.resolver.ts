import { Arg, Args, Ctx, FieldResolver, ID, Query, Resolver, Root, Subscription } from "type-graphql";
import { RequireScope } from "../../graphql/access";
import type { Context } from "../../graphql/context";
import { expectGlobalId, toGlobalId } from "../../graphql/global-id";
import { clearLoaders } from "../../graphql/loaders";
import { ConnectionArgs, toConnection } from "../../graphql/pagination";
import { Scope } from "../../platform/auth/scopes";
import { InventoryItem, Product } from "../catalog";
import { SyncConflict } from "../conflicts";
import { SyncJob } from "../sync";
import { alertPage } from "./alert.repository";
import { Alert, AlertConnection, AlertEvent, AlertFilter } from "./alert.types";

/** The routing key of a tenant's alert events (published by the alerts table's trigger). */
const ALERT_TOPIC = "alerts";

/** The tenant's changed alerts, read fresh as each event arrives; events of other tenants never pass. */
async function* alertChanges(ctx: Context): AsyncGenerator<Alert> {
  const events = ctx.services.pubSub.subscribe(ALERT_TOPIC, ctx.tenant.id);
  try {
    await ctx.services.pubSub.listening();
    for await (const raw of events) {
      const event = (raw as { id?: unknown; tenantId?: unknown } | undefined) ?? {};
      if (event.tenantId !== ctx.tenant.id || typeof event.id !== "string") continue;
      clearLoaders(ctx.loaders);
      const alert = await ctx.loaders.alertById.load(event.id);
      if (alert) yield alert as Alert;
    }
  } finally {
    await events.return?.();
  }
}

@Resolver(() => Alert)
export class AlertResolver {
  @RequireScope(Scope.read_alerts)
  @Subscription(() => Alert, {
    description:
      "Every alert of the tenant raised or changed, by a sync, a webhook, a resolution or a person.",
    subscribe: ({ context }) => alertChanges(context as Context),
  })
  alertsUpdated(@Root() alert: Alert): Alert {
    return alert;
  }

  @RequireScope(Scope.read_alerts)
  @Query(() => AlertConnection, { description: "Alerts, newest first." })
  async alerts(
    @Args(() => ConnectionArgs) args: ConnectionArgs,
    @Arg("filter", () => AlertFilter, { nullable: true }) filter: AlertFilter | null,
    @Ctx() ctx: Context,
  ): Promise<AlertConnection> {
    const { page, count } = await alertPage(ctx.db, args, filter);
    return toConnection(AlertConnection, page, count);
  }

  @RequireScope(Scope.read_alerts)
  @Query(() => Alert, { nullable: true })
  alert(@Arg("id", () => ID) id: string, @Ctx() ctx: Context) {
    return ctx.loaders.alertById.load(expectGlobalId(id, "Alert"));
  }

  @FieldResolver(() => ID)
  id(@Root() alert: Alert) {
    return toGlobalId("Alert", alert.id);
  }

  @FieldResolver(() => Product, { nullable: true })
  product(@Root() alert: Alert, @Ctx() ctx: Context) {
    return alert.productId ? ctx.loaders.productById.load(alert.productId) : null;
  }

  @FieldResolver(() => SyncJob, { nullable: true })
  job(@Root() alert: Alert, @Ctx() ctx: Context) {
    return alert.jobId ? ctx.loaders.syncJobById.load(alert.jobId) : null;
  }

  @FieldResolver(() => [AlertEvent], { description: "The alert's history, oldest first." })
  events(@Root() alert: Alert, @Ctx() ctx: Context) {
    return ctx.loaders.eventsByAlert.load(alert.id);
  }

  @FieldResolver(() => SyncConflict, { nullable: true })
  conflict(@Root() alert: Alert, @Ctx() ctx: Context) {
    return alert.conflictId ? ctx.loaders.conflictById.load(alert.conflictId) : null;
  }
}

@Resolver(() => InventoryItem)
export class InventoryAlertsResolver {
  @FieldResolver(() => [Alert], { description: "Open and acknowledged alerts about this product." })
  openAlerts(@Root() item: InventoryItem, @Ctx() ctx: Context) {
    return ctx.loaders.openAlertsByProduct.load(item.productId);
  }
}
