import { describe, expect, it } from "vitest";
import {
  applyPolicy,
  type BulkRow,
  type CurrentItem,
  checkRow,
  normalizePrice,
  publishedQuantity,
} from "./bulk-update.rules";

const item = (sku: string, over: Partial<CurrentItem> = {}): CurrentItem => ({
  id: `id-${sku}`,
  productId: `p-${sku}`,
  sku,
  quantity: 10,
  reservedQuantity: 0,
  price: "10.00",
  status: "ACTIVE",
  ...over,
});

function check(rows: BulkRow[], items: CurrentItem[]) {
  const bySku = new Map(items.map((i) => [i.sku, i]));
  const seen = new Set<string>();
  return rows.map((r, i) => checkRow(i, r, bySku.get(r.sku), seen));
}

const codes = (c: { errors: { field: string[]; code: string }[] }) =>
  c.errors.map((e) => `${e.field.join(".")}:${e.code}`);

describe("bulk update row checks", () => {
  it("reports each kind of bad row with its field path and code", () => {
    const checks = check(
      [
        { sku: "NOPE", quantity: 1 },
        { sku: "A", quantity: 1, quantityDelta: 2 },
        { sku: "B" },
        { sku: "C", quantityDelta: -11 },
        { sku: "D", price: "1.999" },
        { sku: "E", price: "-1.00" },
        { sku: "F", quantity: 3, expectedQuantity: 9 },
        { sku: "G", status: "SUPPRESSED" },
        { sku: "A", quantity: 5 },
        { sku: "H", price: " 19.99 " },
      ],
      ["A", "B", "C", "D", "E", "F", "G", "H"].map((s) => item(s)),
    );
    expect(checks.map(codes)).toEqual([
      ["updates.0.sku:NOT_FOUND"],
      ["updates.1.quantityDelta:MUTUALLY_EXCLUSIVE"],
      ["updates.2:NO_CHANGES"],
      ["updates.3.quantityDelta:NEGATIVE_QUANTITY"],
      ["updates.4.price:INVALID_PRICE"],
      ["updates.5.price:NEGATIVE_PRICE"],
      ["updates.6.expectedQuantity:QUANTITY_MISMATCH"],
      ["updates.7.status:INVALID_STATUS"],
      ["updates.8.sku:DUPLICATE_SKU"],
      ["updates.9.price:INVALID_PRICE"],
    ]);
    expect(checks.map((c) => c.rowFatal)).toEqual([
      true,
      false,
      true,
      false,
      false,
      false,
      true,
      false,
      true,
      false,
    ]);
  });

  it("records only the fields that differ, with exact prices", () => {
    const [c] = check([{ sku: "A", quantityDelta: 5, price: "10", status: "INACTIVE" }], [item("A")]);
    expect(c!.errors).toEqual([]);
    expect(c!.changes).toEqual([
      { field: "quantity", from: 10, to: 15 },
      { field: "status", from: "ACTIVE", to: "INACTIVE" },
    ]);
    expect(normalizePrice("007.5")).toBe("7.50");
  });

  it("accepts a matching expectedQuantity", () => {
    const [c] = check([{ sku: "A", quantity: 0, expectedQuantity: 10 }], [item("A")]);
    expect(c!.errors).toEqual([]);
    expect(c!.changes).toEqual([{ field: "quantity", from: 10, to: 0 }]);
  });
});

describe("error policies", () => {
  const rows: BulkRow[] = [
    { sku: "A", quantity: 1 },
    { sku: "B", quantity: -1, price: "12.00" },
    { sku: "C", quantity: 10 },
    { sku: "X", quantity: 1 },
  ];
  const items = [item("A"), item("B"), item("C")];

  it("REJECT_EVERYTHING applies nothing when any row fails", () => {
    const out = applyPolicy(check(rows, items), "REJECT_EVERYTHING", false);
    expect(out.results.map((r) => r.status)).toEqual(["REJECTED", "FAILED", "REJECTED", "FAILED"]);
    expect(out.toApply).toEqual([]);
    expect(out.userErrors.map((e) => e.code)).toEqual(["NEGATIVE_QUANTITY", "NOT_FOUND"]);
  });

  it("REJECT_FAILED_ROWS applies the valid rows and reports the failed ones", () => {
    const out = applyPolicy(check(rows, items), "REJECT_FAILED_ROWS", false);
    expect(out.results.map((r) => r.status)).toEqual(["APPLIED", "FAILED", "UNCHANGED", "FAILED"]);
    expect(out.toApply.map((r) => r.sku)).toEqual(["A"]);
    expect(out.userErrors).toHaveLength(2);
  });

  it("IGNORE_FAILED applies the valid fields of each row and keeps errors out of userErrors", () => {
    const out = applyPolicy(check(rows, items), "IGNORE_FAILED", false);
    expect(out.results.map((r) => r.status)).toEqual(["APPLIED", "APPLIED", "UNCHANGED", "FAILED"]);
    expect(out.toApply.map((r) => [r.sku, r.changes.map((c) => c.field)])).toEqual([
      ["A", ["quantity"]],
      ["B", ["price"]],
    ]);
    expect(out.results[1]!.errors.map((e) => e.code)).toEqual(["NEGATIVE_QUANTITY"]);
    expect(out.userErrors).toEqual([]);
  });

  it("marks a dry run's valid rows PLANNED", () => {
    const out = applyPolicy(check([{ sku: "A", quantity: 2 }], items), "REJECT_EVERYTHING", true);
    expect(out.results[0]!.status).toBe("PLANNED");
  });
});

describe("published quantity", () => {
  it("takes the channel's share of available stock, minus the buffer, capped, never negative", () => {
    expect(publishedQuantity(40, { stockPercentage: 20, stockBuffer: 1, stockMax: 10 })).toBe(7);
    expect(publishedQuantity(40, { stockPercentage: 100, stockBuffer: 0, stockMax: 10 })).toBe(10);
    expect(publishedQuantity(1, { stockPercentage: 100, stockBuffer: 2, stockMax: null })).toBe(0);
    expect(publishedQuantity(-3, { stockPercentage: 100, stockBuffer: 0, stockMax: null })).toBe(0);
  });
});
