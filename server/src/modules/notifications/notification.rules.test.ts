import { describe, expect, it } from "vitest";
import {
  DEFAULT_PREFERENCES,
  digestDue,
  emailPlan,
  isTimeZone,
  localTime,
  matches,
  type Preferences,
  quietUntil,
} from "./notification.rules";

const prefs = (over: Partial<Preferences> = {}): Preferences => ({ ...DEFAULT_PREFERENCES, ...over });
const critical = { type: "OUT_OF_STOCK" as const, priority: "CRITICAL" as const };
const low = { type: "LOW_STOCK" as const, priority: "MEDIUM" as const };

describe("notification rules", () => {
  it("matches a resolution only for users who opted in, still by type and priority", () => {
    const resolved = { ...critical, kind: "RESOLVED" };
    expect(matches(prefs(), resolved)).toBe(false);
    expect(matches(prefs({ notifyResolved: true }), resolved)).toBe(true);
    expect(matches(prefs({ notifyResolved: true, types: ["LOW_STOCK"] }), resolved)).toBe(false);
    expect(emailPlan(prefs({ emailMode: "IMMEDIATE" }), resolved, new Date()).kind).toBe("NONE");
  });

  it("matches by type (empty means every type) and by priority", () => {
    expect(matches(prefs(), critical)).toBe(true);
    expect(matches(prefs(), low)).toBe(false);
    expect(matches(prefs({ types: ["SYNC_ERROR"] }), critical)).toBe(false);
    expect(matches(prefs({ types: ["LOW_STOCK"], priorities: ["MEDIUM"] }), low)).toBe(true);
  });

  it("reads local time in the user's zone", () => {
    expect(localTime(new Date("2026-12-14T23:30:00Z"), "Asia/Tokyo")).toEqual({
      minutes: 8 * 60 + 30,
      date: "2026-12-15",
    });
    expect(isTimeZone("Europe/Berlin")).toBe(true);
    expect(isTimeZone("Mars/Olympus")).toBe(false);
  });

  it("holds mail during quiet hours that wrap midnight, until they end", () => {
    const night = prefs({
      emailMode: "IMMEDIATE",
      timeZone: "Europe/Berlin",
      quietStart: 22 * 60,
      quietEnd: 7 * 60,
    });
    // 23:15 in Berlin (UTC+1 in December): held until 07:00 Berlin, 06:00 UTC.
    const at = new Date("2026-12-14T22:15:00Z");
    expect(quietUntil(night, at)?.toISOString()).toBe("2026-12-15T06:00:00.000Z");
    expect(emailPlan(night, critical, at)).toEqual({
      kind: "NOW",
      sendAt: new Date("2026-12-15T06:00:00.000Z"),
    });
    const noon = new Date("2026-12-14T11:00:00Z");
    expect(quietUntil(night, noon)).toBeNull();
    expect(emailPlan(night, critical, noon)).toEqual({ kind: "NOW", sendAt: noon });
  });

  it("sends no mail when email is off or the event does not match, and digests when asked", () => {
    const now = new Date();
    expect(emailPlan(prefs(), critical, now)).toEqual({ kind: "NONE" });
    expect(emailPlan(prefs({ emailMode: "IMMEDIATE" }), low, now)).toEqual({ kind: "NONE" });
    expect(emailPlan(prefs({ emailMode: "DAILY_DIGEST" }), critical, now)).toEqual({ kind: "DIGEST" });
  });

  it("makes the digest due once a local day, after the digest hour", () => {
    const digest = prefs({ emailMode: "DAILY_DIGEST", timeZone: "America/New_York", digestHour: 8 });
    // 07:59 and 08:01 in New York (UTC-5).
    expect(digestDue(digest, null, new Date("2026-12-14T12:59:00Z"))).toBe(false);
    expect(digestDue(digest, null, new Date("2026-12-14T13:01:00Z"))).toBe(true);
    expect(digestDue(digest, new Date("2026-12-14T13:01:00Z"), new Date("2026-12-14T20:00:00Z"))).toBe(false);
    expect(digestDue(digest, new Date("2026-12-14T13:01:00Z"), new Date("2026-12-15T13:30:00Z"))).toBe(true);
    expect(digestDue(prefs({ emailMode: "IMMEDIATE" }), null, new Date())).toBe(false);
  });
});
