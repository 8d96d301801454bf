import { isCanonicalDecimal } from "../../graphql/decimal";
import type { UserError } from "../../graphql/errors";

/** Most rows one bulkUpdateInventory call accepts. */
export const MAX_BULK_ROWS = 10_000;

/** The rows one call takes on this server: BULK_UPDATE_MAX_ROWS when set, never above MAX_BULK_ROWS. */
export const bulkRowLimit = (configured?: number) => Math.min(configured ?? MAX_BULK_ROWS, MAX_BULK_ROWS);

export type ErrorPolicyName = "REJECT_EVERYTHING" | "REJECT_FAILED_ROWS" | "IGNORE_FAILED";
export type RowStatusName = "APPLIED" | "PLANNED" | "UNCHANGED" | "FAILED" | "REJECTED";
export type UpdatableField = "quantity" | "price" | "status";
export type StatusValue = "ACTIVE" | "INACTIVE" | "INCOMPLETE" | "SUPPRESSED" | "DELETED";

/** Statuses a seller may set; INCOMPLETE and SUPPRESSED are decided by the marketplace. */
export const WRITABLE_STATUSES: readonly StatusValue[] = ["ACTIVE", "INACTIVE", "DELETED"];

export interface BulkRow {
  sku: string;
  quantity?: number | null;
  quantityDelta?: number | null;
  price?: string | null;
  status?: StatusValue | null;
  expectedQuantity?: number | null;
}

/** Our record of a SKU as it stands before the update. */
export interface CurrentItem {
  id: string;
  productId: string;
  sku: string;
  quantity: number;
  reservedQuantity: number;
  /** Decimal string with two places, or null. */
  price: string | null;
  status: StatusValue;
}

export interface FieldChange {
  field: UpdatableField;
  from: number | string | null;
  to: number | string | null;
}

/** One row checked against our record: what it would change, and what is wrong with it. */
export interface RowCheck {
  index: number;
  sku: string;
  item: CurrentItem | null;
  changes: FieldChange[];
  errors: UserError[];
  /** An error that condemns the whole row, not just one field (unknown SKU, stale expectedQuantity...). */
  rowFatal: boolean;
}

/** A platform a row's change is not written to, and why. */
export interface SkippedWrite {
  platform: string;
  field: UpdatableField;
  code: "PLATFORM_MANAGED";
  message: string;
}

export interface RowResult {
  index: number;
  sku: string;
  status: RowStatusName;
  errors: UserError[];
  /** Target platforms left out of one of the row's changes (the platform sets that field itself). */
  skipped: SkippedWrite[];
}

/** A listing a row would write to: its platform and the fields that platform sets itself there. */
export interface TargetListing {
  platform: string;
  managed: readonly UpdatableField[];
}

/**
 * Holds a row's changes to what the platforms set themselves (an FBA quantity on Amazon): a change that no
 * target listing can take is a row error on its field and is dropped from the row; a change that some can
 * take goes to those, and the others are reported skipped.
 */
export function limitToWritable(check: RowCheck, row: BulkRow, listings: TargetListing[]): SkippedWrite[] {
  const skipped: SkippedWrite[] = [];
  for (const change of [...check.changes]) {
    const managing = listings.filter((l) => l.managed.includes(change.field));
    if (managing.length === 0) continue;
    const platforms = managing.map((l) => l.platform).join(", ");
    if (managing.length === listings.length) {
      const field = change.field === "quantity" && row.quantity == null ? "quantityDelta" : change.field;
      check.errors.push({
        field: ["updates", String(check.index), field],
        code: "PLATFORM_MANAGED",
        message: `${platforms} sets the ${change.field} of ${check.sku} itself (fulfilled by the platform); it cannot be written there`,
      });
      check.changes = check.changes.filter((c) => c !== change);
      continue;
    }
    for (const l of managing)
      skipped.push({
        platform: l.platform,
        field: change.field,
        code: "PLATFORM_MANAGED",
        message: `${l.platform} sets the ${change.field} of ${check.sku} itself (fulfilled by the platform): the other platforms get the change, ${l.platform} keeps its own number`,
      });
  }
  return skipped;
}

const MAX_QUANTITY = 2_147_483_647;
const PRICE_DIGITS = 9;

/** "19.9" -> "19.90"; exact, no floats. */
export function normalizePrice(value: string): string {
  const [whole, fraction = ""] = value.split(".");
  return `${BigInt(whole!).toString()}.${fraction.padEnd(2, "0")}`;
}

/** Checks one row against our current record (undefined: unknown SKU); `seen` catches repeated SKUs. */
export function checkRow(index: number, row: BulkRow, current: CurrentItem | undefined, seen: Set<string>) {
  const errors: UserError[] = [];
  const at = (field?: string) => ["updates", String(index), ...(field ? [field] : [])];
  const fail = (field: string | undefined, code: string, message: string) =>
    errors.push({ field: at(field), code, message });
  const check: RowCheck = {
    index,
    sku: row.sku,
    item: current ?? null,
    changes: [],
    errors,
    rowFatal: false,
  };

  const hasQuantity = row.quantity != null;
  const hasDelta = row.quantityDelta != null;
  if (!hasQuantity && !hasDelta && row.price == null && row.status == null) {
    fail(
      undefined,
      "NO_CHANGES",
      "The row names nothing to change: give quantity, quantityDelta, price or status",
    );
    check.rowFatal = true;
  }
  if (seen.has(row.sku)) {
    fail("sku", "DUPLICATE_SKU", `${row.sku} appears in an earlier row; give each SKU once`);
    check.rowFatal = true;
  }
  seen.add(row.sku);
  if (!current) {
    fail("sku", "NOT_FOUND", `No inventory item with SKU ${JSON.stringify(row.sku)}`);
    check.rowFatal = true;
    return check;
  }
  if (check.rowFatal) return check;

  if (row.expectedQuantity != null && row.expectedQuantity !== current.quantity) {
    fail(
      "expectedQuantity",
      "QUANTITY_MISMATCH",
      `expectedQuantity is ${row.expectedQuantity} but the quantity is now ${current.quantity}`,
    );
    check.rowFatal = true;
    return check;
  }

  if (hasQuantity && hasDelta) {
    fail("quantityDelta", "MUTUALLY_EXCLUSIVE", "Give either quantity or quantityDelta, not both");
  } else if (hasQuantity || hasDelta) {
    const field = hasQuantity ? "quantity" : "quantityDelta";
    const next = hasQuantity ? row.quantity! : current.quantity + row.quantityDelta!;
    if (next < 0) {
      fail(field, "NEGATIVE_QUANTITY", `The quantity would be ${next}; it must not be negative`);
    } else if (next > MAX_QUANTITY) {
      fail(field, "OUT_OF_RANGE", `The quantity would be ${next}; at most ${MAX_QUANTITY}`);
    } else if (next !== current.quantity) {
      check.changes.push({ field: "quantity", from: current.quantity, to: next });
    }
  }

  if (row.price != null) {
    const price = row.price;
    if (!isCanonicalDecimal(price, PRICE_DIGITS)) {
      fail(
        "price",
        "INVALID_PRICE",
        'The price must be a decimal string with at most 2 decimal places and nothing around it, e.g. "19.99"',
      );
    } else if (price.startsWith("-")) {
      fail("price", "NEGATIVE_PRICE", "The price must not be negative");
    } else {
      const next = normalizePrice(price);
      if (next !== current.price) check.changes.push({ field: "price", from: current.price, to: next });
    }
  }

  if (row.status != null) {
    if (!WRITABLE_STATUSES.includes(row.status)) {
      fail("status", "INVALID_STATUS", `The status can be set to ${WRITABLE_STATUSES.join(", ")}`);
    } else if (row.status !== current.status) {
      check.changes.push({ field: "status", from: current.status, to: row.status });
    }
  }
  return check;
}

export interface PolicyOutcome {
  results: RowResult[];
  /** Errors for the payload's userErrors: every row error, except under IGNORE_FAILED. */
  userErrors: UserError[];
  /** Rows to write, each with only the changes the policy lets through. */
  toApply: RowCheck[];
}

/**
 * Saleor's error policies. REJECT_EVERYTHING: any error rejects every row. REJECT_FAILED_ROWS: rows with an
 * error are rejected whole, the others are applied. IGNORE_FAILED: each row's valid fields are applied and
 * its invalid ones skipped; problems show in the row's result only, not in userErrors.
 */
export function applyPolicy(checks: RowCheck[], policy: ErrorPolicyName, dryRun: boolean): PolicyOutcome {
  const anyError = checks.some((c) => c.errors.length > 0);
  const done: RowStatusName = dryRun ? "PLANNED" : "APPLIED";
  const results: RowResult[] = [];
  const toApply: RowCheck[] = [];
  for (const check of checks) {
    const base = { index: check.index, sku: check.sku, errors: check.errors, skipped: [] };
    let passes: boolean;
    if (policy === "IGNORE_FAILED") passes = !check.rowFatal;
    else if (check.errors.length > 0) passes = false;
    else passes = !(policy === "REJECT_EVERYTHING" && anyError);
    if (!passes) {
      results.push({ ...base, status: check.errors.length > 0 ? "FAILED" : "REJECTED" });
    } else if (check.changes.length === 0) {
      results.push({ ...base, status: check.errors.length > 0 ? "FAILED" : "UNCHANGED" });
    } else {
      results.push({ ...base, status: done });
      toApply.push(check);
    }
  }
  const userErrors = policy === "IGNORE_FAILED" ? [] : checks.flatMap((c) => c.errors);
  return { results, userErrors, toApply };
}

/** The quantity a channel publishes: its share of available stock, minus its buffer, capped, never negative. */
export function publishedQuantity(
  available: number,
  rules: { stockPercentage: number; stockBuffer: number; stockMax: number | null },
): number {
  let q = Math.floor((Math.max(available, 0) * rules.stockPercentage) / 100) - rules.stockBuffer;
  if (rules.stockMax != null) q = Math.min(q, rules.stockMax);
  return Math.max(q, 0);
}
