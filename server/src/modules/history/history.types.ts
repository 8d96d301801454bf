import { Field, ID, InputType, ObjectType, registerEnumType } from "type-graphql";
import type { Prisma, SyncHistory } from "../../generated/prisma/client";
import { ActorType } from "../../generated/prisma/enums";
import { PlatformKind } from "../../graphql/enums";
import { ConnectionType } from "../../graphql/pagination";
import { DateTimeScalar, JSONScalar } from "../../graphql/scalars";

registerEnumType(ActorType, {
  name: "ActorType",
  description: "Who made a change: a dashboard user, a partner's API key, a sync job, a webhook, the system.",
});

@ObjectType({
  description: "One change to one field, who or what made it, and what it replaced. Never rewritten.",
})
export class SyncHistoryEntry implements Omit<SyncHistory, "tenantId" | "connectionId"> {
  @Field(() => ID)
  id!: string;

  productId!: string | null;
  jobId!: string | null;

  @Field(() => String, { nullable: true })
  sku!: string | null;

  @Field(() => ActorType)
  actorType!: ActorType;

  @Field(() => String, { nullable: true, description: "The user, API key prefix, or platform that acted." })
  actorId!: string | null;

  @Field(() => PlatformKind, {
    nullable: true,
    description: "The platform written; null for our own record.",
  })
  platform!: PlatformKind | null;

  @Field(() => String, { description: "quantity, price, status, or a data attribute." })
  field!: string;

  @Field(() => JSONScalar, { nullable: true })
  oldValue!: Prisma.JsonValue;

  @Field(() => JSONScalar, { nullable: true })
  newValue!: Prisma.JsonValue;

  @Field(() => String, { nullable: true, description: "What made the change, e.g. bulkUpdateInventory." })
  reason!: string | null;

  @Field(() => DateTimeScalar)
  createdAt!: Date;
}

@InputType({ description: "All given conditions must hold." })
export class SyncHistoryFilter {
  @Field(() => String, { nullable: true, description: "Exact SKU." })
  sku?: string | null;

  @Field(() => ID, { nullable: true, description: "Changes made by this sync job." })
  jobId?: string | null;

  @Field(() => PlatformKind, { nullable: true })
  platform?: PlatformKind | null;

  @Field(() => String, { nullable: true })
  field?: string | null;

  @Field(() => DateTimeScalar, { nullable: true, description: "Changes at or after this instant." })
  since?: Date | null;
}

export const SyncHistoryConnection = ConnectionType(SyncHistoryEntry, "SyncHistory");
export type SyncHistoryConnection = InstanceType<typeof SyncHistoryConnection>;
