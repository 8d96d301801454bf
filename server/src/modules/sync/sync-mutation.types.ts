import { Field, InputType, ObjectType } from "type-graphql";
import { PlatformKind, SyncJobType } from "../../graphql/enums";
import { UserError } from "../../graphql/errors";
import { SyncJob } from "./sync-job.types";

@InputType({ description: "What to sync: everything, some SKUs, or what changed since the last sync." })
export class StartInventorySyncInput {
  @Field(() => SyncJobType)
  type!: SyncJobType;

  @Field(() => [String], {
    nullable: true,
    description: "PARTIAL: the SKUs to sync (at most 10,000). INCREMENTAL: SKUs flagged by notifications.",
  })
  skus?: string[] | null;

  @Field(() => [PlatformKind], {
    nullable: true,
    description: "Platforms taking part; default every enabled one.",
  })
  platforms?: PlatformKind[] | null;

  @Field(() => Boolean, {
    nullable: true,
    description: "Do everything but write, and report what would have been written.",
  })
  dryRun?: boolean | null;
}

@ObjectType()
export class StartInventorySyncPayload {
  @Field(() => SyncJob, { nullable: true, description: "The job started, or the FULL sync already running." })
  job!: SyncJob | null;

  @Field(() => Boolean, { description: "False when an already running FULL sync was returned instead." })
  created!: boolean;

  @Field(() => [UserError])
  userErrors!: UserError[];
}

@ObjectType()
export class CancelInventorySyncPayload {
  @Field(() => SyncJob, { nullable: true, description: "The job; it reaches CANCELLED within a second." })
  job!: SyncJob | null;

  @Field(() => [UserError])
  userErrors!: UserError[];
}
