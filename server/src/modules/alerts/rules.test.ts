import { describe, expect, it } from "vitest";
import { conflictAlert, priceVarianceAlert, priceVariancePct, stockAlert, syncErrorAlert } from "./rules";

const thresholds = { lowStockThreshold: 10, outOfStockThreshold: 0 };
const listing = { platform: "AMAZON", sku: "SKU-1", quantity: 0, status: "ACTIVE", isBestseller: false };

describe("stockAlert", () => {
  it("raises OUT_OF_STOCK, CRITICAL on a bestseller and HIGH otherwise, keyed like the seed", () => {
    expect(stockAlert({ ...listing, isBestseller: true }, thresholds)).toMatchObject({
      type: "OUT_OF_STOCK",
      priority: "CRITICAL",
      dedupeKey: "OUT_OF_STOCK:AMAZON:SKU-1",
    });
    expect(stockAlert(listing, thresholds)?.priority).toBe("HIGH");
  });

  it("raises LOW_STOCK at or below the low-stock threshold", () => {
    expect(stockAlert({ ...listing, quantity: 10 }, thresholds)).toMatchObject({
      type: "LOW_STOCK",
      priority: "MEDIUM",
      dedupeKey: "LOW_STOCK:AMAZON:SKU-1",
    });
    expect(stockAlert({ ...listing, quantity: 11 }, thresholds)).toBeNull();
  });

  it("raises nothing for a listing that does not sell", () => {
    expect(stockAlert({ ...listing, status: "INACTIVE" }, thresholds)).toBeNull();
  });
});

describe("priceVarianceAlert", () => {
  it("measures the spread against the lower price, in decimals", () => {
    expect(priceVariancePct(["20.00", "21.00"])).toBe(5);
    expect(priceVariancePct(["19.99", "19.99"])).toBe(0);
  });

  it("raises PRICE_VARIANCE only above the tenant's limit", () => {
    expect(priceVarianceAlert({ sku: "S", values: { AMAZON: "20.00", MEDUSA: "21.00" } }, 5)).toBeNull();
    expect(priceVarianceAlert({ sku: "S", values: { AMAZON: "20.00", MEDUSA: "21.02" } }, 5)).toMatchObject({
      type: "PRICE_VARIANCE",
      priority: "MEDIUM",
      dedupeKey: "PRICE_VARIANCE:S",
    });
    expect(priceVarianceAlert({ sku: "S", values: { AMAZON: "20.00", MEDUSA: "30.00" } }, 5)?.priority).toBe(
      "HIGH",
    );
  });
});

describe("conflictAlert", () => {
  it("rates a quantity disagreement HIGH (overselling risk) and a status one LOW", () => {
    expect(
      conflictAlert({ sku: "S", field: "quantity", values: { AMAZON: 3, MEDUSA: 5 }, strategy: "MANUAL" }),
    ).toMatchObject({ type: "SYNC_CONFLICT", priority: "HIGH", dedupeKey: "SYNC_CONFLICT:S:quantity" });
    expect(
      conflictAlert({
        sku: "S",
        field: "status",
        values: { AMAZON: "ACTIVE", MEDUSA: "INACTIVE" },
        strategy: "MANUAL",
      }).priority,
    ).toBe("LOW");
  });
});

describe("syncErrorAlert", () => {
  it("raises SYNC_ERROR keyed by job when a job failed or some writes did", () => {
    const job = { id: "j1", type: "FULL", status: "SUCCEEDED", failedItems: 0, error: null };
    expect(syncErrorAlert(job)).toBeNull();
    expect(syncErrorAlert({ ...job, failedItems: 3 })).toMatchObject({
      priority: "MEDIUM",
      dedupeKey: "SYNC_ERROR:j1",
    });
    expect(syncErrorAlert({ ...job, status: "FAILED", error: "Amazon is down" })).toMatchObject({
      priority: "HIGH",
      message: "Amazon is down",
    });
  });
});
