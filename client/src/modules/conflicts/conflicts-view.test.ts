import { describe, expect, it } from "vitest";
import {
  DEFAULT_CONFLICTS_VIEW,
  formatConflictValue,
  parseConflictsView,
  serializeConflictsView,
  toConflictFilter,
} from "./conflicts-view";

describe("the conflicts page's view", () => {
  it("defaults to open conflicts, and keeps only known values from the query string", () => {
    expect(parseConflictsView("")).toEqual(DEFAULT_CONFLICTS_VIEW);
    expect(parseConflictsView("?status=RESOLVED,NOPE&type=PRICE&sku=%20A-1%20&size=7")).toEqual({
      status: ["RESOLVED"],
      type: ["PRICE"],
      sku: "A-1",
      pageSize: DEFAULT_CONFLICTS_VIEW.pageSize,
    });
    expect(parseConflictsView("?status=").status).toEqual([]);
  });

  it("round-trips through the query string, leaving defaults out", () => {
    expect(serializeConflictsView(DEFAULT_CONFLICTS_VIEW).toString()).toBe("");
    const view = { status: [], type: ["QUANTITY" as const], sku: "B 2", pageSize: 50 };
    expect(parseConflictsView(`?${serializeConflictsView(view)}`)).toEqual(view);
  });

  it("builds the API filter, with one status for the counts", () => {
    const view = { ...DEFAULT_CONFLICTS_VIEW, sku: "X", type: ["PRICE" as const] };
    expect(toConflictFilter(view)).toEqual({ status: ["OPEN"], type: ["PRICE"], sku: "X" });
    expect(toConflictFilter(view, "IGNORED")).toEqual({ status: ["IGNORED"], type: ["PRICE"], sku: "X" });
    expect(toConflictFilter({ ...DEFAULT_CONFLICTS_VIEW, status: [] })).toEqual({});
  });

  it("shows a missing value as a dash", () => {
    expect(formatConflictValue(null)).toBe("—");
    expect(formatConflictValue(12)).toBe("12");
    expect(formatConflictValue("19.99")).toBe("19.99");
  });
});
