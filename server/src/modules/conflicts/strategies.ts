import type { ConflictStrategy, ConflictType } from "../../generated/prisma/enums";

export type ConflictValue = string | number | null;

const DECIMAL = /^(-?)(\d+)(?:\.(\d+))?$/;

/** A decimal string as an integer of 10^-scale units, so prices compare exactly (never as floats). */
function scaled(value: string, scale: number): bigint {
  const m = DECIMAL.exec(value.trim());
  if (!m) throw new RangeError(`"${value}" is not a decimal number`);
  const fraction = (m[3] ?? "").padEnd(scale, "0").slice(0, scale);
  const units = BigInt(`${m[2]}${fraction}`);
  return m[1] === "-" ? -units : units;
}

/** Compares two decimal strings (or numbers) exactly: negative, zero or positive like a sort comparator. */
export function compareDecimal(a: string | number, b: string | number): number {
  const x = typeof a === "number" ? String(a) : a;
  const y = typeof b === "number" ? String(b) : b;
  const scale = Math.max((x.split(".")[1] ?? "").length, (y.split(".")[1] ?? "").length);
  const d = scaled(x, scale) - scaled(y, scale);
  return d < 0n ? -1 : d > 0n ? 1 : 0;
}

/** Whether a string or number is a decimal number compareDecimal accepts. */
export function isDecimal(value: unknown): value is string | number {
  if (typeof value === "number") return Number.isFinite(value) && DECIMAL.test(String(value));
  return typeof value === "string" && DECIMAL.test(value.trim());
}

function byPriority(priorities: Record<string, number>) {
  return (a: string, b: string) =>
    (priorities[a] ?? Number.POSITIVE_INFINITY) - (priorities[b] ?? Number.POSITIVE_INFINITY) ||
    (a < b ? -1 : a > b ? 1 : 0);
}

function compareValues(type: ConflictType, a: string | number, b: string | number): number {
  if (type === "PRICE") return compareDecimal(a, b);
  return Number(a) - Number(b);
}

/**
 * The value a conflict resolves to under a strategy, and the platform whose value it is. `values` holds each
 * platform's value keyed by platform kind; platforms without a value (null) never win. SOURCE_WINS takes the
 * platform with the lowest priority number; HIGHEST_WINS / LOWEST_WINS compare prices as decimals and
 * quantities as numbers (ties go to the higher-priority platform), and fall back to SOURCE_WINS for STATUS and
 * DATA, which have no order. Returns null under MANUAL: a person decides.
 */
export function resolveConflictValue(
  strategy: ConflictStrategy,
  type: ConflictType,
  values: Record<string, ConflictValue>,
  priorities: Record<string, number>,
): { value: ConflictValue; winner: string | null } | null {
  if (strategy === "MANUAL") return null;
  const candidates = Object.keys(values)
    .filter((platform) => values[platform] !== null && values[platform] !== undefined)
    .sort(byPriority(priorities));
  if (candidates.length === 0) return { value: null, winner: null };
  const ordered = (type === "PRICE" || type === "QUANTITY") && strategy !== "SOURCE_WINS";
  if (!ordered) return { value: values[candidates[0]!]!, winner: candidates[0]! };
  let winner = candidates[0]!;
  for (const platform of candidates.slice(1)) {
    const order = compareValues(type, values[platform]!, values[winner]!);
    // Strictly better only: on a tie the platform already chosen (higher priority) keeps it.
    if ((strategy === "HIGHEST_WINS" && order > 0) || (strategy === "LOWEST_WINS" && order < 0)) {
      winner = platform;
    }
  }
  return { value: values[winner]!, winner };
}
