import { describe, expect, it } from "vitest";
import { StockLevel } from "./inventory.types";
import { stockLevel } from "./stock-level";

describe("stockLevel", () => {
  const t = { lowStockThreshold: 10, outOfStockThreshold: 0 };

  it("calls zero available out of stock and negative available out of stock too", () => {
    expect(stockLevel(0, t)).toBe(StockLevel.OUT_OF_STOCK);
    expect(stockLevel(-2, t)).toBe(StockLevel.OUT_OF_STOCK);
  });

  it("calls anything up to the low-stock threshold low", () => {
    expect(stockLevel(1, t)).toBe(StockLevel.LOW_STOCK);
    expect(stockLevel(10, t)).toBe(StockLevel.LOW_STOCK);
  });

  it("calls anything above the low-stock threshold in stock", () => {
    expect(stockLevel(11, t)).toBe(StockLevel.IN_STOCK);
  });

  it("follows the tenant's own thresholds", () => {
    expect(stockLevel(3, { lowStockThreshold: 25, outOfStockThreshold: 5 })).toBe(StockLevel.OUT_OF_STOCK);
    expect(stockLevel(20, { lowStockThreshold: 25, outOfStockThreshold: 5 })).toBe(StockLevel.LOW_STOCK);
  });
});
