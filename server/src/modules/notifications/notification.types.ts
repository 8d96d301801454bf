import { Field, ID, InputType, Int, ObjectType } from "type-graphql";
import type { Notification as NotificationRow } from "../../generated/prisma/client";
import { AlertEventKind, AlertPriority, AlertType } from "../../graphql/enums";
import { UserError } from "../../graphql/errors";
import { ConnectionType } from "../../graphql/pagination";
import { DateTimeScalar } from "../../graphql/scalars";
import { NotificationEmailMode } from "./notification.enums";

@ObjectType({
  description:
    "An alert event for the signed-in user: an alert raised, re-opened, escalated or (when opted in) resolved.",
})
export class Notification
  implements Omit<NotificationRow, "id" | "tenantId" | "userId" | "alertEventId" | "inApp" | "emailState">
{
  id!: string;
  alertId!: string;

  @Field(() => AlertEventKind)
  kind!: AlertEventKind;

  @Field(() => AlertPriority)
  priority!: AlertPriority;

  @Field(() => AlertType)
  type!: AlertType;

  @Field(() => String)
  title!: string;

  @Field(() => String)
  message!: string;

  @Field(() => DateTimeScalar, {
    nullable: true,
    description: "When the user marked it read; null while unread.",
  })
  readAt!: Date | null;

  @Field(() => DateTimeScalar)
  createdAt!: Date;
}

export const NotificationConnection = ConnectionType(Notification, "Notification");
export type NotificationConnection = InstanceType<typeof NotificationConnection>;

@ObjectType({ description: "What the signed-in user hears about in this tenant, and how." })
export class NotificationPreferences {
  @Field(() => [AlertType], { description: "Alert types to hear about; empty means every type." })
  types!: AlertType[];

  @Field(() => [AlertPriority])
  priorities!: AlertPriority[];

  @Field(() => Boolean, { description: "Whether matching alerts show in the notification centre." })
  inApp!: boolean;

  @Field(() => NotificationEmailMode)
  emailMode!: NotificationEmailMode;

  @Field(() => Boolean, { description: "Whether this server sends email at all (SMTP_URL is set)." })
  emailAvailable!: boolean;

  @Field(() => String, { description: "IANA time zone the quiet hours and the digest hour are in." })
  timeZone!: string;

  @Field(() => Int, {
    nullable: true,
    description: "Start of the quiet hours, minutes after local midnight.",
  })
  quietStart!: number | null;

  @Field(() => Int, { nullable: true, description: "End of the quiet hours, minutes after local midnight." })
  quietEnd!: number | null;

  @Field(() => Int, { description: "Local hour (0-23) the daily digest goes out." })
  digestHour!: number;

  @Field(() => Boolean, {
    description: "Also notified when a matching alert resolves, in the app and by email as chosen above.",
  })
  notifyResolved!: boolean;
}

@InputType()
export class NotificationPreferencesInput {
  @Field(() => [AlertType], { nullable: true })
  types?: AlertType[] | null;

  @Field(() => [AlertPriority], { nullable: true })
  priorities?: AlertPriority[] | null;

  @Field(() => Boolean, { nullable: true })
  inApp?: boolean | null;

  @Field(() => NotificationEmailMode, { nullable: true })
  emailMode?: NotificationEmailMode | null;

  @Field(() => String, { nullable: true })
  timeZone?: string | null;

  @Field(() => Int, {
    nullable: true,
    description: "Minutes after local midnight (0-1439); null clears both.",
  })
  quietStart?: number | null;

  @Field(() => Int, { nullable: true })
  quietEnd?: number | null;

  @Field(() => Int, { nullable: true })
  digestHour?: number | null;

  @Field(() => Boolean, { nullable: true })
  notifyResolved?: boolean | null;
}

@ObjectType()
export class NotificationPreferencesPayload {
  @Field(() => NotificationPreferences, { nullable: true, description: "As saved; null when refused." })
  preferences!: NotificationPreferences | null;

  @Field(() => [UserError])
  userErrors!: UserError[];
}

@InputType()
export class MarkNotificationsReadInput {
  @Field(() => [ID], { nullable: true, description: "Notifications to mark read (at most 250)." })
  ids?: string[] | null;

  @Field(() => Boolean, { nullable: true, description: "Marks every unread notification read." })
  all?: boolean | null;
}

@ObjectType()
export class MarkNotificationsReadPayload {
  @Field(() => Int, { description: "How many were unread and are read now." })
  marked!: number;

  @Field(() => Int)
  unreadCount!: number;

  @Field(() => [UserError])
  userErrors!: UserError[];
}

@ObjectType({ description: "The signed-in user's notifications changed (new ones, or some were read)." })
export class NotificationsUpdate {
  @Field(() => Int)
  unreadCount!: number;
}
