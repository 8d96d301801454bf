import { StockLevel } from "./inventory.types";

export interface StockThresholds {
  lowStockThreshold: number;
  outOfStockThreshold: number;
}

/** Out of stock at or below the out-of-stock threshold, low at or below the low-stock threshold. */
export function stockLevel(available: number, t: StockThresholds): StockLevel {
  if (available <= t.outOfStockThreshold) return StockLevel.OUT_OF_STOCK;
  if (available <= t.lowStockThreshold) return StockLevel.LOW_STOCK;
  return StockLevel.IN_STOCK;
}

/** The available-quantity range of each stock level, as Prisma conditions. */
export function stockLevelCondition(level: StockLevel, t: StockThresholds) {
  switch (level) {
    case StockLevel.OUT_OF_STOCK:
      return { availableQuantity: { lte: t.outOfStockThreshold } };
    case StockLevel.LOW_STOCK:
      return { availableQuantity: { gt: t.outOfStockThreshold, lte: t.lowStockThreshold } };
    case StockLevel.IN_STOCK:
      return { availableQuantity: { gt: t.lowStockThreshold } };
  }
}
