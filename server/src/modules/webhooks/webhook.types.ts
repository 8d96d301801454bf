import { Field, ID, InputType, Int, ObjectType } from "type-graphql";
import { UserError } from "../../graphql/errors";
import { DateTimeScalar } from "../../graphql/scalars";
import type { EndpointWithSecrets } from "./webhook-endpoints.service";

@ObjectType({
  description:
    "Where a marketplace posts a connection's notifications, and what they are verified with: Standard Webhooks " +
    "signatures under the connection's secret, or Amazon SNS signatures from the topic named here.",
})
export class WebhookEndpoint {
  /** The row the secret is read from (not a field). */
  row!: EndpointWithSecrets;

  @Field(() => String, { description: "The URL to give the marketplace; its id is unguessable." })
  url!: string;

  @Field(() => String, {
    nullable: true,
    description: "The Amazon SNS topic whose signed messages this endpoint accepts; null accepts none.",
  })
  snsTopicArn!: string | null;

  @Field(() => DateTimeScalar, { description: "When the current secret was made." })
  secretCreatedAt!: Date;

  @Field(() => DateTimeScalar, {
    nullable: true,
    description: "Until when the previous secret still verifies after a rotation; null when none does.",
  })
  previousSecretValidUntil!: Date | null;

  @Field(() => Int, { description: "How far a signed timestamp may be from now, in seconds." })
  toleranceSeconds!: number;
}

@ObjectType()
export class WebhookEndpointPayload {
  @Field(() => WebhookEndpoint, {
    nullable: true,
    description: "The endpoint as saved; null when nothing was.",
  })
  webhook!: WebhookEndpoint | null;

  @Field(() => [UserError])
  userErrors!: UserError[];
}

@InputType({ description: "Fields left out are left as they are." })
export class UpdateWebhookEndpointInput {
  @Field(() => ID)
  connectionId!: string;

  @Field(() => String, {
    nullable: true,
    description:
      "arn:aws:sns:<region>:<account>:<topic> to accept that topic's messages; empty string for none.",
  })
  snsTopicArn?: string | null;
}
