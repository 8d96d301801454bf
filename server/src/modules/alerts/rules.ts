import type { AlertPriority, AlertType } from "../../generated/prisma/enums";
import { compareDecimal } from "../conflicts/strategies";

/** An alert to raise, keyed so that a repeat of the same cause updates the open alert instead of adding one. */
export interface AlertDraft {
  type: AlertType;
  priority: AlertPriority;
  title: string;
  message: string;
  payload: Record<string, unknown>;
  dedupeKey: string;
  productId?: string | null;
  jobId?: string | null;
  conflictId?: string | null;
}

export interface StockThresholds {
  lowStockThreshold: number;
  outOfStockThreshold: number;
}

const FIELD_LABEL: Record<string, string> = { quantity: "Quantity", price: "Price", status: "Status" };

/**
 * The stock alert a live listing deserves, or null: out of stock at or below the out-of-stock threshold
 * (CRITICAL on a bestseller, else HIGH), low stock at or below the low-stock threshold (MEDIUM). Listings that
 * do not sell (inactive, suppressed) raise nothing.
 */
export function stockAlert(
  listing: {
    platform: string;
    sku: string;
    title?: string | null;
    quantity: number;
    status: string;
    isBestseller: boolean;
    productId?: string | null;
  },
  thresholds: StockThresholds,
): AlertDraft | null {
  if (listing.status !== "ACTIVE") return null;
  const out = listing.quantity <= thresholds.outOfStockThreshold;
  const low = !out && listing.quantity <= thresholds.lowStockThreshold;
  if (!out && !low) return null;
  const type: AlertType = out ? "OUT_OF_STOCK" : "LOW_STOCK";
  const name = listing.title ?? listing.sku;
  return {
    type,
    priority: out ? (listing.isBestseller ? "CRITICAL" : "HIGH") : "MEDIUM",
    title: out
      ? `Out of stock on ${listing.platform}: ${listing.sku}`
      : `Low stock on ${listing.platform}: ${listing.sku}`,
    message: out
      ? `${name} has no units available on ${listing.platform}.${listing.isBestseller ? " Bestseller." : ""}`
      : `${name} has ${listing.quantity} units available on ${listing.platform} (threshold ${thresholds.lowStockThreshold}).`,
    payload: {
      sku: listing.sku,
      platform: listing.platform,
      available: listing.quantity,
      threshold: out ? thresholds.outOfStockThreshold : thresholds.lowStockThreshold,
      isBestseller: listing.isBestseller,
    },
    dedupeKey: `${type}:${listing.platform}:${listing.sku}`,
    productId: listing.productId ?? null,
  };
}

/** Every stock alert key a listing can hold, so the ones that no longer apply can be resolved. */
export function stockAlertKeys(platform: string, sku: string): string[] {
  return [`OUT_OF_STOCK:${platform}:${sku}`, `LOW_STOCK:${platform}:${sku}`];
}

/** Largest relative difference between any two prices, in percent of the lower one, to two decimals. */
export function priceVariancePct(prices: Array<string | number>): number | null {
  if (prices.length < 2) return null;
  const sorted = [...prices].map(String).sort(compareDecimal);
  const low = Number(sorted[0]);
  const high = Number(sorted.at(-1));
  if (low <= 0) return high > 0 ? 100 : 0;
  return Math.round(((high - low) / low) * 10_000) / 100;
}

/** A PRICE_VARIANCE alert when the platforms' prices differ by more than the tenant allows, else null. */
export function priceVarianceAlert(
  input: {
    sku: string;
    values: Record<string, string | number | null>;
    productId?: string | null;
    jobId?: string | null;
  },
  maxVariancePct: number,
): AlertDraft | null {
  const prices = Object.values(input.values).filter((v): v is string | number => v !== null);
  const pct = priceVariancePct(prices);
  if (pct === null || pct <= maxVariancePct) return null;
  return {
    type: "PRICE_VARIANCE",
    priority: pct > 3 * maxVariancePct ? "HIGH" : "MEDIUM",
    title: `Price differs by ${pct}% on ${input.sku}`,
    message: `Prices ${Object.entries(input.values)
      .map(([platform, value]) => `${platform} ${value}`)
      .join(", ")} differ by more than ${maxVariancePct}%.`,
    payload: { sku: input.sku, prices: input.values, variancePct: pct, maxVariancePct },
    dedupeKey: `PRICE_VARIANCE:${input.sku}`,
    productId: input.productId ?? null,
    jobId: input.jobId ?? null,
  };
}

/**
 * A SYNC_CONFLICT alert for a conflict left open. More units on a channel than another can sell is the
 * overselling risk (HIGH); a status disagreement matters least (LOW).
 */
export function conflictAlert(input: {
  sku: string;
  field: string;
  values: Record<string, string | number | null>;
  strategy: string;
  productId?: string | null;
  jobId?: string | null;
  conflictId?: string | null;
}): AlertDraft {
  const quantities = Object.values(input.values).filter((v): v is number => typeof v === "number");
  const spread = quantities.length > 1 && Math.max(...quantities) !== Math.min(...quantities);
  return {
    type: "SYNC_CONFLICT",
    priority: input.field === "quantity" && spread ? "HIGH" : input.field === "status" ? "LOW" : "MEDIUM",
    title: `${FIELD_LABEL[input.field] ?? input.field} conflict on ${input.sku}`,
    message: `Platforms disagree on ${input.field}: ${Object.entries(input.values)
      .map(([platform, value]) => `${platform} has ${value}`)
      .join(", ")}.`,
    payload: { sku: input.sku, field: input.field, values: input.values, strategy: input.strategy },
    dedupeKey: `SYNC_CONFLICT:${input.sku}:${input.field}`,
    productId: input.productId ?? null,
    jobId: input.jobId ?? null,
    conflictId: input.conflictId ?? null,
  };
}

/** A SYNC_ERROR alert for a job that failed or could not apply some of its writes; null when all went well. */
export function syncErrorAlert(job: {
  id: string;
  type: string;
  status: string;
  failedItems: number;
  error: string | null;
}): AlertDraft | null {
  if (job.status !== "FAILED" && job.failedItems === 0) return null;
  const failed = job.status === "FAILED";
  return {
    type: "SYNC_ERROR",
    priority: failed ? "HIGH" : "MEDIUM",
    title: failed ? `${job.type} sync failed` : `${job.type} sync could not apply ${job.failedItems} changes`,
    message: job.error ?? `${job.failedItems} writes failed; see the job's failures.`,
    payload: { jobId: job.id, status: job.status, failedItems: job.failedItems },
    dedupeKey: `SYNC_ERROR:${job.id}`,
    jobId: job.id,
  };
}

/** What a rule found no longer true: the key to resolve and the reason written on the alert and its history. */
export interface AlertClear {
  key: string;
  reason: string;
}

/** The platform label of the stock alerts about our own record, across every channel. */
export const ALL_CHANNELS = "ALL";

/**
 * The stock alert of our own record across every channel (available = quantity minus reserved), with the
 * same thresholds and priorities as a listing's: out of stock on a bestseller is CRITICAL.
 */
export function overallStockAlert(
  item: {
    sku: string;
    title?: string | null;
    available: number;
    status: string;
    isBestseller: boolean;
    productId?: string | null;
  },
  thresholds: StockThresholds,
): AlertDraft | null {
  const draft = stockAlert(
    { ...item, platform: ALL_CHANNELS, quantity: item.available, productId: item.productId },
    thresholds,
  );
  if (!draft) return null;
  const name = item.title ?? item.sku;
  const out = draft.type === "OUT_OF_STOCK";
  return {
    ...draft,
    title: out ? `Out of stock on every channel: ${item.sku}` : `Low stock overall: ${item.sku}`,
    message: out
      ? `${name} has no units available to sell anywhere.${item.isBestseller ? " Bestseller." : ""}`
      : `${name} has ${item.available} units available in all (threshold ${thresholds.lowStockThreshold}).`,
  };
}

/** Key of the alert about one listing's price moving too far from its own previous price. */
export function priceChangeKey(platform: string, sku: string): string {
  return `PRICE_CHANGE:${platform}:${sku}`;
}

/** Relative change from `from` to `to` in percent of `from`, to two decimals; null without a usable `from`. */
export function priceChangePct(from: string | number, to: string | number): number | null {
  const a = Number(from);
  const b = Number(to);
  if (!Number.isFinite(a) || !Number.isFinite(b)) return null;
  if (a <= 0) return b > 0 ? 100 : 0;
  return Math.round((Math.abs(b - a) / a) * 10_000) / 100;
}

/**
 * A PRICE_VARIANCE alert when a listing's price moved by more than the tenant allows from the price it had
 * before (a typo that drops a price to a tenth shows here before anyone buys at it), else null.
 */
export function priceChangeAlert(
  change: {
    platform: string;
    sku: string;
    from: string | number;
    to: string | number;
    productId?: string | null;
  },
  maxVariancePct: number,
): AlertDraft | null {
  const pct = priceChangePct(change.from, change.to);
  if (pct === null || pct <= maxVariancePct) return null;
  const direction = Number(change.to) < Number(change.from) ? "dropped" : "rose";
  return {
    type: "PRICE_VARIANCE",
    priority: pct > 3 * maxVariancePct ? "HIGH" : "MEDIUM",
    title: `Price ${direction} ${pct}% on ${change.platform}: ${change.sku}`,
    message: `The price on ${change.platform} went from ${change.from} to ${change.to}, more than ${maxVariancePct}% from before.`,
    payload: {
      sku: change.sku,
      platform: change.platform,
      previousPrice: String(change.from),
      price: String(change.to),
      changePct: pct,
      maxVariancePct,
    },
    dedupeKey: priceChangeKey(change.platform, change.sku),
    productId: change.productId ?? null,
  };
}

/** Key of the alert about a conflict left unresolved for too long. */
export function agedConflictKey(conflictId: string): string {
  return `CONFLICT_AGED:${conflictId}`;
}

/**
 * A SYNC_CONFLICT alert (HIGH: it needs a person) for a conflict still open after `limitHours`, else null.
 */
export function agedConflictAlert(
  conflict: {
    id: string;
    sku: string;
    field: string;
    createdAt: Date;
    productId?: string | null;
  },
  limitHours: number,
  now: Date = new Date(),
): AlertDraft | null {
  const hours = (now.getTime() - conflict.createdAt.getTime()) / 3_600_000;
  if (hours < limitHours) return null;
  const age = Math.floor(hours);
  return {
    type: "SYNC_CONFLICT",
    priority: "HIGH",
    title: `${FIELD_LABEL[conflict.field] ?? conflict.field} conflict on ${conflict.sku} open for ${age} hours`,
    message: `A ${conflict.field} conflict on ${conflict.sku} has waited ${age} hours for a decision (limit ${limitHours}).`,
    payload: { sku: conflict.sku, field: conflict.field, ageHours: age, limitHours },
    dedupeKey: agedConflictKey(conflict.id),
    productId: conflict.productId ?? null,
    conflictId: conflict.id,
  };
}

/** One product as the rules read it: our record, each listing, and price changes just written. */
export interface ItemSnapshot {
  productId: string;
  sku: string;
  title?: string | null;
  inventory: { available: number; status: string; isBestseller: boolean } | null;
  listings: Array<{ platform: string; quantity: number; price: string | null; status: string }>;
  /** Price changes of this write (old -> new per platform); only these can raise or clear a price jump. */
  priceChanges: Array<{ platform: string; from: string | number; to: string | number }>;
}

/**
 * Every alert one product deserves now and every alert that no longer applies, with the reason it cleared:
 * stock per listing and overall, price variance between platforms, and price jumps against the previous price.
 */
export function evaluateItem(
  item: ItemSnapshot,
  settings: StockThresholds & { maxPriceVariancePct: number },
): { raise: AlertDraft[]; clear: AlertClear[] } {
  const raise: AlertDraft[] = [];
  const clear: AlertClear[] = [];
  const isBestseller = item.inventory?.isBestseller ?? false;
  const stock = (platform: string, quantity: number, status: string, draft: AlertDraft | null) => {
    if (draft) raise.push(draft);
    const where = platform === ALL_CHANNELS ? "every channel" : platform;
    const reason =
      status !== "ACTIVE"
        ? `Listing on ${where} is ${status}`
        : draft
          ? `Now ${draft.type === "OUT_OF_STOCK" ? "out of stock" : "low on stock"} on ${where}`
          : `Stock restored on ${where}: ${quantity} units available`;
    for (const key of stockAlertKeys(platform, item.sku))
      if (key !== draft?.dedupeKey) clear.push({ key, reason });
  };
  for (const l of item.listings) {
    stock(
      l.platform,
      l.quantity,
      l.status,
      stockAlert(
        { ...l, sku: item.sku, title: item.title, isBestseller, productId: item.productId },
        settings,
      ),
    );
  }
  if (item.inventory) {
    stock(
      ALL_CHANNELS,
      item.inventory.available,
      item.inventory.status,
      overallStockAlert(
        { ...item.inventory, sku: item.sku, title: item.title, productId: item.productId },
        settings,
      ),
    );
  }
  const prices: Record<string, string | null> = {};
  for (const l of item.listings) if (l.price !== null && l.status === "ACTIVE") prices[l.platform] = l.price;
  const variance = priceVarianceAlert(
    { sku: item.sku, values: prices, productId: item.productId },
    settings.maxPriceVariancePct,
  );
  if (variance) raise.push(variance);
  else if (Object.keys(prices).length > 1)
    clear.push({
      key: `PRICE_VARIANCE:${item.sku}`,
      reason: `Prices back in line: ${Object.entries(prices)
        .map(([p, v]) => `${p} ${v}`)
        .join(", ")}`,
    });
  for (const change of item.priceChanges) {
    const jump = priceChangeAlert(
      { ...change, sku: item.sku, productId: item.productId },
      settings.maxPriceVariancePct,
    );
    if (jump) raise.push(jump);
    else
      clear.push({
        key: priceChangeKey(change.platform, item.sku),
        reason: `Price on ${change.platform} changed to ${change.to}, within ${settings.maxPriceVariancePct}% of ${change.from}`,
      });
  }
  return { raise, clear };
}
