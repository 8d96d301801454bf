import type { NotificationChange } from "../../connectors";
import type { PlatformKind } from "../../generated/prisma/enums";
import { publishedQuantity } from "../catalog";
import type { HistoryRow } from "../history";
import type { PlannedItem } from "../sync";

/** Our record of one SKU, as the notification finds it (locked for the transaction that acts on it). */
export interface SkuState {
  inventoryId: string;
  productId: string;
  quantity: number;
  reserved: number;
  listings: { id: string; connectionId: string; platform: PlatformKind; quantity: number }[];
}

export interface ConnectionRules {
  id: string;
  stockPercentage: number;
  stockBuffer: number;
  stockMax: number | null;
}

/**
 * Splits a notification's changes: a quantity (a whole number of 0 or more) may be a sale to act on now; every
 * other change (status, price, anything unrecognised) is read by a sync instead. Feed results change nothing.
 */
export function sortChanges(changes: readonly NotificationChange[]): {
  quantities: Map<string, number>;
  deferred: Set<string>;
} {
  const quantities = new Map<string, number>();
  const deferred = new Set<string>();
  for (const c of changes) {
    if (!c.sku || c.kind === "FEED_FINISHED") continue;
    if (c.kind === "QUANTITY" && Number.isInteger(c.quantity) && (c.quantity as number) >= 0) {
      // Within one notification the last value of a SKU is its newest.
      quantities.set(c.sku, c.quantity as number);
    } else {
      deferred.add(c.sku);
    }
  }
  return { quantities, deferred };
}

export interface ChangePlan {
  /** Listing quantities to write: the source's as confirmed by the notification, the others' new targets. */
  listings: { id: string; quantity: number; confirmed: boolean }[];
  inventory: { id: string; quantity: number }[];
  history: HistoryRow[];
  /** Writes for the urgent WEBHOOK job: the other platforms' lower quantities, compare-and-set. */
  items: PlannedItem[];
  /** SKUs a PARTIAL sync reads instead: increases, unknown SKUs, anything not measured against a known value. */
  deferred: string[];
}

/**
 * Decides what a notification's changes do. A quantity below the source listing's is a sale: the listing takes
 * the new value, our record drops by the units sold, and every other platform whose published quantity would
 * now be lower gets it at once. An increase waits for a sync that reads every platform, because a stale
 * notification must never relist an item that already sold; an unchanged quantity does nothing.
 */
export function planChanges(input: {
  changes: readonly NotificationChange[];
  states: ReadonlyMap<string, SkuState>;
  sourceConnectionId: string;
  sourcePlatform: PlatformKind;
  connections: readonly ConnectionRules[];
}): ChangePlan {
  const { quantities, deferred } = sortChanges(input.changes);
  const plan: ChangePlan = { listings: [], inventory: [], history: [], items: [], deferred: [] };
  for (const [sku, quantity] of quantities) {
    const state = input.states.get(sku);
    const source = state?.listings.find((l) => l.connectionId === input.sourceConnectionId);
    if (!state || !source || quantity > source.quantity) {
      deferred.add(sku);
      continue;
    }
    if (quantity === source.quantity) continue;
    const sold = source.quantity - quantity;
    const newQuantity = Math.max(state.quantity - sold, 0);
    plan.listings.push({ id: source.id, quantity, confirmed: true });
    plan.history.push({
      productId: state.productId,
      sku,
      field: "quantity",
      oldValue: source.quantity,
      newValue: quantity,
      platform: input.sourcePlatform,
      connectionId: input.sourceConnectionId,
    });
    if (newQuantity !== state.quantity) {
      plan.inventory.push({ id: state.inventoryId, quantity: newQuantity });
      plan.history.push({
        productId: state.productId,
        sku,
        field: "quantity",
        oldValue: state.quantity,
        newValue: newQuantity,
      });
    }
    for (const listing of state.listings) {
      if (listing.id === source.id) continue;
      const rules = input.connections.find((c) => c.id === listing.connectionId);
      if (!rules) continue;
      const target = publishedQuantity(newQuantity - state.reserved, rules);
      // Only the decrease is urgent; a higher target waits for the next sync like any increase.
      if (target >= listing.quantity) continue;
      plan.listings.push({ id: listing.id, quantity: target, confirmed: false });
      plan.items.push({
        productId: state.productId,
        sku,
        platform: listing.platform,
        field: "quantity",
        fromValue: listing.quantity,
        toValue: target,
        expectedQuantity: listing.quantity,
      });
    }
  }
  plan.deferred = [...deferred];
  return plan;
}
