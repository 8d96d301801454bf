import { isCanonicalDecimal } from "../../graphql/decimal";
import type { UserError } from "../../graphql/errors";

export type ConflictTypeName = "PRICE" | "QUANTITY" | "STATUS" | "DATA";
export type ResolvedValue = string | number | null;

const STATUSES = ["ACTIVE", "INACTIVE", "DELETED"];
const MAX_QUANTITY = 2_147_483_647;

/**
 * Reads a value given by hand as the type of the conflict demands: a price "19.99" (stored as "19.99"), a
 * whole non-negative quantity, a status a seller may set, or any text for a data attribute.
 */
export function parseGivenValue(
  type: ConflictTypeName,
  raw: string,
  field: string[],
): { value: ResolvedValue } | { error: UserError } {
  const value = raw.trim();
  const error = (code: string, message: string) => ({ error: { field, code, message } });
  switch (type) {
    case "PRICE": {
      // Money is taken as written: a canonical decimal, no spaces around it.
      if (!isCanonicalDecimal(raw, 9) || raw.startsWith("-"))
        return error(
          "INVALID_PRICE",
          'A price is a non-negative decimal such as "19.99", with nothing around it',
        );
      const [whole, fraction = ""] = raw.split(".");
      return { value: `${whole}.${fraction.padEnd(2, "0")}` };
    }
    case "QUANTITY": {
      if (!/^\d{1,10}$/.test(value) || Number(value) > MAX_QUANTITY) {
        return error("INVALID_QUANTITY", "A quantity is a whole number, 0 or more");
      }
      return { value: Number(value) };
    }
    case "STATUS":
      if (!STATUSES.includes(value))
        return error("INVALID_STATUS", `A status is one of ${STATUSES.join(", ")}`);
      return { value };
    case "DATA":
      if (value.length === 0 || value.length > 10_000)
        return error("INVALID", "A value is 1 to 10,000 characters");
      return { value };
  }
}

/** The local column and the platforms' writable field a conflict type maps to; DATA has none. */
export function writableField(type: ConflictTypeName): "quantity" | "price" | "status" | null {
  return type === "PRICE" ? "price" : type === "QUANTITY" ? "quantity" : type === "STATUS" ? "status" : null;
}

/** Values compare as the platforms hold them: "19.9" equals "19.90", 5 equals "5". */
export function sameValue(type: ConflictTypeName, a: unknown, b: unknown): boolean {
  if (a == null || b == null) return a == null && b == null;
  if (type === "PRICE" || type === "QUANTITY") {
    const x = Number(a);
    const y = Number(b);
    if (Number.isFinite(x) && Number.isFinite(y)) return Math.round(x * 100) === Math.round(y * 100);
  }
  return String(a) === String(b);
}

/** The platforms whose value differs from the resolved one: where a resolution job must write. */
export function platformsToWrite(
  type: ConflictTypeName,
  values: Record<string, unknown>,
  resolved: ResolvedValue,
  platformKinds: ReadonlySet<string>,
): { platform: string; from: unknown }[] {
  return Object.entries(values)
    .filter(([platform, value]) => platformKinds.has(platform) && !sameValue(type, value, resolved))
    .map(([platform, from]) => ({ platform, from }));
}

/** Conflict values as resolveConflictValue takes them: strings and numbers, anything else as null. */
export function conflictValues(values: unknown): Record<string, string | number | null> {
  const out: Record<string, string | number | null> = {};
  if (values && typeof values === "object" && !Array.isArray(values)) {
    for (const [k, v] of Object.entries(values)) {
      out[k] = typeof v === "string" || typeof v === "number" ? v : null;
    }
  }
  return out;
}
