import { describe, expect, it } from "vitest";
import {
  compareDecimal,
  formatAge,
  formatDate,
  formatMoney,
  humanize,
  percentChange,
  subtractDecimal,
} from "./format";

describe("money display", () => {
  it("formats a decimal string as currency without passing through a float", () => {
    expect(formatMoney("19.99", "USD")).toMatch(/19\.99/);
    expect(formatMoney("12345678901234567.89", "USD")).toMatch(/12,345,678,901,234,567\.89/);
    expect(formatMoney(null, "USD")).toBe("—");
  });

  it("compares and subtracts decimals exactly", () => {
    expect(compareDecimal("19.90", "19.9")).toBe(0);
    expect(compareDecimal("0.10", "0.2")).toBe(-1);
    expect(subtractDecimal("21.50", "19.99")).toBe("1.51");
    expect(subtractDecimal("19.99", "21.50")).toBe("-1.51");
    expect(subtractDecimal("0.3", "0.1")).toBe("0.2");
  });

  it("reports the change between two prices in percent of the first", () => {
    expect(percentChange("20.00", "21.00")).toBe(5);
    expect(percentChange("0.00", "1.00")).toBeNull();
  });
});

describe("labels", () => {
  it("shortens ages to their largest unit", () => {
    expect(formatAge(42)).toBe("42s");
    expect(formatAge(3_700)).toBe("1h");
    expect(formatAge(200_000)).toBe("2d");
  });

  it("turns enum values into words", () => {
    expect(humanize("OUT_OF_STOCK")).toBe("Out of stock");
  });
});

describe("dates", () => {
  it("shows the day of an instant, and leaves what is not a date as it came", () => {
    const iso = "2026-03-04T10:20:30.000Z";
    expect(formatDate(iso)).toBe(new Date(iso).toLocaleDateString());
    expect(formatDate(iso)).not.toContain("20:30");
    expect(formatDate("not a date")).toBe("not a date");
  });
});
