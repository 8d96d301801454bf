import { Field, InputType, Int, ObjectType } from "type-graphql";
import type { AlertEvent as AlertEventRow, Alert as AlertRow, Prisma } from "../../generated/prisma/client";
import { AlertEventKind, AlertPriority, AlertStatus, AlertType } from "../../graphql/enums";
import { Node } from "../../graphql/node";
import { ConnectionType } from "../../graphql/pagination";
import { DateTimeScalar, JSONScalar } from "../../graphql/scalars";

@ObjectType({ implements: Node, description: "Something that needs a person's attention." })
export class Alert extends Node implements Omit<AlertRow, "id" | "tenantId" | "dedupeKey"> {
  productId!: string | null;
  jobId!: string | null;
  conflictId!: string | null;

  @Field(() => AlertType)
  type!: AlertType;

  @Field(() => AlertPriority, { description: "CRITICAL: out of stock on a bestseller." })
  priority!: AlertPriority;

  @Field(() => AlertStatus)
  status!: AlertStatus;

  @Field(() => String)
  title!: string;

  @Field(() => String)
  message!: string;

  @Field(() => JSONScalar)
  payload!: Prisma.JsonValue;

  @Field(() => DateTimeScalar, { nullable: true })
  acknowledgedAt!: Date | null;

  @Field(() => DateTimeScalar, { nullable: true })
  resolvedAt!: Date | null;

  @Field(() => String, { nullable: true })
  resolvedBy!: string | null;

  @Field(() => String, {
    nullable: true,
    description:
      "Why it was resolved: the condition that cleared (stock restored, prices in line) or who closed it.",
  })
  resolutionReason!: string | null;

  @Field(() => Int, { description: "How often the cause came back after the alert had been resolved." })
  reopenedCount!: number;

  @Field(() => DateTimeScalar, { description: "When a rule last found the cause still there." })
  lastSeenAt!: Date;

  @Field(() => DateTimeScalar)
  createdAt!: Date;

  @Field(() => DateTimeScalar)
  updatedAt!: Date;
}

@ObjectType({
  description: "One change in an alert's life: raised, re-opened, escalated or resolved, and why.",
})
export class AlertEvent implements Omit<AlertEventRow, "id" | "tenantId" | "alertId"> {
  @Field(() => AlertEventKind)
  kind!: AlertEventKind;

  @Field(() => AlertPriority, { description: "The alert's priority after this change." })
  priority!: AlertPriority;

  @Field(() => String, {
    description:
      "What made the change: SYNC, WEBHOOK, BULK_UPDATE, RESOLUTION, SCHEDULE, SETTINGS (new thresholds) or USER.",
  })
  cause!: string;

  @Field(() => String, { nullable: true })
  reason!: string | null;

  @Field(() => DateTimeScalar)
  createdAt!: Date;
}

@InputType()
export class AlertFilter {
  @Field(() => [AlertStatus], { nullable: true })
  status?: AlertStatus[] | null;

  @Field(() => [AlertPriority], { nullable: true })
  priority?: AlertPriority[] | null;

  @Field(() => [AlertType], { nullable: true })
  type?: AlertType[] | null;

  @Field(() => String, { nullable: true, description: "Alerts about the product with this exact SKU." })
  sku?: string | null;
}

export const AlertConnection = ConnectionType(Alert, "Alert");
export type AlertConnection = InstanceType<typeof AlertConnection>;
