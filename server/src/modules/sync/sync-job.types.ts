import { Field, InputType, Int, ObjectType } from "type-graphql";
import type {
  Prisma,
  SyncJobItem as SyncJobItemRow,
  SyncJob as SyncJobRow,
} from "../../generated/prisma/client";
import { PlatformKind, SyncItemStatus, SyncJobStatus, SyncJobType, SyncTrigger } from "../../graphql/enums";
import { Node } from "../../graphql/node";
import { ConnectionType } from "../../graphql/pagination";
import { DateTimeScalar, JSONScalar } from "../../graphql/scalars";

@ObjectType({
  implements: Node,
  description: "One run that reads platforms, compares, resolves and writes back.",
})
export class SyncJob
  extends Node
  implements Omit<SyncJobRow, "id" | "tenantId" | "checkpoint" | "createdById">
{
  @Field(() => SyncJobType)
  type!: SyncJobType;

  @Field(() => SyncJobStatus)
  status!: SyncJobStatus;

  @Field(() => SyncTrigger)
  trigger!: SyncTrigger;

  @Field(() => Boolean, { description: "Does everything but write, and reports what it would have written." })
  dryRun!: boolean;

  @Field(() => [PlatformKind], { description: "The platforms taking part; empty means every enabled one." })
  platforms!: PlatformKind[];

  @Field(() => JSONScalar, { description: "The SKUs and other filters the job was started with." })
  filters!: Prisma.JsonValue;

  @Field(() => Int)
  totalItems!: number;

  @Field(() => Int)
  processedItems!: number;

  @Field(() => Int)
  updatedItems!: number;

  @Field(() => Int)
  conflictCount!: number;

  @Field(() => Int)
  failedItems!: number;

  @Field(() => JSONScalar, { description: "Counters and outcome per platform, keyed by platform kind." })
  platformResults!: Prisma.JsonValue;

  @Field(() => String, { nullable: true })
  error!: string | null;

  @Field(() => DateTimeScalar, { nullable: true })
  cancelRequestedAt!: Date | null;

  @Field(() => DateTimeScalar, { nullable: true })
  startedAt!: Date | null;

  @Field(() => DateTimeScalar, { nullable: true })
  finishedAt!: Date | null;

  @Field(() => DateTimeScalar)
  createdAt!: Date;

  @Field(() => DateTimeScalar)
  updatedAt!: Date;
}

@ObjectType({ description: "One write a job intended, and what became of it." })
export class SyncJobItem
  implements Omit<SyncJobItemRow, "id" | "tenantId" | "jobId" | "productId" | "createdAt" | "jobCreatedAt">
{
  @Field(() => String)
  sku!: string;

  @Field(() => PlatformKind)
  platform!: PlatformKind;

  @Field(() => String)
  field!: string;

  @Field(() => JSONScalar, { nullable: true })
  fromValue!: Prisma.JsonValue;

  @Field(() => JSONScalar, { nullable: true })
  toValue!: Prisma.JsonValue;

  @Field(() => SyncItemStatus)
  status!: SyncItemStatus;

  @Field(() => String, { nullable: true })
  error!: string | null;

  @Field(() => String, { nullable: true })
  errorCode!: string | null;

  @Field(() => Int)
  attempts!: number;

  @Field(() => DateTimeScalar)
  updatedAt!: Date;
}

@InputType()
export class SyncJobFilter {
  @Field(() => [SyncJobStatus], { nullable: true })
  status?: SyncJobStatus[] | null;

  @Field(() => [SyncJobType], { nullable: true })
  type?: SyncJobType[] | null;

  @Field(() => [SyncTrigger], { nullable: true })
  trigger?: SyncTrigger[] | null;
}

export const SyncJobConnection = ConnectionType(SyncJob, "SyncJob");
export type SyncJobConnection = InstanceType<typeof SyncJobConnection>;
