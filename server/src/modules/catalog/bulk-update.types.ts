import { Field, InputType, Int, ObjectType, registerEnumType } from "type-graphql";
import { ListingStatus, PlatformKind } from "../../graphql/enums";
import { UserError } from "../../graphql/errors";
import { SyncJob } from "../sync";
import { MAX_BULK_ROWS } from "./bulk-update.rules";

export enum ErrorPolicy {
  REJECT_EVERYTHING = "REJECT_EVERYTHING",
  REJECT_FAILED_ROWS = "REJECT_FAILED_ROWS",
  IGNORE_FAILED = "IGNORE_FAILED",
}
registerEnumType(ErrorPolicy, {
  name: "ErrorPolicy",
  description: "What a bulk mutation does with rows that fail validation (Saleor's policies).",
  valuesConfig: {
    REJECT_EVERYTHING: {
      description:
        "Any error in any row rejects the whole call: nothing is applied, every error is reported.",
    },
    REJECT_FAILED_ROWS: {
      description:
        "Rows with an error are rejected whole and reported in userErrors; the valid rows are applied.",
    },
    IGNORE_FAILED: {
      description:
        "Saves what it can within each row: its valid fields are applied and its invalid ones skipped. A row " +
        "is skipped whole only when it cannot be identified or is stale (NOT_FOUND, DUPLICATE_SKU, " +
        "NO_CHANGES, QUANTITY_MISMATCH). Problems appear in the row's result errors, not in userErrors.",
    },
  },
});

export enum BulkRowStatus {
  APPLIED = "APPLIED",
  PLANNED = "PLANNED",
  UNCHANGED = "UNCHANGED",
  FAILED = "FAILED",
  REJECTED = "REJECTED",
}
registerEnumType(BulkRowStatus, {
  name: "BulkRowStatus",
  valuesConfig: {
    APPLIED: {
      description: "Written to our record and planned for the platforms (some fields may be skipped).",
    },
    PLANNED: { description: "Dry run: valid, and would change these values; nothing was written." },
    UNCHANGED: { description: "Valid, but our record already holds these values." },
    FAILED: { description: "Has errors; nothing of it was applied." },
    REJECTED: { description: "Valid, but not applied because another row failed under REJECT_EVERYTHING." },
  },
});

@InputType({ description: "One SKU's change; fields left out are left as they are." })
export class InventoryUpdateInput {
  @Field(() => String)
  sku!: string;

  @Field(() => Int, { nullable: true, description: "The new quantity. Not with quantityDelta." })
  quantity?: number | null;

  @Field(() => Int, { nullable: true, description: "Added to the current quantity (negative to remove)." })
  quantityDelta?: number | null;

  @Field(() => String, {
    nullable: true,
    description:
      'The new price as a decimal string, e.g. "19.99" (validated per row, so a bad price fails only its row).',
  })
  price?: string | null;

  @Field(() => ListingStatus, { nullable: true, description: "ACTIVE, INACTIVE or DELETED." })
  status?: ListingStatus | null;

  @Field(() => Int, {
    nullable: true,
    description:
      "Compare-and-set: the row applies only if our quantity is still this (else QUANTITY_MISMATCH); the " +
      "platforms' writes are then compare-and-set against their last known quantity too.",
  })
  expectedQuantity?: number | null;
}

@InputType()
export class BulkUpdateInventoryInput {
  @Field(() => [InventoryUpdateInput], { description: `At most ${MAX_BULK_ROWS} rows, one per SKU.` })
  updates!: InventoryUpdateInput[];

  @Field(() => [PlatformKind], {
    nullable: true,
    description:
      "Platforms to propagate to; default: every enabled connection of the tenant. An empty list changes our record only.",
  })
  platforms?: PlatformKind[] | null;

  @Field(() => Boolean, {
    defaultValue: false,
    description: "Validates and plans a dry-run job (reporting what it would write) but changes no values.",
  })
  dryRun!: boolean;

  @Field(() => ErrorPolicy, { defaultValue: ErrorPolicy.REJECT_EVERYTHING })
  errorPolicy!: ErrorPolicy;

  @Field(() => String, {
    nullable: true,
    description:
      "Repeating a call with the same key returns the first call's result without applying it again; the " +
      "same key with a different input is IDEMPOTENCY_KEY_REUSED. Calls that applied nothing (all rejected, " +
      "or dry runs) are not remembered, so they can be corrected and retried under the same key.",
  })
  idempotencyKey?: string | null;
}

@ObjectType({ description: "A target platform left out of one change of a row, and why." })
export class SkippedPlatformWrite {
  @Field(() => PlatformKind)
  platform!: string;

  @Field(() => String, { description: "quantity, price or status." })
  field!: string;

  @Field(() => String, {
    description: "PLATFORM_MANAGED: the platform sets this field itself (Amazon: an FBA listing's quantity).",
  })
  code!: string;

  @Field(() => String)
  message!: string;
}

@ObjectType({ description: "What became of one input row." })
export class BulkUpdateRowResult {
  @Field(() => Int, { description: "Position of the row in `updates`." })
  index!: number;

  @Field(() => String)
  sku!: string;

  @Field(() => BulkRowStatus)
  status!: BulkRowStatus;

  @Field(() => [UserError], { description: "This row's problems, whatever the error policy." })
  errors!: UserError[];

  @Field(() => [SkippedPlatformWrite], {
    description:
      "Target platforms that do not get one of the row's changes because they set that field themselves; " +
      "the other platforms get it. A change no target can take is a PLATFORM_MANAGED error instead.",
  })
  skipped!: SkippedPlatformWrite[];
}

@ObjectType()
export class BulkUpdateInventoryPayload {
  @Field(() => SyncJob, {
    nullable: true,
    description: "The BULK_UPDATE job propagating the changes to the platforms; null when nothing changed.",
  })
  job!: SyncJob | null;

  @Field(() => [BulkUpdateRowResult], { description: "One result per input row, in input order." })
  results!: BulkUpdateRowResult[];

  @Field(() => [UserError], {
    description: 'Problems with the input; row problems have field ["updates", "<index>", "<field>"].',
  })
  userErrors!: UserError[];

  @Field(() => Boolean, {
    description: "True when this is the stored result of an earlier call with the key.",
  })
  replayed!: boolean;
}
