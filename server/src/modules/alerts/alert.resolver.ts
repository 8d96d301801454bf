import { Arg, Args, Ctx, FieldResolver, ID, Query, Resolver, Root } from "type-graphql";
import { RequireScope } from "../../graphql/access";
import type { Context } from "../../graphql/context";
import { expectGlobalId, toGlobalId } from "../../graphql/global-id";
import { ConnectionArgs, toConnection } from "../../graphql/pagination";
import { Scope } from "../../platform/auth/scopes";
import { InventoryItem, Product } from "../catalog";
import { SyncConflict } from "../conflicts";
import { SyncJob } from "../sync";
import { alertPage } from "./alert.repository";
import { Alert, AlertConnection, AlertFilter } from "./alert.types";

@Resolver(() => Alert)
export class AlertResolver {
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
