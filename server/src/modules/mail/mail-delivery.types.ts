import { Field, InputType, Int, ObjectType, registerEnumType } from "type-graphql";
import { MailKind } from "../../generated/prisma/enums";
import { ConnectionType } from "../../graphql/pagination";
import { DateTimeScalar } from "../../graphql/scalars";

registerEnumType(MailKind, {
  name: "MailKind",
  description: "NOTIFICATION (an alert), DIGEST (a day's alerts), INVITATION or PASSWORD_RESET.",
});

/** Where a message stands: PENDING until the mail server accepts it (SENT) or it is given up (FAILED). */
export enum MailDeliveryStatus {
  PENDING = "PENDING",
  SENT = "SENT",
  FAILED = "FAILED",
}
registerEnumType(MailDeliveryStatus, {
  name: "MailDeliveryStatus",
  description:
    "PENDING (not accepted yet, retried with backoff), SENT (the mail server accepted it) or FAILED (given up).",
});

export { MailKind };

@ObjectType({ description: "One email the product sent or is sending, as the delivery log shows it." })
export class MailDelivery {
  id!: string;

  @Field(() => MailKind)
  kind!: MailKind;

  @Field(() => String, {
    description:
      "The recipient's address: in full for the recipient and for callers with `read_team`, masked (`k***@shop.test`) otherwise.",
  })
  to!: string;

  @Field(() => String)
  subject!: string;

  @Field(() => MailDeliveryStatus)
  status!: MailDeliveryStatus;

  @Field(() => Int, { description: "Attempts made so far." })
  attempts!: number;

  @Field(() => String, {
    nullable: true,
    description:
      "Why the last attempt failed, as the mail server said it (no credentials, links or internals).",
  })
  lastError!: string | null;

  @Field(() => DateTimeScalar, {
    nullable: true,
    description: "When the next attempt is due; null unless PENDING.",
  })
  nextAttemptAt!: Date | null;

  @Field(() => DateTimeScalar)
  createdAt!: Date;

  @Field(() => DateTimeScalar, { nullable: true })
  sentAt!: Date | null;
}

export const MailDeliveryConnection = ConnectionType(MailDelivery, "MailDelivery");
export type MailDeliveryConnection = InstanceType<typeof MailDeliveryConnection>;

@InputType({ description: "Deliveries to list: each list given narrows to its values." })
export class MailDeliveryFilter {
  @Field(() => [MailDeliveryStatus], { nullable: true })
  status?: MailDeliveryStatus[] | null;

  @Field(() => [MailKind], { nullable: true })
  kind?: MailKind[] | null;
}
