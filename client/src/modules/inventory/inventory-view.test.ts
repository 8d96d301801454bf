import { describe, expect, it } from "vitest";
import { DEFAULT_VIEW, parseView, serializeView, toFilter } from "./inventory-view";

describe("inventory view in the query string", () => {
  it("round-trips every setting through the URL", () => {
    const view = {
      ...DEFAULT_VIEW,
      search: "anker",
      status: ["ACTIVE" as const, "SUPPRESSED" as const],
      stockLevel: ["LOW_STOCK" as const],
      fulfillmentChannel: ["FBA" as const],
      category: ["Home & Kitchen", "Toys, Games"],
      brand: ["Anker"],
      platform: ["MEDUSA" as const],
      bestsellersOnly: true,
      sort: "PRICE" as const,
      direction: "DESC" as const,
      pageSize: 250,
    };
    expect(parseView(`?${serializeView(view)}`)).toEqual(view);
  });

  it("leaves defaults out of the URL", () => {
    expect(serializeView(DEFAULT_VIEW).toString()).toBe("");
  });

  it("ignores values the API would reject and caps the page size at 250", () => {
    const view = parseView("?status=ACTIVE,BOGUS&sort=COLOR&size=1000&dir=sideways");
    expect(view.status).toEqual(["ACTIVE"]);
    expect(view.sort).toBe(DEFAULT_VIEW.sort);
    expect(view.pageSize).toBe(250);
    expect(view.direction).toBe("ASC");
  });
});

describe("inventory filter", () => {
  it("sends only the conditions that narrow the list", () => {
    expect(toFilter(DEFAULT_VIEW, "  ")).toEqual({});
    expect(toFilter({ ...DEFAULT_VIEW, brand: ["Anker"], bestsellersOnly: true }, " usb ")).toEqual({
      search: "usb",
      brand: ["Anker"],
      isBestseller: true,
    });
  });
});
