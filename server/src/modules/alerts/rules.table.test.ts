import { describe, expect, it } from "vitest";
import {
  type AlertDraft,
  agedConflictAlert,
  conflictAlert,
  evaluateItem,
  type ItemSnapshot,
  priceChangeAlert,
  priceVarianceAlert,
  stockAlert,
  syncErrorAlert,
} from "./rules";

const settings = { lowStockThreshold: 10, outOfStockThreshold: 0, maxPriceVariancePct: 5 };
const now = new Date("2026-12-14T12:00:00Z");
const hoursAgo = (h: number) => new Date(now.getTime() - h * 3_600_000);

const listing = (quantity: number, extra: Partial<Parameters<typeof stockAlert>[0]> = {}) =>
  stockAlert(
    { platform: "AMAZON", sku: "S1", quantity, status: "ACTIVE", isBestseller: false, ...extra },
    settings,
  );

// One row per rule outcome: every alert type and every priority appears at least once.
const table: Array<
  [string, () => AlertDraft | null, Pick<AlertDraft, "type" | "priority" | "dedupeKey"> | null]
> = [
  [
    "out of stock on a bestseller",
    () => listing(0, { isBestseller: true }),
    { type: "OUT_OF_STOCK", priority: "CRITICAL", dedupeKey: "OUT_OF_STOCK:AMAZON:S1" },
  ],
  [
    "out of stock",
    () => listing(0),
    { type: "OUT_OF_STOCK", priority: "HIGH", dedupeKey: "OUT_OF_STOCK:AMAZON:S1" },
  ],
  [
    "low stock at the threshold",
    () => listing(10),
    { type: "LOW_STOCK", priority: "MEDIUM", dedupeKey: "LOW_STOCK:AMAZON:S1" },
  ],
  [
    "low stock on a bestseller stays medium",
    () => listing(3, { isBestseller: true }),
    { type: "LOW_STOCK", priority: "MEDIUM", dedupeKey: "LOW_STOCK:AMAZON:S1" },
  ],
  ["enough stock", () => listing(11), null],
  ["a listing that does not sell", () => listing(0, { status: "SUPPRESSED", isBestseller: true }), null],
  [
    "prices 20% apart between platforms (over 3x the limit)",
    () => priceVarianceAlert({ sku: "S1", values: { AMAZON: "10.00", MEDUSA: "12.00" } }, 5),
    { type: "PRICE_VARIANCE", priority: "HIGH", dedupeKey: "PRICE_VARIANCE:S1" },
  ],
  [
    "prices 10% apart between platforms",
    () => priceVarianceAlert({ sku: "S1", values: { AMAZON: "10.00", MEDUSA: "11.00" } }, 5),
    { type: "PRICE_VARIANCE", priority: "MEDIUM", dedupeKey: "PRICE_VARIANCE:S1" },
  ],
  [
    "prices 5% apart, at the limit",
    () => priceVarianceAlert({ sku: "S1", values: { AMAZON: "10.00", MEDUSA: "10.50" } }, 5),
    null,
  ],
  [
    "a price dropped to a tenth of the previous one",
    () => priceChangeAlert({ platform: "MEDUSA", sku: "S1", from: "20.00", to: "2.00" }, 5),
    { type: "PRICE_VARIANCE", priority: "HIGH", dedupeKey: "PRICE_CHANGE:MEDUSA:S1" },
  ],
  [
    "a price raised 8% from the previous one",
    () => priceChangeAlert({ platform: "MEDUSA", sku: "S1", from: "10.00", to: "10.80" }, 5),
    { type: "PRICE_VARIANCE", priority: "MEDIUM", dedupeKey: "PRICE_CHANGE:MEDUSA:S1" },
  ],
  [
    "a price moved 3% from the previous one",
    () => priceChangeAlert({ platform: "MEDUSA", sku: "S1", from: "10.00", to: "10.30" }, 5),
    null,
  ],
  [
    "a failed sync",
    () => syncErrorAlert({ id: "j1", type: "FULL", status: "FAILED", failedItems: 0, error: "boom" }),
    { type: "SYNC_ERROR", priority: "HIGH", dedupeKey: "SYNC_ERROR:j1" },
  ],
  [
    "a sync that could not apply some writes",
    () => syncErrorAlert({ id: "j2", type: "FULL", status: "SUCCEEDED", failedItems: 3, error: null }),
    { type: "SYNC_ERROR", priority: "MEDIUM", dedupeKey: "SYNC_ERROR:j2" },
  ],
  [
    "a sync that went well",
    () => syncErrorAlert({ id: "j3", type: "FULL", status: "SUCCEEDED", failedItems: 0, error: null }),
    null,
  ],
  [
    "a quantity conflict (overselling risk)",
    () =>
      conflictAlert({ sku: "S1", field: "quantity", values: { AMAZON: 3, MEDUSA: 7 }, strategy: "MANUAL" }),
    { type: "SYNC_CONFLICT", priority: "HIGH", dedupeKey: "SYNC_CONFLICT:S1:quantity" },
  ],
  [
    "a price conflict",
    () =>
      conflictAlert({ sku: "S1", field: "price", values: { AMAZON: "1", MEDUSA: "2" }, strategy: "MANUAL" }),
    { type: "SYNC_CONFLICT", priority: "MEDIUM", dedupeKey: "SYNC_CONFLICT:S1:price" },
  ],
  [
    "a status conflict (minor)",
    () =>
      conflictAlert({
        sku: "S1",
        field: "status",
        values: { AMAZON: "ACTIVE", MEDUSA: "INACTIVE" },
        strategy: "MANUAL",
      }),
    { type: "SYNC_CONFLICT", priority: "LOW", dedupeKey: "SYNC_CONFLICT:S1:status" },
  ],
  [
    "a conflict open past the limit",
    () => agedConflictAlert({ id: "c1", sku: "S1", field: "price", createdAt: hoursAgo(25) }, 24, now),
    { type: "SYNC_CONFLICT", priority: "HIGH", dedupeKey: "CONFLICT_AGED:c1" },
  ],
  [
    "a conflict younger than the limit",
    () => agedConflictAlert({ id: "c2", sku: "S1", field: "price", createdAt: hoursAgo(23) }, 24, now),
    null,
  ],
];

describe("alert rules", () => {
  it.each(table)("%s", (_name, rule, expected) => {
    const draft = rule();
    if (expected === null) expect(draft).toBeNull();
    else expect(draft).toMatchObject(expected);
  });

  it("covers every alert type the rules raise and every priority", () => {
    const drafts = table.map(([, rule]) => rule()).filter((d): d is AlertDraft => d !== null);
    expect(new Set(drafts.map((d) => d.priority))).toEqual(new Set(["CRITICAL", "HIGH", "MEDIUM", "LOW"]));
    expect(new Set(drafts.map((d) => d.type))).toEqual(
      new Set(["OUT_OF_STOCK", "LOW_STOCK", "PRICE_VARIANCE", "SYNC_ERROR", "SYNC_CONFLICT"]),
    );
  });
});

const item = (over: Partial<ItemSnapshot> = {}): ItemSnapshot => ({
  productId: "p1",
  sku: "S1",
  title: "Kettle",
  inventory: { available: 40, status: "ACTIVE", isBestseller: true },
  listings: [
    { platform: "AMAZON", quantity: 40, price: "10.00", status: "ACTIVE" },
    { platform: "MEDUSA", quantity: 40, price: "10.00", status: "ACTIVE" },
  ],
  priceChanges: [],
  ...over,
});

describe("evaluateItem", () => {
  it("raises CRITICAL per channel and overall when a bestseller sells out, and clears the low-stock keys", () => {
    const { raise, clear } = evaluateItem(
      item({
        inventory: { available: 0, status: "ACTIVE", isBestseller: true },
        listings: [
          { platform: "AMAZON", quantity: 0, price: "10.00", status: "ACTIVE" },
          { platform: "MEDUSA", quantity: 5, price: "10.00", status: "ACTIVE" },
        ],
      }),
      settings,
    );
    expect(raise.map((d) => [d.dedupeKey, d.priority])).toEqual([
      ["OUT_OF_STOCK:AMAZON:S1", "CRITICAL"],
      ["LOW_STOCK:MEDUSA:S1", "MEDIUM"],
      ["OUT_OF_STOCK:ALL:S1", "CRITICAL"],
    ]);
    expect(clear.map((c) => c.key)).toEqual([
      "LOW_STOCK:AMAZON:S1",
      "OUT_OF_STOCK:MEDUSA:S1",
      "LOW_STOCK:ALL:S1",
      "PRICE_VARIANCE:S1",
    ]);
    expect(clear.find((c) => c.key === "PRICE_VARIANCE:S1")?.reason).toBe(
      "Prices back in line: AMAZON 10.00, MEDUSA 10.00",
    );
  });

  it("clears every stock key with the stock restored as its reason", () => {
    const { raise, clear } = evaluateItem(item(), settings);
    expect(raise).toEqual([]);
    expect(clear.find((c) => c.key === "OUT_OF_STOCK:AMAZON:S1")?.reason).toBe(
      "Stock restored on AMAZON: 40 units available",
    );
    expect(clear.find((c) => c.key === "OUT_OF_STOCK:ALL:S1")?.reason).toBe(
      "Stock restored on every channel: 40 units available",
    );
  });

  it("judges price jumps only on the changes it is given, and clears one that came back in line", () => {
    const jumped = evaluateItem(
      item({ priceChanges: [{ platform: "AMAZON", from: "10.00", to: "1.00" }] }),
      settings,
    );
    expect(jumped.raise.map((d) => d.dedupeKey)).toContain("PRICE_CHANGE:AMAZON:S1");
    const back = evaluateItem(
      item({ priceChanges: [{ platform: "AMAZON", from: "10.00", to: "10.20" }] }),
      settings,
    );
    expect(back.raise).toEqual([]);
    expect(back.clear.find((c) => c.key === "PRICE_CHANGE:AMAZON:S1")?.reason).toBe(
      "Price on AMAZON changed to 10.20, within 5% of 10.00",
    );
    expect(evaluateItem(item(), settings).clear.map((c) => c.key)).not.toContain("PRICE_CHANGE:AMAZON:S1");
  });

  it("raises price variance between live listings only", () => {
    const apart = item({
      listings: [
        { platform: "AMAZON", quantity: 40, price: "10.00", status: "ACTIVE" },
        { platform: "MEDUSA", quantity: 40, price: "13.00", status: "ACTIVE" },
      ],
    });
    expect(evaluateItem(apart, settings).raise.map((d) => d.dedupeKey)).toEqual(["PRICE_VARIANCE:S1"]);
    const inactive = item({
      listings: [
        { platform: "AMAZON", quantity: 40, price: "10.00", status: "ACTIVE" },
        { platform: "MEDUSA", quantity: 40, price: "13.00", status: "INACTIVE" },
      ],
    });
    const found = evaluateItem(inactive, settings);
    expect(found.raise).toEqual([]);
    expect(found.clear.find((c) => c.key === "OUT_OF_STOCK:MEDUSA:S1")?.reason).toBe(
      "Listing on MEDUSA is INACTIVE",
    );
  });
});
