import { GraphQLError } from "graphql";
import {
  Arg,
  Args,
  Ctx,
  FieldResolver,
  ID,
  Int,
  Mutation,
  Query,
  Resolver,
  Root,
  Subscription,
} from "type-graphql";
import { RequireScope } from "../../graphql/access";
import type { Context } from "../../graphql/context";
import { ErrorCode } from "../../graphql/errors";
import { toGlobalId } from "../../graphql/global-id";
import { ConnectionArgs, toConnection } from "../../graphql/pagination";
import { Scope } from "../../platform/auth/scopes";
import { NOTIFICATION_TOPIC } from "./notification.dispatcher";
import {
  loadPreferences,
  markRead,
  notificationPage,
  savePreferences,
  unreadCount,
} from "./notification.service";
import {
  MarkNotificationsReadInput,
  MarkNotificationsReadPayload,
  Notification,
  NotificationConnection,
  NotificationPreferences,
  NotificationPreferencesInput,
  NotificationPreferencesPayload,
  NotificationsUpdate,
} from "./notification.types";

/** Notifications belong to a signed-in user; an API key has none. */
function userOf(ctx: Context): string {
  if (ctx.auth?.kind !== "USER") {
    throw new GraphQLError("Notifications belong to a signed-in user, not to an API key", {
      extensions: { code: ErrorCode.FORBIDDEN },
    });
  }
  return ctx.auth.id;
}

/** The unread count after each change to the user's notifications; other users' and tenants' never pass. */
async function* notificationChanges(ctx: Context): AsyncGenerator<NotificationsUpdate> {
  const userId = userOf(ctx);
  const events = ctx.services.pubSub.subscribe(NOTIFICATION_TOPIC, ctx.tenant.id);
  try {
    await ctx.services.pubSub.listening();
    for await (const raw of events) {
      const event = (raw as { tenantId?: unknown; userId?: unknown } | undefined) ?? {};
      if (event.tenantId !== ctx.tenant.id || event.userId !== userId) continue;
      yield { unreadCount: await unreadCount(ctx.db, userId) };
    }
  } finally {
    await events.return?.();
  }
}

@Resolver(() => Notification)
export class NotificationResolver {
  @RequireScope(Scope.read_alerts)
  @Query(() => NotificationConnection, { description: "The signed-in user's notifications, newest first." })
  async notifications(
    @Args(() => ConnectionArgs) args: ConnectionArgs,
    @Arg("unreadOnly", () => Boolean, { defaultValue: false }) unreadOnly: boolean,
    @Ctx() ctx: Context,
  ): Promise<NotificationConnection> {
    const { page, count } = await notificationPage(ctx.db, userOf(ctx), args, unreadOnly);
    return toConnection(NotificationConnection, page, count);
  }

  @RequireScope(Scope.read_alerts)
  @Query(() => Int, { description: "How many of the signed-in user's notifications are unread." })
  unreadNotificationCount(@Ctx() ctx: Context): Promise<number> {
    return unreadCount(ctx.db, userOf(ctx));
  }

  @RequireScope(Scope.read_alerts)
  @Query(() => NotificationPreferences, { description: "What the signed-in user hears about, and how." })
  async notificationPreferences(@Ctx() ctx: Context): Promise<NotificationPreferences> {
    const prefs = await loadPreferences(ctx.db, userOf(ctx));
    return { ...prefs, emailAvailable: ctx.services.emailAvailable ?? false };
  }

  @RequireScope(Scope.read_alerts)
  @Mutation(() => MarkNotificationsReadPayload, {
    description: "Marks some or all of the user's notifications read.",
  })
  async markNotificationsRead(
    @Arg("input", () => MarkNotificationsReadInput) input: MarkNotificationsReadInput,
    @Ctx() ctx: Context,
  ): Promise<MarkNotificationsReadPayload> {
    const userId = userOf(ctx);
    const result = await markRead(ctx.db, userId, input);
    if (result.marked > 0) {
      await ctx.services.pubSub.publish(`${NOTIFICATION_TOPIC}:${ctx.tenant.id}`, {
        tenantId: ctx.tenant.id,
        userId,
      });
    }
    return result;
  }

  @RequireScope(Scope.read_alerts)
  @Mutation(() => NotificationPreferencesPayload, {
    description: "Saves the signed-in user's notification preferences; fields not given keep their value.",
  })
  async updateNotificationPreferences(
    @Arg("input", () => NotificationPreferencesInput) input: NotificationPreferencesInput,
    @Ctx() ctx: Context,
  ): Promise<NotificationPreferencesPayload> {
    const { preferences, userErrors } = await savePreferences(ctx.db, userOf(ctx), input);
    return {
      preferences: preferences
        ? { ...preferences, emailAvailable: ctx.services.emailAvailable ?? false }
        : null,
      userErrors,
    };
  }

  @RequireScope(Scope.read_alerts)
  @Subscription(() => NotificationsUpdate, {
    description: "The signed-in user's unread count, each time their notifications change.",
    subscribe: ({ context }) => notificationChanges(context as Context),
  })
  notificationsUpdated(@Root() update: NotificationsUpdate): NotificationsUpdate {
    return update;
  }

  @FieldResolver(() => ID)
  id(@Root() notification: Notification) {
    return toGlobalId("Notification", notification.id);
  }

  @FieldResolver(() => String, { description: "The alert's global id, to open it." })
  alertId(@Root() notification: Notification) {
    return toGlobalId("Alert", notification.alertId);
  }
}
