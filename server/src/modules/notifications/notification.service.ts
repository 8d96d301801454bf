import type { Notification as NotificationRow, Prisma } from "../../generated/prisma/client";
import type { AlertPriority, AlertType, NotificationEmailMode } from "../../generated/prisma/enums";
import type { UserError } from "../../graphql/errors";
import { expectGlobalId } from "../../graphql/global-id";
import { type ConnectionArgs, newestFirst, paginate } from "../../graphql/pagination";
import type { TenantDb } from "../../platform/db";
import { DEFAULT_PREFERENCES, isTimeZone, type Preferences } from "./notification.rules";

const MAX_IDS = 250;

/** The user's in-app notifications, newest first (the tenant comes from row-level security). */
export async function notificationPage(
  db: TenantDb,
  userId: string,
  args: ConnectionArgs,
  unreadOnly: boolean,
) {
  const where: Prisma.NotificationWhereInput = {
    userId,
    inApp: true,
    ...(unreadOnly ? { readAt: null } : {}),
  };
  const page = await paginate(args, newestFirst<NotificationRow>(), where, (q) =>
    db.client.notification.findMany(q as Prisma.NotificationFindManyArgs),
  );
  return { page, count: () => db.client.notification.count({ where }) };
}

export function unreadCount(db: TenantDb, userId: string): Promise<number> {
  return db.client.notification.count({ where: { userId, inApp: true, readAt: null } });
}

/** Marks the given notifications (or all) of the user read; ids of others' notifications are not found. */
export async function markRead(
  db: TenantDb,
  userId: string,
  input: { ids?: string[] | null; all?: boolean | null },
): Promise<{ marked: number; unreadCount: number; userErrors: UserError[] }> {
  const fail = (userErrors: UserError[]) =>
    unreadCount(db, userId).then((n) => ({ marked: 0, unreadCount: n, userErrors }));
  if (!input.all && !input.ids?.length)
    return fail([{ field: ["input"], code: "INVALID", message: "Give ids or all: true" }]);
  if (input.all && input.ids?.length)
    return fail([{ field: ["input"], code: "INVALID", message: "Give either ids or all, not both" }]);
  let rowIds: string[] | null = null;
  if (input.ids) {
    if (input.ids.length > MAX_IDS)
      return fail([
        { field: ["input", "ids"], code: "TOO_MANY", message: `At most ${MAX_IDS} ids per call` },
      ]);
    const errors: UserError[] = [];
    rowIds = input.ids.map((id, i) => {
      try {
        return expectGlobalId(id, "Notification");
      } catch (error) {
        errors.push({
          field: ["input", "ids", String(i)],
          code: "INVALID_ID",
          message: (error as Error).message,
        });
        return "";
      }
    });
    if (errors.length > 0) return fail(errors);
    const found = await db.client.notification.findMany({
      where: { id: { in: rowIds }, userId, inApp: true },
      select: { id: true },
    });
    const mine = new Set(found.map((f) => f.id));
    const missing = rowIds
      .map((id, i) =>
        mine.has(id)
          ? null
          : { field: ["input", "ids", String(i)], code: "NOT_FOUND", message: "No such notification" },
      )
      .filter((e): e is UserError => e !== null);
    if (missing.length > 0) return fail(missing);
  }
  const { count } = await db.client.notification.updateMany({
    where: { userId, inApp: true, readAt: null, ...(rowIds ? { id: { in: rowIds } } : {}) },
    data: { readAt: new Date() },
  });
  return { marked: count, unreadCount: await unreadCount(db, userId), userErrors: [] };
}

export async function loadPreferences(db: TenantDb, userId: string): Promise<Preferences> {
  const row = await db.client.notificationPreference.findFirst({ where: { userId } });
  if (!row) return DEFAULT_PREFERENCES;
  return {
    types: row.types,
    priorities: row.priorities,
    inApp: row.inApp,
    emailMode: row.emailMode,
    timeZone: row.timeZone,
    quietStart: row.quietStart,
    quietEnd: row.quietEnd,
    digestHour: row.digestHour,
    notifyResolved: row.notifyResolved,
  };
}

export interface PreferencesInput {
  types?: AlertType[] | null;
  priorities?: AlertPriority[] | null;
  inApp?: boolean | null;
  emailMode?: NotificationEmailMode | null;
  timeZone?: string | null;
  quietStart?: number | null;
  quietEnd?: number | null;
  digestHour?: number | null;
  notifyResolved?: boolean | null;
}

/** Checks and saves the user's preferences; what is not given keeps its value. */
export async function savePreferences(
  db: TenantDb,
  userId: string,
  input: PreferencesInput,
): Promise<{ preferences: Preferences | null; userErrors: UserError[] }> {
  const current = await loadPreferences(db, userId);
  const errors: UserError[] = [];
  const field = (name: string) => ["input", name];
  if (input.timeZone != null && !isTimeZone(input.timeZone))
    errors.push({
      field: field("timeZone"),
      code: "INVALID_TIME_ZONE",
      message: "Not a known IANA time zone",
    });
  for (const name of ["quietStart", "quietEnd"] as const) {
    const v = input[name];
    if (v != null && (!Number.isInteger(v) || v < 0 || v > 1439))
      errors.push({ field: field(name), code: "OUT_OF_RANGE", message: "Minutes after midnight, 0 to 1439" });
  }
  if (
    (input.quietStart == null) !== (input.quietEnd == null) &&
    ("quietStart" in input || "quietEnd" in input)
  )
    errors.push({
      field: field("quietEnd"),
      code: "INCOMPLETE",
      message: "Give both ends of the quiet hours, or neither",
    });
  if (
    input.digestHour != null &&
    (!Number.isInteger(input.digestHour) || input.digestHour < 0 || input.digestHour > 23)
  )
    errors.push({ field: field("digestHour"), code: "OUT_OF_RANGE", message: "An hour, 0 to 23" });
  if (input.priorities != null && input.priorities.length === 0)
    errors.push({ field: field("priorities"), code: "EMPTY", message: "Choose at least one priority" });
  if (errors.length > 0) return { preferences: null, userErrors: errors };
  const quietGiven = "quietStart" in input || "quietEnd" in input;
  const next: Preferences = {
    types: input.types ? [...new Set(input.types)] : current.types,
    priorities: input.priorities ? [...new Set(input.priorities)] : current.priorities,
    inApp: input.inApp ?? current.inApp,
    emailMode: input.emailMode ?? current.emailMode,
    timeZone: input.timeZone ?? current.timeZone,
    quietStart: quietGiven ? (input.quietStart ?? null) : current.quietStart,
    quietEnd: quietGiven ? (input.quietEnd ?? null) : current.quietEnd,
    digestHour: input.digestHour ?? current.digestHour,
    notifyResolved: input.notifyResolved ?? current.notifyResolved,
  };
  await db.transaction(async (tx) => {
    const existing = await tx.notificationPreference.findFirst({ where: { userId }, select: { id: true } });
    if (existing) await tx.notificationPreference.update({ where: { id: existing.id }, data: next });
    else await tx.notificationPreference.create({ data: { ...next, userId } });
  });
  return { preferences: next, userErrors: [] };
}
