import { Arg, Args, Ctx, FieldResolver, ID, Query, Resolver, Root } from "type-graphql";
import type { Prisma } from "../../generated/prisma/client";
import { RequireScope } from "../../graphql/access";
import type { Context } from "../../graphql/context";
import { toGlobalId } from "../../graphql/global-id";
import { ConnectionArgs, newestFirst, paginate, toConnection } from "../../graphql/pagination";
import { Scope } from "../../platform/auth/scopes";
import { AuditEvent, AuditEventConnection, AuditEventFilter } from "./audit.types";

@Resolver(() => AuditEvent)
export class AuditResolver {
  @RequireScope(Scope.read_audit)
  @Query(() => AuditEventConnection, {
    description: "Sign-ins, failed sign-ins, keys, roles and credentials changed: newest first.",
  })
  async auditEvents(
    @Args(() => ConnectionArgs) args: ConnectionArgs,
    @Arg("filter", () => AuditEventFilter, { nullable: true }) filter: AuditEventFilter | null,
    @Ctx() ctx: Context,
  ): Promise<AuditEventConnection> {
    const where: Prisma.AuditEventWhereInput = {};
    if (filter?.actions?.length) where.action = { in: filter.actions };
    if (filter?.actorId) where.actorId = filter.actorId;
    if (filter?.since) where.createdAt = { gte: filter.since };
    const page = await paginate(
      args,
      newestFirst<AuditEvent>(),
      where,
      (q) => ctx.db.client.auditEvent.findMany(q as Prisma.AuditEventFindManyArgs) as Promise<AuditEvent[]>,
    );
    return toConnection(AuditEventConnection, page, () => ctx.db.client.auditEvent.count({ where }));
  }

  @FieldResolver(() => ID)
  id(@Root() event: AuditEvent) {
    return toGlobalId("AuditEvent", event.id);
  }
}
