import { Field, ID, InputType, ObjectType } from "type-graphql";
import { ConflictStrategy, ConflictType } from "../../graphql/enums";
import { UserError } from "../../graphql/errors";
import { SyncJob } from "../sync";
import { SyncConflict } from "./conflict.types";

@InputType({ description: "Give exactly one: a strategy to compute the value, or the value itself." })
export class ConflictResolutionInput {
  @Field(() => ConflictStrategy, {
    nullable: true,
    description: "SOURCE_WINS (the platform with the lowest priority number), HIGHEST_WINS or LOWEST_WINS.",
  })
  strategy?: ConflictStrategy | null;

  @Field(() => String, {
    nullable: true,
    description:
      'The value, as the conflict type reads it: a price "19.99", a quantity "12", a status "ACTIVE".',
  })
  value?: string | null;
}

@InputType({ description: "Which open conflicts to resolve; all given conditions must hold." })
export class ResolveConflictsFilter {
  @Field(() => [ConflictType], { nullable: true })
  type?: ConflictType[] | null;

  @Field(() => String, { nullable: true, description: "Exact SKU." })
  sku?: string | null;

  @Field(() => ID, { nullable: true, description: "Conflicts found by this sync job." })
  jobId?: string | null;
}

@ObjectType()
export class ResolveConflictPayload {
  @Field(() => SyncConflict, { nullable: true, description: "The resolved conflict; null when refused." })
  conflict!: SyncConflict | null;

  @Field(() => SyncJob, {
    nullable: true,
    description:
      "The RESOLUTION job writing the value to the platforms that hold another; null when none does.",
  })
  job!: SyncJob | null;

  @Field(() => [UserError])
  userErrors!: UserError[];
}

@ObjectType()
export class ResolveConflictsPayload {
  @Field(() => [SyncConflict], { description: "The resolved conflicts; empty when any was refused." })
  conflicts!: SyncConflict[];

  @Field(() => SyncJob, { nullable: true, description: "One RESOLUTION job for all of them." })
  job!: SyncJob | null;

  @Field(() => Boolean, {
    description: "More open conflicts match the filter than one call resolves (1,000).",
  })
  hasMore!: boolean;

  @Field(() => [UserError])
  userErrors!: UserError[];
}

@ObjectType()
export class IgnoreConflictPayload {
  @Field(() => SyncConflict, { nullable: true })
  conflict!: SyncConflict | null;

  @Field(() => [UserError])
  userErrors!: UserError[];
}
