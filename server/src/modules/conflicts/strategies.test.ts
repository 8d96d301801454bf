import { describe, expect, it } from "vitest";
import { compareDecimal, resolveConflictValue } from "./strategies";

const priorities = { AMAZON: 1, MEDUSA: 2, SHOPIFY: 3 };

describe("resolveConflictValue", () => {
  it("takes the value of the platform with the lowest priority number under SOURCE_WINS", () => {
    expect(
      resolveConflictValue("SOURCE_WINS", "PRICE", { MEDUSA: "21.50", AMAZON: "19.99" }, priorities),
    ).toEqual({ value: "19.99", winner: "AMAZON" });
    expect(
      resolveConflictValue("SOURCE_WINS", "QUANTITY", { MEDUSA: 4, AMAZON: 9 }, { AMAZON: 5, MEDUSA: 2 }),
    ).toEqual({ value: 4, winner: "MEDUSA" });
  });

  it("resolves a price conflict to the highest value when the strategy is HIGHEST_WINS", () => {
    expect(
      resolveConflictValue("HIGHEST_WINS", "PRICE", { AMAZON: "19.99", MEDUSA: "21.50" }, priorities),
    ).toEqual({ value: "21.50", winner: "MEDUSA" });
  });

  it("resolves a quantity conflict to the lowest value when the strategy is LOWEST_WINS", () => {
    expect(resolveConflictValue("LOWEST_WINS", "QUANTITY", { AMAZON: 12, MEDUSA: 7 }, priorities)).toEqual({
      value: 7,
      winner: "MEDUSA",
    });
  });

  it("compares prices as decimals, not as strings or floats", () => {
    // As strings "9.99" > "10.00"; as floats 0.1 + 0.2 style errors could tie distinct prices.
    expect(
      resolveConflictValue("HIGHEST_WINS", "PRICE", { AMAZON: "9.99", MEDUSA: "10.00" }, priorities),
    ).toEqual({ value: "10.00", winner: "MEDUSA" });
    expect(
      resolveConflictValue(
        "LOWEST_WINS",
        "PRICE",
        { AMAZON: "100000000.01", MEDUSA: "100000000.02" },
        priorities,
      ),
    ).toEqual({ value: "100000000.01", winner: "AMAZON" });
    expect(compareDecimal("19.9", "19.90")).toBe(0);
    expect(compareDecimal("0.30", 0.3)).toBe(0);
    expect(compareDecimal("-1.5", "1")).toBeLessThan(0);
  });

  it("gives a tie to the platform with the higher priority", () => {
    expect(
      resolveConflictValue("HIGHEST_WINS", "QUANTITY", { MEDUSA: 8, AMAZON: 8, SHOPIFY: 3 }, priorities),
    ).toEqual({ value: 8, winner: "AMAZON" });
  });

  it("falls back to SOURCE_WINS for STATUS and DATA under HIGHEST_WINS and LOWEST_WINS", () => {
    for (const strategy of ["HIGHEST_WINS", "LOWEST_WINS"] as const) {
      expect(
        resolveConflictValue(strategy, "STATUS", { MEDUSA: "ACTIVE", AMAZON: "INACTIVE" }, priorities),
      ).toEqual({ value: "INACTIVE", winner: "AMAZON" });
      expect(resolveConflictValue(strategy, "DATA", { MEDUSA: "Blue", AMAZON: "Navy" }, priorities)).toEqual({
        value: "Navy",
        winner: "AMAZON",
      });
    }
  });

  it("leaves a conflict to a person under MANUAL", () => {
    expect(
      resolveConflictValue("MANUAL", "PRICE", { AMAZON: "1.00", MEDUSA: "2.00" }, priorities),
    ).toBeNull();
  });

  it("never picks a platform that has no value", () => {
    expect(
      resolveConflictValue("SOURCE_WINS", "PRICE", { AMAZON: null, MEDUSA: "5.00" }, priorities),
    ).toEqual({
      value: "5.00",
      winner: "MEDUSA",
    });
    expect(
      resolveConflictValue("LOWEST_WINS", "QUANTITY", { AMAZON: null, MEDUSA: null }, priorities),
    ).toEqual({
      value: null,
      winner: null,
    });
  });

  it("ranks platforms without a priority last", () => {
    expect(resolveConflictValue("SOURCE_WINS", "QUANTITY", { EBAY: 1, MEDUSA: 2 }, { MEDUSA: 50 })).toEqual({
      value: 2,
      winner: "MEDUSA",
    });
  });
});
