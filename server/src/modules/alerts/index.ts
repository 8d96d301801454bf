export { alertWhere, createAlertLoaders } from "./alert.repository";
export { AlertResolver, InventoryAlertsResolver } from "./alert.resolver";
export { type AlertCause, type AlertChanges, applyAlerts, resolveAlertsWhere } from "./alert.store";
export { Alert } from "./alert.types";
export {
  AGED_CONFLICT_HOURS,
  type AlertSettings,
  alertSettings,
  evaluateItemAlerts,
  raiseAgedConflictAlerts,
} from "./alert-evaluation";
export { type ClosedConflict, resolveConflictAlerts } from "./alert-lifecycle";
export { AlertMutationsResolver } from "./alert-mutations.resolver";
export { AlertPayload, ResolveAlertsPayload } from "./alert-mutations.types";
export { reevaluateTenantAlerts } from "./alert-reevaluation";
