import { describe, expect, it } from "vitest";
import { daysOf, resolvePeriod } from "./analytics.period";
import { AnalyticsPeriod } from "./analytics.types";

const NOW = new Date("2026-03-01T15:30:00Z");

describe("analytics periods", () => {
  it("ends a preset today, today included, and defaults to the last 30 days", () => {
    expect(resolvePeriod({ period: AnalyticsPeriod.LAST_7_DAYS }, NOW)).toMatchObject({
      from: "2026-02-23",
      to: "2026-03-01",
      days: 7,
      start: new Date("2026-02-23T00:00:00Z"),
      end: new Date("2026-03-02T00:00:00Z"),
    });
    expect(resolvePeriod({}, NOW)).toMatchObject({ from: "2026-01-31", to: "2026-03-01", days: 30 });
  });

  it("takes from and to as whole days, `to` today when left out, across a leap day", () => {
    expect(resolvePeriod({ from: "2024-02-28", to: "2024-03-01" }, NOW)).toMatchObject({ days: 3 });
    expect(daysOf(resolvePeriod({ from: "2024-02-28", to: "2024-03-01" }, NOW))).toEqual([
      "2024-02-28",
      "2024-02-29",
      "2024-03-01",
    ]);
    expect(resolvePeriod({ from: "2026-02-27" }, NOW)).toMatchObject({ to: "2026-03-01", days: 3 });
  });

  it.each([
    [{ from: "2026-02-29" }, "from"],
    [{ from: "2026-3-01" }, "from"],
    [{ from: "2025-02-28" }, "from"],
    [{ from: "1999-12-31", to: "2000-01-01" }, "from"],
    [{ from: "2026-02-01", to: "2026-01-01" }, "from"],
    [{ from: "2026-02-01", to: "2026-03-02" }, "to"],
    [{ to: "2026-02-01" }, "from"],
    [{ period: AnalyticsPeriod.LAST_7_DAYS, to: "2026-02-01" }, "period"],
  ])("refuses %j naming %s", (input, field) => {
    expect(() => resolvePeriod(input, NOW)).toThrow(
      expect.objectContaining({ extensions: expect.objectContaining({ code: "BAD_USER_INPUT", field }) }),
    );
  });
});
