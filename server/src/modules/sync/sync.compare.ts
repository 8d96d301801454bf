import type { ConflictStrategy, ConflictType } from "../../generated/prisma/enums";
import { compareDecimal, isDecimal, resolveConflictValue } from "../conflicts/strategies";

export type SyncField = "quantity" | "price" | "status";
export type FieldValue = string | number | null;

export const SYNC_FIELDS: SyncField[] = ["quantity", "price", "status"];
export const FIELD_TYPE: Record<SyncField, ConflictType> = {
  quantity: "QUANTITY",
  price: "PRICE",
  status: "STATUS",
};

/** Statuses a platform enforces itself (Amazon suppression, missing data, deletion): no write changes them. */
const PLATFORM_STATUSES = new Set(["SUPPRESSED", "INCOMPLETE", "DELETED"]);

/** One platform's listing of a product as read now, beside what we last confirmed there (`base`). */
export interface Observation {
  platform: string;
  /** The SKU on that platform (usually the product's own). */
  sku: string;
  priority: number;
  quantity: number | null;
  price: string | null;
  status: string;
  /** Fields the platform manages itself on this listing (Amazon FBA quantity): its value is authoritative. */
  fixed: SyncField[];
  base: { quantity: number | null; price: string | null; status: string | null } | null;
}

export interface PlannedWrite {
  platform: string;
  sku: string;
  field: SyncField;
  from: FieldValue;
  to: FieldValue;
}

export interface Decision {
  field: SyncField;
  type: ConflictType;
  /** Each platform's value as read, keyed by platform kind. */
  values: Record<string, FieldValue>;
  /** PROPAGATE: one side changed since the last sync and the others follow; CONFLICT: a real disagreement. */
  kind: "PROPAGATE" | "CONFLICT";
  /** Null when the conflict stays open (MANUAL, or platform-managed values that disagree). */
  resolution: {
    value: FieldValue;
    winner: string | null;
    mode: "PROPAGATED" | "STRATEGY" | "PLATFORM_MANAGED";
    reason: string;
  } | null;
  writes: PlannedWrite[];
}

/** A price as a decimal string with at least two decimals ("19.9" -> "19.90", "20.0000" -> "20.00"). */
export function normalizePrice(value: unknown): string | null {
  if (value === null || value === undefined || !isDecimal(value)) return null;
  const text = typeof value === "number" ? String(value) : value.trim();
  const [whole, fraction = ""] = text.split(".");
  const trimmed = fraction.replace(/0+$/, "");
  return `${whole}.${trimmed.padEnd(2, "0")}`;
}

export function fieldValue(
  listing: { quantity: number | null; price: string | null; status: string | null },
  field: SyncField,
): FieldValue {
  if (field === "quantity") return listing.quantity ?? null;
  if (field === "price") return normalizePrice(listing.price);
  return listing.status ?? null;
}

/** Whether two values of a field mean the same: prices as decimals, statuses by whether they sell. */
export function sameValue(field: SyncField, a: FieldValue, b: FieldValue): boolean {
  if (a === null || b === null) return a === b;
  if (field === "price") return compareDecimal(a, b) === 0;
  if (field === "status") return (a === "ACTIVE") === (b === "ACTIVE");
  return Number(a) === Number(b);
}

/** The value written to a platform for a resolved value: statuses become ACTIVE or INACTIVE. */
export function targetValue(field: SyncField, value: FieldValue): FieldValue {
  if (field === "status") return value === "ACTIVE" ? "ACTIVE" : "INACTIVE";
  return value;
}

/** Whether a platform manages this field of a listing itself, so no write may change it. */
export function isFixed(observation: Pick<Observation, "fixed" | "status">, field: SyncField): boolean {
  if (observation.fixed.includes(field)) return true;
  return field === "status" && PLATFORM_STATUSES.has(observation.status);
}

/**
 * Compares one product across platforms, field by field, against what each platform held at the last sync:
 * - all agree: nothing to do;
 * - the platforms that changed since the last sync agree on one value: that value propagates to the others
 *   (a sale on one channel reaches the rest) and no conflict is recorded;
 * - otherwise (standing disagreement, or two sides changed differently) it is a conflict, resolved by the
 *   tenant's strategy, except that a value the platform manages itself (Amazon FBA stock, an enforced status)
 *   wins under any strategy because it cannot be written; MANUAL leaves the others open.
 * `ignored` holds the values of conflicts a person chose to ignore: the same disagreement is left alone.
 */
export function decideProduct(
  observations: Observation[],
  strategy: ConflictStrategy,
  ignored: Partial<Record<SyncField, Record<string, FieldValue>>> = {},
): { decisions: Decision[]; agreed: SyncField[] } {
  const decisions: Decision[] = [];
  const agreed: SyncField[] = [];
  const priorities = Object.fromEntries(observations.map((o) => [o.platform, o.priority]));
  const byPriority = (a: Observation, b: Observation) =>
    a.priority - b.priority || (a.platform < b.platform ? -1 : 1);
  for (const field of SYNC_FIELDS) {
    const parts = observations.filter((o) => fieldValue(o, field) !== null).sort(byPriority);
    if (parts.length < 2) continue;
    const value = (o: Observation) => fieldValue(o, field);
    const first = value(parts[0]!);
    if (parts.every((o) => sameValue(field, value(o), first))) {
      agreed.push(field);
      continue;
    }
    const values = Object.fromEntries(parts.map((o) => [o.platform, value(o)]));
    const ignoredValues = ignored[field];
    if (
      ignoredValues &&
      Object.keys(ignoredValues).length === parts.length &&
      parts.every(
        (o) => o.platform in ignoredValues && sameValue(field, ignoredValues[o.platform] ?? null, value(o)),
      )
    ) {
      continue;
    }
    const writesTo = (resolved: FieldValue) =>
      parts
        .filter((o) => !isFixed(o, field) && !sameValue(field, value(o), resolved))
        .map((o) => ({
          platform: o.platform,
          sku: o.sku,
          field,
          from: value(o),
          to: targetValue(field, resolved),
        }));

    const changed = parts.filter((o) => {
      const before = o.base ? fieldValue(o.base, field) : null;
      return before !== null && !sameValue(field, value(o), before);
    });
    const fixed = parts.filter((o) => isFixed(o, field));
    if (changed.length > 0 && changed.every((o) => sameValue(field, value(o), value(changed[0]!)))) {
      const v = value(changed[0]!);
      const blocked = fixed.some((o) => !changed.includes(o) && !sameValue(field, value(o), v));
      if (!blocked) {
        decisions.push({
          field,
          type: FIELD_TYPE[field],
          values,
          kind: "PROPAGATE",
          resolution: {
            value: v,
            winner: changed[0]!.platform,
            mode: "PROPAGATED",
            reason: `${changed.map((o) => o.platform).join(", ")} changed since the last sync`,
          },
          writes: writesTo(v),
        });
        continue;
      }
    }
    let resolution: Decision["resolution"] = null;
    // A value the platform manages wins under every strategy, MANUAL too: no one can write it anyway.
    if (fixed.length > 0) {
      const v = value(fixed[0]!);
      if (fixed.every((o) => sameValue(field, value(o), v))) {
        resolution = {
          value: v,
          winner: fixed[0]!.platform,
          mode: "PLATFORM_MANAGED",
          reason: `${fixed[0]!.platform} manages this ${field} itself; it cannot be written`,
        };
      }
    } else if (strategy !== "MANUAL") {
      const r = resolveConflictValue(strategy, FIELD_TYPE[field], values, priorities);
      if (r && r.value !== null) {
        resolution = {
          value: r.value,
          winner: r.winner,
          mode: "STRATEGY",
          reason: `${strategy}: ${r.winner} (priority ${priorities[r.winner ?? ""] ?? "?"}) wins`,
        };
      }
    }
    decisions.push({
      field,
      type: FIELD_TYPE[field],
      values,
      kind: "CONFLICT",
      resolution,
      writes: resolution ? writesTo(resolution.value) : [],
    });
  }
  return { decisions, agreed };
}
