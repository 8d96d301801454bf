import { Field, InputType, ObjectType } from "type-graphql";
import type { Alert as AlertRow, Prisma } from "../../generated/prisma/client";
import { AlertPriority, AlertStatus, AlertType } from "../../graphql/enums";
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

  @Field(() => DateTimeScalar)
  createdAt!: Date;

  @Field(() => DateTimeScalar)
  updatedAt!: Date;
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
