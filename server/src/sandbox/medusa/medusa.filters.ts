type Query = Record<string, string | string[] | undefined>;
type Json = Record<string, unknown>;

/** Query parameters that page, order or shape a list rather than filter it. */
const NOT_FILTERS = new Set(["fields", "limit", "offset", "order", "with_deleted"]);

const OPERATORS: Record<string, (actual: number | string, wanted: number | string) => boolean> = {
  $eq: (a, w) => a === w,
  $ne: (a, w) => a !== w,
  $gt: (a, w) => a > w,
  $gte: (a, w) => a >= w,
  $lt: (a, w) => a < w,
  $lte: (a, w) => a <= w,
};

/** A value as the field holds it: dates as epoch ms, numbers as numbers, booleans as their words. */
function comparable(actual: unknown, raw: string): [number | string, number | string] | undefined {
  if (actual === null || actual === undefined) return undefined;
  if (typeof actual === "number") return [actual, Number(raw)];
  if (typeof actual === "boolean") return [String(actual), raw];
  const text = String(actual);
  if (/^\d{4}-\d\d-\d\dT/.test(text)) return [Date.parse(text), Date.parse(raw)];
  return [text, raw];
}

function matches(actual: unknown, op: string, raw: string | string[]): boolean {
  const values = Array.isArray(raw) ? raw : [raw];
  if (op === "$in" || op === "$eq" || op === "") {
    return values.some((v) => {
      const pair = comparable(actual, v);
      return pair !== undefined && pair[0] === pair[1];
    });
  }
  if (op === "$nin") return !matches(actual, "$in", raw);
  if (op === "$like" || op === "$ilike") {
    const pattern = new RegExp(
      `^${values[0]!.replace(/[.*+?^${}()|[\]\\]/g, "\\$&").replace(/%/g, ".*")}$`,
      op === "$ilike" ? "i" : "",
    );
    return typeof actual === "string" && pattern.test(actual);
  }
  const test = OPERATORS[op];
  const pair = comparable(actual, values[0]!);
  return test !== undefined && pair !== undefined && test(pair[0], pair[1]);
}

/**
 * Medusa's list filters on an entity's own fields: `field=value` (repeated for any of several), and the
 * operator maps `field[$gt]=...` ($eq, $ne, $gt, $gte, $lt, $lte, $in, $nin, $like, $ilike). `handled` names
 * the parameters the route filters on itself. A field with no value (null) matches no filter.
 */
export function filterPredicate(
  query: Query,
  handled: readonly string[],
): ((entity: Json) => boolean) | undefined {
  const conditions: Array<{ field: string; op: string; value: string | string[] }> = [];
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined) continue;
    const match = /^([^[]+)(?:\[(\$?\w*)\])?$/.exec(key);
    if (!match) continue;
    const [, field, op = ""] = match;
    if (NOT_FILTERS.has(field!) || handled.includes(field!) || field!.startsWith("$")) continue;
    conditions.push({ field: field!, op, value });
  }
  if (conditions.length === 0) return undefined;
  return (entity) => conditions.every((c) => matches(entity[c.field], c.op, c.value));
}
