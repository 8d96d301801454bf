import { Arg, Ctx, FieldResolver, Query, Resolver, Root } from "type-graphql";
import { RequireScope } from "../../graphql/access";
import type { Context } from "../../graphql/context";
import { Scope } from "../../platform/auth/scopes";
import { resolvePeriod } from "./analytics.period";
import { AnalyticsReader } from "./analytics.service";
import {
  AlertAnalytics,
  Analytics,
  AnalyticsPeriod,
  InventoryValueAnalytics,
  PlatformHealth,
  ProductAnalytics,
  StockDistribution,
  SyncAnalytics,
} from "./analytics.types";

type AnalyticsRoot = Analytics & { reader: AnalyticsReader };

@Resolver(() => Analytics)
export class AnalyticsResolver {
  @RequireScope(Scope.read_analytics)
  @Query(() => Analytics, {
    description:
      "Where the stock and the money are, how syncs went and which alerts came, over a period of whole UTC days: " +
      "`period` (default LAST_30_DAYS), or `from` and `to` (YYYY-MM-DD, at most 366 days, `to` today at the latest).",
  })
  analytics(
    @Arg("period", () => AnalyticsPeriod, { nullable: true }) period: AnalyticsPeriod | null,
    @Arg("from", () => String, { nullable: true }) from: string | null,
    @Arg("to", () => String, { nullable: true }) to: string | null,
    @Ctx() ctx: Context,
  ): AnalyticsRoot {
    const range = resolvePeriod({ period, from, to });
    return {
      range: { from: range.from, to: range.to, days: range.days },
      reader: new AnalyticsReader(ctx.db, range),
    };
  }

  @FieldResolver(() => ProductAnalytics, { description: "Items by status, listings by platform and status." })
  products(@Root() root: AnalyticsRoot) {
    return root.reader.products();
  }

  @FieldResolver(() => InventoryValueAnalytics, {
    description: "Value at price and at cost, now and per day.",
  })
  inventoryValue(@Root() root: AnalyticsRoot) {
    return root.reader.inventoryValue();
  }

  @FieldResolver(() => [StockDistribution], { description: "FBA against FBM: items, units and value now." })
  stockDistribution(@Root() root: AnalyticsRoot) {
    return root.reader.stockDistribution();
  }

  @FieldResolver(() => AlertAnalytics, {
    description: "Alerts open now, raised in the period, open per day.",
  })
  alerts(@Root() root: AnalyticsRoot) {
    return root.reader.alerts();
  }

  @FieldResolver(() => SyncAnalytics, {
    description: "Sync jobs finished in the period (by their start day).",
  })
  sync(@Root() root: AnalyticsRoot) {
    return root.reader.sync();
  }

  @FieldResolver(() => [PlatformHealth], { description: "Write error and conflict rates per platform." })
  platforms(@Root() root: AnalyticsRoot) {
    return root.reader.platforms();
  }
}
