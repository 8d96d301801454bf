import { Field, ID, InputType, ObjectType } from "type-graphql";
import type { SyncConflict as ConflictRow, Prisma } from "../../generated/prisma/client";
import { ConflictStatus, ConflictStrategy, ConflictType, PlatformKind } from "../../graphql/enums";
import { Node } from "../../graphql/node";
import { ConnectionType } from "../../graphql/pagination";
import { DateTimeScalar, JSONScalar } from "../../graphql/scalars";

@ObjectType({ implements: Node, description: "Platforms disagree on one field of one product." })
export class SyncConflict extends Node implements Omit<ConflictRow, "id" | "tenantId"> {
  productId!: string;
  jobId!: string | null;

  @Field(() => String)
  sku!: string;

  @Field(() => ConflictType)
  type!: ConflictType;

  @Field(() => String, { description: "The field in dispute: price, quantity, status, or a data attribute." })
  field!: string;

  @Field(() => JSONScalar, {
    description: 'Each platform\'s value, e.g. {"AMAZON": "19.99", "MEDUSA": "21.50"}.',
  })
  values!: Prisma.JsonValue;

  @Field(() => ConflictStrategy)
  strategy!: ConflictStrategy;

  @Field(() => ConflictStatus)
  status!: ConflictStatus;

  @Field(() => JSONScalar, { nullable: true })
  resolvedValue!: Prisma.JsonValue;

  @Field(() => JSONScalar, {
    nullable: true,
    description: "How it was resolved: strategy, winning platform, value.",
  })
  resolution!: Prisma.JsonValue;

  @Field(() => DateTimeScalar, { nullable: true })
  resolvedAt!: Date | null;

  @Field(() => String, { nullable: true })
  resolvedBy!: string | null;

  @Field(() => DateTimeScalar)
  createdAt!: Date;

  @Field(() => DateTimeScalar)
  updatedAt!: Date;
}

@ObjectType({ description: "One platform's side of a conflict." })
export class ConflictReading {
  @Field(() => PlatformKind)
  platform!: PlatformKind;

  @Field(() => JSONScalar, {
    nullable: true,
    description: "The value the platform held when the conflict was found.",
  })
  value!: Prisma.JsonValue;

  @Field(() => DateTimeScalar, {
    nullable: true,
    description: "When the platform's listing was last read; null when it is not listed there.",
  })
  readAt!: Date | null;
}

@ObjectType({ description: "The value a strategy would resolve a conflict to, and whose value it is." })
export class ConflictSuggestion {
  @Field(() => ConflictStrategy)
  strategy!: ConflictStrategy;

  @Field(() => PlatformKind, { nullable: true })
  platform!: PlatformKind | null;

  @Field(() => JSONScalar, { nullable: true })
  value!: Prisma.JsonValue;
}

@InputType()
export class ConflictFilter {
  @Field(() => [ConflictStatus], { nullable: true })
  status?: ConflictStatus[] | null;

  @Field(() => [ConflictType], { nullable: true })
  type?: ConflictType[] | null;

  @Field(() => String, { nullable: true, description: "Exact SKU." })
  sku?: string | null;

  @Field(() => ID, { nullable: true, description: "Conflicts found by this sync job." })
  jobId?: string | null;
}

export const SyncConflictConnection = ConnectionType(SyncConflict, "SyncConflict");
export type SyncConflictConnection = InstanceType<typeof SyncConflictConnection>;
