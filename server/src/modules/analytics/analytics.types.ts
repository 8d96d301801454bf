import { Field, Float, Int, ObjectType, registerEnumType } from "type-graphql";
import {
  AlertPriority,
  AlertType,
  FulfillmentChannel,
  ListingStatus,
  PlatformKind,
  SyncJobType,
} from "../../graphql/enums";
import { MoneyScalar } from "../../graphql/scalars";

/** The periods the dashboard offers; any other is given as `from` and `to`. */
export enum AnalyticsPeriod {
  LAST_7_DAYS = "LAST_7_DAYS",
  LAST_30_DAYS = "LAST_30_DAYS",
  LAST_90_DAYS = "LAST_90_DAYS",
  LAST_365_DAYS = "LAST_365_DAYS",
}
registerEnumType(AnalyticsPeriod, {
  name: "AnalyticsPeriod",
  description: "A period ending today (UTC), today included.",
});

@ObjectType({ description: "The days (UTC) an analytics answer covers, both ends included." })
export class AnalyticsRange {
  @Field(() => String, { description: "First day, YYYY-MM-DD." })
  from!: string;

  @Field(() => String, { description: "Last day, YYYY-MM-DD." })
  to!: string;

  @Field(() => Int)
  days!: number;
}

@ObjectType()
export class StatusCount {
  @Field(() => ListingStatus)
  status!: ListingStatus;

  @Field(() => Int)
  count!: number;
}

@ObjectType({ description: "One platform's listings: how many items are listed there, by listing status." })
export class PlatformProducts {
  @Field(() => PlatformKind)
  platform!: PlatformKind;

  @Field(() => Int, {
    description: "Inventory items with a listing on this platform (the inventory's platform filter).",
  })
  items!: number;

  @Field(() => Int, { description: "Listings on this platform (one per product and connection)." })
  listings!: number;

  @Field(() => [StatusCount], { description: "Listings by their status on this platform." })
  byStatus!: StatusCount[];
}

@ObjectType()
export class ProductAnalytics {
  @Field(() => Int, { description: "Inventory items: the inventory's total count." })
  totalItems!: number;

  @Field(() => [StatusCount], { description: "Inventory items by their (Amazon) status." })
  byStatus!: StatusCount[];

  @Field(() => [PlatformProducts])
  byPlatform!: PlatformProducts[];
}

@ObjectType({ description: "Units on hand and what they are worth at the selling price and at cost." })
export class InventoryValue {
  @Field(() => Float, { description: "Units on hand (quantity, reserved included); a whole number." })
  units!: number;

  @Field(() => MoneyScalar, { description: "Units times price; items without a price count nothing." })
  valueAtPrice!: string;

  @Field(() => MoneyScalar, {
    description: "Units times the product's cost; items without a cost count nothing.",
  })
  valueAtCost!: string;
}

@ObjectType()
export class InventoryValueTotal extends InventoryValue {
  @Field(() => Int)
  items!: number;

  @Field(() => Int, { description: "Items that have no price (left out of valueAtPrice)." })
  itemsWithoutPrice!: number;

  @Field(() => Int, { description: "Items whose product has no cost (left out of valueAtCost)." })
  itemsWithoutCost!: number;
}

@ObjectType({ description: "The stock listed on one platform, valued at that platform's price." })
export class PlatformValue extends InventoryValue {
  @Field(() => PlatformKind)
  platform!: PlatformKind;

  @Field(() => Int)
  listings!: number;
}

@ObjectType({ description: "The inventory's value at the end of one day (today: now)." })
export class ValuePoint extends InventoryValue {
  @Field(() => String, { description: "YYYY-MM-DD (UTC)." })
  day!: string;
}

@ObjectType()
export class InventoryValueAnalytics {
  @Field(() => InventoryValueTotal)
  total!: InventoryValueTotal;

  @Field(() => [PlatformValue])
  byPlatform!: PlatformValue[];

  @Field(() => [ValuePoint], {
    description: "One point per day of the period that the daily snapshot saw; today from the live figures.",
  })
  daily!: ValuePoint[];
}

@ObjectType({ description: "Stock fulfilled by Amazon (FBA) or by the merchant (FBM)." })
export class StockDistribution extends InventoryValue {
  @Field(() => FulfillmentChannel)
  channel!: FulfillmentChannel;

  @Field(() => Int, { description: "Inventory items (the inventory's fulfillment channel filter)." })
  items!: number;

  @Field(() => Float, { description: "Units available (quantity minus reserved)." })
  availableUnits!: number;
}

@ObjectType()
export class AlertTypeCount {
  @Field(() => AlertType)
  type!: AlertType;

  @Field(() => Int)
  count!: number;
}

@ObjectType()
export class AlertPriorityCount {
  @Field(() => AlertPriority)
  priority!: AlertPriority;

  @Field(() => Int)
  count!: number;
}

@ObjectType()
export class AlertPoint {
  @Field(() => String, { description: "YYYY-MM-DD (UTC)." })
  day!: string;

  @Field(() => Int)
  raised!: number;

  @Field(() => Int)
  resolved!: number;

  @Field(() => Int, { description: "Alerts not resolved at the end of the day (today: now)." })
  open!: number;
}

@ObjectType()
export class AlertAnalytics {
  @Field(() => Int, { description: "Alerts open or acknowledged now." })
  open!: number;

  @Field(() => [AlertTypeCount])
  openByType!: AlertTypeCount[];

  @Field(() => [AlertPriorityCount])
  openByPriority!: AlertPriorityCount[];

  @Field(() => Int, { description: "Alerts raised in the period." })
  raised!: number;

  @Field(() => [AlertTypeCount])
  raisedByType!: AlertTypeCount[];

  @Field(() => [AlertPriorityCount])
  raisedByPriority!: AlertPriorityCount[];

  @Field(() => [AlertPoint], { description: "Every day of the period." })
  daily!: AlertPoint[];
}

@ObjectType({
  description: "Finished sync jobs (dry runs left out) of one type, and of one platform when named.",
})
export class SyncPerformance {
  @Field(() => SyncJobType)
  jobType!: SyncJobType;

  @Field(() => PlatformKind, { nullable: true, description: "Null: the jobs as a whole." })
  platform!: PlatformKind | null;

  @Field(() => Int)
  jobs!: number;

  @Field(() => Int)
  succeeded!: number;

  @Field(() => Int)
  failed!: number;

  @Field(() => Float, { nullable: true, description: "Succeeded over finished, 0 to 1; null without jobs." })
  successRate!: number | null;

  @Field(() => Float, { nullable: true })
  medianDurationMs!: number | null;

  @Field(() => Float, { nullable: true })
  p95DurationMs!: number | null;

  @Field(() => Float, {
    nullable: true,
    description: "Items processed (a platform: read) per second of running time.",
  })
  itemsPerSecond!: number | null;

  @Field(() => Float, { description: "Items processed (a platform: read)." })
  items!: number;

  @Field(() => Float)
  conflicts!: number;

  @Field(() => Float, { nullable: true, description: "Conflicts per job." })
  conflictsPerJob!: number | null;

  @Field(() => Float, { nullable: true, description: "Conflicts per item processed, 0 to 1." })
  conflictRate!: number | null;
}

@ObjectType()
export class SyncPoint {
  @Field(() => String, { description: "YYYY-MM-DD (UTC)." })
  day!: string;

  @Field(() => Int)
  jobs!: number;

  @Field(() => Int)
  succeeded!: number;

  @Field(() => Int)
  failed!: number;

  @Field(() => Float)
  items!: number;

  @Field(() => Float)
  conflicts!: number;

  @Field(() => Float, { nullable: true, description: "The slowest job type's median duration that day." })
  medianDurationMs!: number | null;
}

@ObjectType()
export class SyncAnalytics {
  @Field(() => [SyncPerformance], { description: "Per job type." })
  byType!: SyncPerformance[];

  @Field(() => [SyncPerformance], { description: "Per job type and platform." })
  byTypeAndPlatform!: SyncPerformance[];

  @Field(() => [SyncPoint], { description: "Every day of the period, job types together." })
  daily!: SyncPoint[];
}

@ObjectType({
  description: "How often writes to a platform failed and how often it disagreed, in the period.",
})
export class PlatformHealth {
  @Field(() => PlatformKind)
  platform!: PlatformKind;

  @Field(() => Int, { description: "Finished jobs that covered this platform." })
  jobs!: number;

  @Field(() => Int, { description: "Of them, jobs that failed." })
  failedJobs!: number;

  @Field(() => Float, { description: "Writes sent (updated plus failed)." })
  writes!: number;

  @Field(() => Float)
  failedWrites!: number;

  @Field(() => Float, { nullable: true, description: "Failed writes over writes, 0 to 1." })
  errorRate!: number | null;

  @Field(() => Float, { nullable: true, description: "Failed jobs over jobs, 0 to 1." })
  jobErrorRate!: number | null;

  @Field(() => Float)
  conflicts!: number;

  @Field(() => Float, { nullable: true, description: "Conflicts per item read, 0 to 1." })
  conflictRate!: number | null;
}

@ObjectType({
  description: "Where the stock and the money are, and how syncs and alerts went, over a period.",
})
export class Analytics {
  @Field(() => AnalyticsRange)
  range!: AnalyticsRange;
}
