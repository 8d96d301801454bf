import { describe, expect, it } from "vitest";
import type { ListingStatus } from "../../gql/graphql";
import { DEFAULT_VIEW, parseView, serializeView, toExportParams, toFilter } from "./inventory-view";

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

describe("toExportParams", () => {
  it("sends the page's filter under the API's field names, lists repeated, and its order", () => {
    const view = {
      ...DEFAULT_VIEW,
      status: ["ACTIVE", "INACTIVE"] as ListingStatus[],
      category: ["Home, Garden", "Toys"],
      bestsellersOnly: true,
      sort: "PRICE" as const,
      direction: "DESC" as const,
    };
    const params = toExportParams(toFilter(view, "  usb  "), view);
    expect(params.getAll("status")).toEqual(["ACTIVE", "INACTIVE"]);
    expect(params.getAll("category")).toEqual(["Home, Garden", "Toys"]);
    expect(params.get("search")).toBe("usb");
    expect(params.get("isBestseller")).toBe("true");
    expect(params.get("orderBy")).toBe("PRICE");
    expect(params.get("direction")).toBe("DESC");
    expect([...params.keys()]).not.toContain("brand");
  });
});
