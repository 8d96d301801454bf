import type { AlertPriority, AlertType, NotificationEmailMode } from "../../generated/prisma/enums";

/** A user's notification preferences, as stored or as the defaults give them. */
export interface Preferences {
  /** Alert types to hear about; empty means every type. */
  types: AlertType[];
  priorities: AlertPriority[];
  inApp: boolean;
  emailMode: NotificationEmailMode;
  timeZone: string;
  /** Quiet hours in the user's time zone, minutes after midnight; none when either is null. */
  quietStart: number | null;
  quietEnd: number | null;
  /** Local hour the daily digest goes out. */
  digestHour: number;
  /** Whether a matching alert's resolution is notified too (in the app and by email, as for the others). */
  notifyResolved: boolean;
}

/** What a user has before saving any preference: urgent alerts in the app, no email. */
export const DEFAULT_PREFERENCES: Preferences = {
  types: [],
  priorities: ["CRITICAL", "HIGH"],
  inApp: true,
  emailMode: "OFF",
  timeZone: "UTC",
  quietStart: null,
  quietEnd: null,
  digestHour: 8,
  notifyResolved: false,
};

/** Whether an alert event of this type and priority (and kind: a resolution only if opted in) is one the user asked for. */
export function matches(
  prefs: Preferences,
  event: { type: AlertType; priority: AlertPriority; kind?: string },
): boolean {
  if (event.kind === "RESOLVED" && !prefs.notifyResolved) return false;
  return (
    (prefs.types.length === 0 || prefs.types.includes(event.type)) &&
    prefs.priorities.includes(event.priority)
  );
}

/** Whether `zone` is an IANA time zone this runtime knows. */
export function isTimeZone(zone: string): boolean {
  if (zone.length === 0 || zone.length > 64) return false;
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** Minutes after local midnight and the local date (YYYY-MM-DD) of `at` in `zone`. */
export function localTime(at: Date, zone: string): { minutes: number; date: string } {
  const parts = new Intl.DateTimeFormat("en-CA", {
    timeZone: zone,
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
  }).formatToParts(at);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? "00";
  return {
    minutes: Number(get("hour")) * 60 + Number(get("minute")),
    date: `${get("year")}-${get("month")}-${get("day")}`,
  };
}

/**
 * The end of the quiet hours `at` falls in, or null outside them. A window may wrap midnight (22:00 to 07:00);
 * equal start and end mean no quiet hours.
 */
export function quietUntil(prefs: Preferences, at: Date): Date | null {
  const { quietStart: start, quietEnd: end } = prefs;
  if (start === null || end === null || start === end) return null;
  const { minutes } = localTime(at, prefs.timeZone);
  const inside = start < end ? minutes >= start && minutes < end : minutes >= start || minutes < end;
  if (!inside) return null;
  const wait = (end - minutes + 1440) % 1440;
  const until = new Date(at.getTime() + wait * 60_000);
  until.setUTCSeconds(0, 0);
  return until;
}

/** How an alert event reaches a user by email: not at all, now (or when quiet hours end), or in the digest. */
export function emailPlan(
  prefs: Preferences,
  event: { type: AlertType; priority: AlertPriority; kind?: string },
  now: Date,
): { kind: "NONE" } | { kind: "NOW"; sendAt: Date } | { kind: "DIGEST" } {
  if (prefs.emailMode === "OFF" || !matches(prefs, event)) return { kind: "NONE" };
  if (prefs.emailMode === "DAILY_DIGEST") return { kind: "DIGEST" };
  return { kind: "NOW", sendAt: quietUntil(prefs, now) ?? now };
}

/** Whether the user's daily digest is due: past the digest hour today, outside quiet hours, not yet sent today. */
export function digestDue(prefs: Preferences, lastDigestAt: Date | null, now: Date): boolean {
  if (prefs.emailMode !== "DAILY_DIGEST") return false;
  const today = localTime(now, prefs.timeZone);
  if (today.minutes < prefs.digestHour * 60 || quietUntil(prefs, now)) return false;
  return !lastDigestAt || localTime(lastDigestAt, prefs.timeZone).date !== today.date;
}
