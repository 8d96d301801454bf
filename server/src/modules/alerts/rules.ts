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
