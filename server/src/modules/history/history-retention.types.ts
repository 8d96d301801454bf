import { Field, ID, InputType, Int, ObjectType } from "type-graphql";
import { UserError } from "../../graphql/errors";
import { DateTimeScalar } from "../../graphql/scalars";
import { MAX_RETENTION_MONTHS, MIN_RETENTION_MONTHS } from "./history-retention.rules";

@ObjectType({
  description: "How long the tenant's history, job items and webhook events stay in the database.",
})
export class HistoryRetention {
  @Field(() => Int, { description: "Whole months kept before the current one." })
  months!: number;

  @Field(() => DateTimeScalar, {
    description:
      "The oldest instant kept: anything older is archived (history) or deleted (job items, events).",
  })
  keepsSince!: Date;

  @Field(() => Int)
  minMonths!: number;

  @Field(() => Int)
  maxMonths!: number;
}

@InputType()
export class UpdateHistoryRetentionInput {
  @Field(() => Int, { description: `Whole months, ${MIN_RETENTION_MONTHS} to ${MAX_RETENTION_MONTHS}.` })
  months!: number;
}

@ObjectType()
export class UpdateHistoryRetentionPayload {
  @Field(() => HistoryRetention, { nullable: true, description: "The saved retention; null when refused." })
  retention!: HistoryRetention | null;

  @Field(() => [UserError])
  userErrors!: UserError[];
}

@ObjectType({
  description: "A month of the tenant's history moved out of the database, as gzip-compressed JSONL.",
})
export class HistoryArchive {
  @Field(() => ID)
  id!: string;

  @Field(() => String, { description: "The month the rows were written in, e.g. 2025-10." })
  month!: string;

  @Field(() => Int, {
    description: "1, or a later file for rows of that month that arrived after the first.",
  })
  part!: number;

  @Field(() => Int, { description: "History rows in the file, one JSON object per line." })
  rows!: number;

  @Field(() => Int, { description: "Size of the compressed file." })
  bytes!: number;

  @Field(() => String, { description: "SHA-256 of the compressed file, hex." })
  sha256!: string;

  @Field(() => DateTimeScalar)
  createdAt!: Date;

  @Field(() => String, {
    description: "Where to download it (GET, authenticated as the API is, with the read_retention scope).",
  })
  downloadPath!: string;
}
