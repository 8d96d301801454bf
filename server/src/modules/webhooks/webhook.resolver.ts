import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Resolver, Root } from "type-graphql";
import { RequireScope } from "../../graphql/access";
import type { Context } from "../../graphql/context";
import { expectGlobalId } from "../../graphql/global-id";
import { Scope } from "../../platform/auth/scopes";
import { PlatformConnection } from "../connections";
import { topicRegion } from "./sns.verifier";
import { WEBHOOK_TOLERANCE_SECONDS } from "./standard-webhooks.verifier";
import { WebhookErrorCode } from "./webhook.errors";
import { UpdateWebhookEndpointInput, WebhookEndpoint, WebhookEndpointPayload } from "./webhook.types";
import { type EndpointWithSecrets, MAX_OVERLAP_SECONDS, secretStatus } from "./webhook-endpoints.service";

function view(ctx: Context, row: EndpointWithSecrets): WebhookEndpoint {
  const status = secretStatus(row);
  return {
    row,
    url: ctx.services.webhookEndpoints.url(row.id),
    snsTopicArn: row.snsTopicArn,
    secretCreatedAt: status.current!.createdAt,
    previousSecretValidUntil: status.previousValidUntil,
    toleranceSeconds: WEBHOOK_TOLERANCE_SECONDS,
  };
}

const notFound = (field: string[]): WebhookEndpointPayload => ({
  webhook: null,
  userErrors: [{ field, code: WebhookErrorCode.NOT_FOUND, message: "No such platform connection" }],
});

async function connectionOf(ctx: Context, id: string) {
  return ctx.loaders.connectionById.load(expectGlobalId(id, "PlatformConnection"));
}

@Resolver(() => PlatformConnection)
export class WebhookConnectionResolver {
  @RequireScope(Scope.read_settings)
  @FieldResolver(() => WebhookEndpoint, {
    description: "Where the marketplace posts this connection's notifications (made on first read).",
  })
  async webhook(@Root() connection: PlatformConnection, @Ctx() ctx: Context): Promise<WebhookEndpoint> {
    return view(ctx, await ctx.services.webhookEndpoints.ensure(ctx.db, connection.id));
  }
}

@Resolver(() => WebhookEndpoint)
export class WebhookEndpointResolver {
  @RequireScope(Scope.read_credentials)
  @FieldResolver(() => String, {
    description: "The current signing secret (whsec_…), to paste into the marketplace's webhook settings.",
  })
  secret(@Root() endpoint: WebhookEndpoint, @Ctx() ctx: Context): string {
    return ctx.services.webhookEndpoints.reveal(secretStatus(endpoint.row).current!);
  }
}

@Resolver()
export class WebhookMutationResolver {
  @RequireScope(Scope.write_settings)
  @Mutation(() => WebhookEndpointPayload, {
    description:
      "Gives a connection's webhook a new secret. The previous one keeps verifying for overlapSeconds (default " +
      "from WEBHOOK_SECRET_OVERLAP_SECONDS, 0 to 604800), so the marketplace can be switched without losing " +
      "events; any older one stops now. Recorded in the audit log.",
  })
  async rotateWebhookSecret(
    @Arg("connectionId", () => ID) connectionId: string,
    @Arg("overlapSeconds", () => Int, { nullable: true }) overlapSeconds: number | null,
    @Ctx() ctx: Context,
  ): Promise<WebhookEndpointPayload> {
    const connection = await connectionOf(ctx, connectionId);
    if (!connection) return notFound(["connectionId"]);
    const overlap = overlapSeconds ?? ctx.services.webhookEndpoints.defaultOverlapSeconds;
    if (!Number.isInteger(overlap) || overlap < 0 || overlap > MAX_OVERLAP_SECONDS) {
      return {
        webhook: null,
        userErrors: [
          {
            field: ["overlapSeconds"],
            code: WebhookErrorCode.OUT_OF_RANGE,
            message: `overlapSeconds must be between 0 and ${MAX_OVERLAP_SECONDS}`,
          },
        ],
      };
    }
    const row = await ctx.services.webhookEndpoints.rotate(ctx.db, connection.id, overlap, {
      actor: ctx.actor,
      ip: ctx.client.ip,
    });
    return { webhook: view(ctx, row), userErrors: [] };
  }

  @RequireScope(Scope.write_settings)
  @Mutation(() => WebhookEndpointPayload, {
    description: "Changes what a connection's webhook accepts: the Amazon SNS topic it takes messages from.",
  })
  async updateWebhookEndpoint(
    @Arg("input", () => UpdateWebhookEndpointInput) input: UpdateWebhookEndpointInput,
    @Ctx() ctx: Context,
  ): Promise<WebhookEndpointPayload> {
    const connection = await connectionOf(ctx, input.connectionId);
    if (!connection) return notFound(["input", "connectionId"]);
    const endpoints = ctx.services.webhookEndpoints;
    if (input.snsTopicArn === undefined || input.snsTopicArn === null) {
      return { webhook: view(ctx, await endpoints.ensure(ctx.db, connection.id)), userErrors: [] };
    }
    const arn = input.snsTopicArn.trim();
    if (arn !== "" && !topicRegion(arn)) {
      return {
        webhook: null,
        userErrors: [
          {
            field: ["input", "snsTopicArn"],
            code: WebhookErrorCode.INVALID,
            message: "snsTopicArn must be an SNS topic ARN: arn:aws:sns:<region>:<account>:<topic>",
          },
        ],
      };
    }
    return {
      webhook: view(ctx, await endpoints.setSnsTopic(ctx.db, connection.id, arn || null)),
      userErrors: [],
    };
  }
}
