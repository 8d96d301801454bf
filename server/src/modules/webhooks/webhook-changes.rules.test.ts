import { describe, expect, it } from "vitest";
import type { NotificationChange } from "../../connectors";
import { type ConnectionRules, planChanges, type SkuState, sortChanges } from "./webhook-changes.rules";

const AMAZON = "c-amazon";
const MEDUSA = "c-medusa";
const rules = (id: string, over: Partial<ConnectionRules> = {}): ConnectionRules => ({
  id,
  stockPercentage: 100,
  stockBuffer: 0,
  stockMax: null,
  ...over,
});

function state(sku: string, quantity: number, amazon: number, medusa: number, reserved = 0): SkuState {
  return {
    inventoryId: `inv-${sku}`,
    productId: `prod-${sku}`,
    quantity,
    reserved,
    listings: [
      { id: `l-${sku}-a`, connectionId: AMAZON, platform: "AMAZON", quantity: amazon },
      { id: `l-${sku}-m`, connectionId: MEDUSA, platform: "MEDUSA", quantity: medusa },
    ],
  };
}

const quantity = (sku: string, q: number): NotificationChange => ({ sku, kind: "QUANTITY", quantity: q });
const plan = (
  changes: NotificationChange[],
  states: SkuState[],
  connections = [rules(AMAZON), rules(MEDUSA)],
) =>
  planChanges({
    changes,
    states: new Map(states.map((s, i) => [changes[i]?.sku ?? `sku-${i}`, s])),
    sourceConnectionId: AMAZON,
    sourcePlatform: "AMAZON",
    connections,
  });

describe("what a notification's changes do", () => {
  it("turns a sale on the source platform into lower quantities everywhere, urgently", () => {
    const result = plan([quantity("A", 8)], [state("A", 10, 10, 10)]);
    expect(result.listings).toEqual([
      { id: "l-A-a", quantity: 8, confirmed: true },
      { id: "l-A-m", quantity: 8, confirmed: false },
    ]);
    expect(result.inventory).toEqual([{ id: "inv-A", quantity: 8 }]);
    expect(result.items).toEqual([
      {
        productId: "prod-A",
        sku: "A",
        platform: "MEDUSA",
        field: "quantity",
        fromValue: 10,
        toValue: 8,
        expectedQuantity: 10,
      },
    ]);
    expect(result.history.map((h) => [h.platform ?? null, h.oldValue, h.newValue])).toEqual([
      ["AMAZON", 10, 8],
      [null, 10, 8],
    ]);
    expect(result.deferred).toEqual([]);
  });

  it("publishes the other platform's own rules (percentage, buffer) of what is left after reserved units", () => {
    const result = plan(
      [quantity("A", 17)],
      [state("A", 20, 20, 9, 2)],
      [rules(AMAZON), rules(MEDUSA, { stockPercentage: 50, stockBuffer: 1 })],
    );
    // 20 - 3 sold = 17 in stock, 15 available, 50 % = 7, minus 1 buffer = 6 (below Medusa's 9).
    expect(result.items).toMatchObject([{ platform: "MEDUSA", fromValue: 9, toValue: 6 }]);
  });

  it("writes nothing urgent to a platform already at or below the new target", () => {
    const result = plan([quantity("A", 8)], [state("A", 10, 10, 5)]);
    expect(result.items).toEqual([]);
    expect(result.inventory).toEqual([{ id: "inv-A", quantity: 8 }]);
  });

  it("hands an increase to a sync instead of relisting from the notification", () => {
    const result = plan([quantity("A", 15)], [state("A", 10, 10, 10)]);
    expect(result).toMatchObject({ listings: [], inventory: [], items: [], deferred: ["A"] });
  });

  it("does nothing for a quantity the source already shows (our own write coming back)", () => {
    expect(plan([quantity("A", 10)], [state("A", 10, 10, 10)])).toEqual({
      listings: [],
      inventory: [],
      history: [],
      items: [],
      deferred: [],
    });
  });

  it("defers unknown SKUs, status and price changes; ignores feed results and changes without a SKU", () => {
    const result = planChanges({
      changes: [
        quantity("UNKNOWN", 1),
        { sku: "B", kind: "STATUS", status: "INACTIVE" },
        { sku: "C", kind: "PRICE", price: "9.99" },
        { sku: "", kind: "QUANTITY", quantity: 1 },
        { sku: "", kind: "FEED_FINISHED" },
        { sku: "D", kind: "QUANTITY", quantity: -1 },
        { sku: "E", kind: "QUANTITY", quantity: 1.5 },
      ],
      states: new Map(),
      sourceConnectionId: AMAZON,
      sourcePlatform: "AMAZON",
      connections: [],
    });
    expect(result.deferred.sort()).toEqual(["B", "C", "D", "E", "UNKNOWN"]);
    expect(result.items).toEqual([]);
  });

  it("acts on a sale and still defers the same SKU's status change", () => {
    const result = plan(
      [quantity("A", 9), { sku: "A", kind: "STATUS", status: "INACTIVE" }],
      [state("A", 10, 10, 10)],
    );
    expect(result.items).toHaveLength(1);
    expect(result.deferred).toEqual(["A"]);
  });

  it("takes the last quantity of a SKU named twice in one notification", () => {
    expect(sortChanges([quantity("A", 5), quantity("A", 3)]).quantities.get("A")).toBe(3);
  });

  it("never lowers our record below zero", () => {
    const result = plan([quantity("A", 0)], [state("A", 2, 10, 2)]);
    expect(result.inventory).toEqual([{ id: "inv-A", quantity: 0 }]);
    expect(result.items).toMatchObject([{ platform: "MEDUSA", toValue: 0 }]);
  });
});
