import { describe, expect, it } from "vitest";
import {
  alertTarget,
  DEFAULT_ALERTS_VIEW,
  groupFilter,
  parseAlertsView,
  serializeAlertsView,
  visibleGroups,
} from "./alerts-view";

describe("the alerts page's view", () => {
  it("defaults to what still needs someone, and keeps only known values from the query string", () => {
    expect(parseAlertsView("")).toEqual(DEFAULT_ALERTS_VIEW);
    expect(parseAlertsView("?status=RESOLVED,BOGUS&type=LOW_STOCK&priority=HIGH&sku=%20A-1%20")).toEqual({
      status: ["RESOLVED"],
      type: ["LOW_STOCK"],
      priority: ["HIGH"],
      sku: "A-1",
    });
  });

  it("round-trips through the query string, leaving defaults out", () => {
    expect(serializeAlertsView(DEFAULT_ALERTS_VIEW).toString()).toBe("");
    const view = { status: ["OPEN" as const], type: [], priority: ["CRITICAL" as const], sku: "S 1" };
    expect(parseAlertsView(`?${serializeAlertsView(view)}`)).toEqual(view);
  });

  it("shows the groups critical first, one filter per group", () => {
    expect(visibleGroups(DEFAULT_ALERTS_VIEW)).toEqual(["CRITICAL", "HIGH", "MEDIUM", "LOW"]);
    expect(visibleGroups({ ...DEFAULT_ALERTS_VIEW, priority: ["LOW", "CRITICAL"] })).toEqual([
      "CRITICAL",
      "LOW",
    ]);
    expect(groupFilter({ ...DEFAULT_ALERTS_VIEW, sku: "X" }, "HIGH")).toEqual({
      priority: ["HIGH"],
      status: ["OPEN", "ACKNOWLEDGED"],
      sku: "X",
    });
  });

  it("links an alert to its conflict, else its job", () => {
    expect(alertTarget({ conflict: { sku: "A&B", status: "OPEN" }, job: { id: "j" } })?.href).toBe(
      "/conflicts?sku=A%26B",
    );
    expect(alertTarget({ conflict: { sku: "A", status: "RESOLVED" } })?.href).toBe(
      "/conflicts?sku=A&status=RESOLVED",
    );
    expect(alertTarget({ job: { id: "U3luY0pvYjox" } })?.href).toBe("/sync?job=U3luY0pvYjox");
    expect(alertTarget({})).toBeNull();
  });
});
