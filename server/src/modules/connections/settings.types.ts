import { Field, InputType, Int, ObjectType } from "type-graphql";
import type { Prisma } from "../../generated/prisma/client";
import { ConflictStrategy } from "../../graphql/enums";
import { UserError } from "../../graphql/errors";
import { PercentScalar } from "../../graphql/scalars";
import { PlatformSyncSettings } from "./connections.types";
import { MAX_SYNC_INTERVAL_MINUTES, MIN_SYNC_INTERVAL_MINUTES } from "./settings.rules";

@InputType({ description: "Fields left out keep their value; the result is checked as a whole." })
export class UpdatePlatformSyncSettingsInput {
  @Field(() => Boolean, { nullable: true, description: "Run scheduled incremental syncs." })
  autoSync?: boolean | null;

  @Field(() => Int, {
    nullable: true,
    description: `Minutes between scheduled syncs, ${MIN_SYNC_INTERVAL_MINUTES} to ${MAX_SYNC_INTERVAL_MINUTES}.`,
  })
  syncIntervalMinutes?: number | null;

  @Field(() => ConflictStrategy, {
    nullable: true,
    description: "How new conflicts resolve; MANUAL leaves them open.",
  })
  conflictStrategy?: ConflictStrategy | null;

  @Field(() => Int, { nullable: true, description: "0 or more, and at least outOfStockThreshold." })
  lowStockThreshold?: number | null;

  @Field(() => Int, { nullable: true, description: "0 or more." })
  outOfStockThreshold?: number | null;

  @Field(() => PercentScalar, { nullable: true, description: '0 to 100, e.g. "5.00".' })
  maxPriceVariancePct?: Prisma.Decimal | null;
}

@ObjectType()
export class UpdatePlatformSyncSettingsPayload {
  @Field(() => PlatformSyncSettings, {
    nullable: true,
    description: "The saved settings; null when refused.",
  })
  settings!: PlatformSyncSettings | null;

  @Field(() => [UserError], { description: 'Problems per field, e.g. ["input", "syncIntervalMinutes"].' })
  userErrors!: UserError[];
}
