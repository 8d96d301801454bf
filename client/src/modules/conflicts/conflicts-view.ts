import type { ConflictFilter, ConflictStatus, ConflictStrategy, ConflictType } from "../../gql/graphql";

export const CONFLICT_STATUSES: ConflictStatus[] = ["OPEN", "RESOLVED", "IGNORED"];
export const CONFLICT_TYPES: ConflictType[] = ["QUANTITY", "PRICE", "STATUS", "DATA"];
/** The strategies that compute a value; MANUAL means a person gives it. */
export const COMPUTING_STRATEGIES: ConflictStrategy[] = ["SOURCE_WINS", "HIGHEST_WINS", "LOWEST_WINS"];
export const PAGE_SIZES = [10, 25, 50];

/** What the conflicts page shows; it survives a reload through the query string. */
export interface ConflictsView {
  status: ConflictStatus[];
  type: ConflictType[];
  sku: string;
  pageSize: number;
}

export const DEFAULT_CONFLICTS_VIEW: ConflictsView = { status: ["OPEN"], type: [], sku: "", pageSize: 25 };

function oneOf<T extends string>(allowed: readonly T[], params: URLSearchParams, key: string): T[] {
  const values = params
    .getAll(key)
    .flatMap((v) => v.split(","))
    .filter(Boolean);
  return [...new Set(values)].filter((v): v is T => (allowed as readonly string[]).includes(v));
}

export function parseConflictsView(search: string): ConflictsView {
  const params = new URLSearchParams(search);
  const size = Number(params.get("size"));
  return {
    status: params.has("status") ? oneOf(CONFLICT_STATUSES, params, "status") : DEFAULT_CONFLICTS_VIEW.status,
    type: oneOf(CONFLICT_TYPES, params, "type"),
    sku: (params.get("sku") ?? "").trim(),
    pageSize: PAGE_SIZES.includes(size) ? size : DEFAULT_CONFLICTS_VIEW.pageSize,
  };
}

export function serializeConflictsView(view: ConflictsView): URLSearchParams {
  const params = new URLSearchParams();
  if (view.status.join(",") !== DEFAULT_CONFLICTS_VIEW.status.join(","))
    params.set("status", view.status.join(","));
  if (view.type.length) params.set("type", view.type.join(","));
  if (view.sku) params.set("sku", view.sku);
  if (view.pageSize !== DEFAULT_CONFLICTS_VIEW.pageSize) params.set("size", String(view.pageSize));
  return params;
}

/** The API filter for the view; `status` overrides the view's statuses (for the per-status counts). */
export function toConflictFilter(view: ConflictsView, status?: ConflictStatus): ConflictFilter {
  const statuses = status ? [status] : view.status;
  return {
    ...(statuses.length ? { status: statuses } : {}),
    ...(view.type.length ? { type: view.type } : {}),
    ...(view.sku ? { sku: view.sku } : {}),
  };
}

/** A value as the seller reads it: quantities and prices as they are, a missing one as a dash. */
export function formatConflictValue(value: unknown): string {
  if (value === null || value === undefined || value === "") return "—";
  return typeof value === "string" || typeof value === "number" ? String(value) : JSON.stringify(value);
}
