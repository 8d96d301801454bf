import type { AlertFilter, AlertPriority, AlertStatus, AlertType } from "../../gql/graphql";

export const PRIORITIES: AlertPriority[] = ["CRITICAL", "HIGH", "MEDIUM", "LOW"];
export const ALERT_STATUSES: AlertStatus[] = ["OPEN", "ACKNOWLEDGED", "RESOLVED"];
export const ALERT_TYPES: AlertType[] = [
  "OUT_OF_STOCK",
  "LOW_STOCK",
  "SYNC_CONFLICT",
  "PRICE_VARIANCE",
  "SYNC_ERROR",
  "UNCONFIRMED_WRITE",
  "STALE_DATA",
];

/** What the alerts page shows; it survives a reload through the query string. */
export interface AlertsView {
  status: AlertStatus[];
  type: AlertType[];
  priority: AlertPriority[];
  sku: string;
}

/** Open and acknowledged: what still needs someone. */
export const DEFAULT_ALERTS_VIEW: AlertsView = {
  status: ["OPEN", "ACKNOWLEDGED"],
  type: [],
  priority: [],
  sku: "",
};

function oneOf<T extends string>(allowed: readonly T[], params: URLSearchParams, key: string): T[] {
  const values = params
    .getAll(key)
    .flatMap((v) => v.split(","))
    .filter(Boolean);
  return [...new Set(values)].filter((v): v is T => (allowed as readonly string[]).includes(v));
}

export function parseAlertsView(search: string): AlertsView {
  const params = new URLSearchParams(search);
  return {
    status: params.has("status") ? oneOf(ALERT_STATUSES, params, "status") : DEFAULT_ALERTS_VIEW.status,
    type: oneOf(ALERT_TYPES, params, "type"),
    priority: oneOf(PRIORITIES, params, "priority"),
    sku: (params.get("sku") ?? "").trim(),
  };
}

export function serializeAlertsView(view: AlertsView): URLSearchParams {
  const params = new URLSearchParams();
  const defaultStatus = view.status.join(",") === DEFAULT_ALERTS_VIEW.status.join(",");
  if (!defaultStatus) params.set("status", view.status.join(","));
  if (view.type.length) params.set("type", view.type.join(","));
  if (view.priority.length) params.set("priority", view.priority.join(","));
  if (view.sku) params.set("sku", view.sku);
  return params;
}

/** The API filter for one priority group of the view. */
export function groupFilter(view: AlertsView, priority: AlertPriority): AlertFilter {
  return {
    priority: [priority],
    ...(view.status.length ? { status: view.status } : {}),
    ...(view.type.length ? { type: view.type } : {}),
    ...(view.sku ? { sku: view.sku } : {}),
  };
}

/** The API filter of the whole view (every group it shows), for an export of what the page shows. */
export function viewFilter(view: AlertsView): AlertFilter {
  return {
    priority: visibleGroups(view),
    ...(view.status.length ? { status: view.status } : {}),
    ...(view.type.length ? { type: view.type } : {}),
    ...(view.sku ? { sku: view.sku } : {}),
  };
}

/** The priority groups the view shows, critical first. */
export function visibleGroups(view: AlertsView): AlertPriority[] {
  return view.priority.length ? PRIORITIES.filter((p) => view.priority.includes(p)) : PRIORITIES;
}

/** Where an alert's cause can be worked on: its conflict, else its sync job. */
export function alertTarget(alert: {
  conflict?: { sku: string; status: string } | null;
  job?: { id: string } | null;
}): { href: string; label: string } | null {
  if (alert.conflict) {
    const params = new URLSearchParams({ sku: alert.conflict.sku });
    if (alert.conflict.status !== "OPEN") params.set("status", alert.conflict.status);
    return { href: `/conflicts?${params}`, label: "Open the conflict" };
  }
  if (alert.job) return { href: `/sync?job=${encodeURIComponent(alert.job.id)}`, label: "Open the sync job" };
  return null;
}
