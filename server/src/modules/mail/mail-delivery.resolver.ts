import { Arg, Args, Ctx, FieldResolver, ID, Query, Resolver, Root } from "type-graphql";
import { forbiddenError, RequireScope } from "../../graphql/access";
import type { Context } from "../../graphql/context";
import { toGlobalId } from "../../graphql/global-id";
import { ConnectionArgs, toConnection } from "../../graphql/pagination";
import { hasScope } from "../../platform/auth/principal";
import { Scope } from "../../platform/auth/scopes";
import { deliveryPage } from "./mail-delivery.service";
import { MailDelivery, MailDeliveryConnection, MailDeliveryFilter } from "./mail-delivery.types";

@Resolver(() => MailDelivery)
export class MailDeliveryResolver {
  @RequireScope(Scope.read_settings)
  @Query(() => MailDeliveryConnection, {
    description:
      "The email delivery log, newest first: the messages addressed to the signed-in user, or with `read_audit` every message of the tenant. Never a message's body.",
  })
  async mailDeliveries(
    @Args(() => ConnectionArgs) args: ConnectionArgs,
    @Arg("filter", () => MailDeliveryFilter, { nullable: true }) filter: MailDeliveryFilter | null,
    @Ctx() ctx: Context,
  ): Promise<MailDeliveryConnection> {
    const everyone = hasScope(ctx.auth, Scope.read_audit);
    const userId = ctx.auth?.kind === "USER" ? ctx.auth.id : null;
    if (!everyone && !userId) {
      throw forbiddenError(
        "An API key has no mail of its own: the tenant's delivery log needs the read_audit scope",
        Scope.read_audit,
      );
    }
    const { page, count } = await deliveryPage(
      ctx.db,
      {
        recipientUserId: everyone ? null : userId,
        userId,
        fullAddresses: hasScope(ctx.auth, Scope.read_team),
      },
      args,
      filter,
    );
    return toConnection(MailDeliveryConnection, page, count);
  }

  @FieldResolver(() => ID)
  id(@Root() delivery: MailDelivery) {
    return toGlobalId("MailDelivery", delivery.id);
  }
}
