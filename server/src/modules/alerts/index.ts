export { alertWhere, createAlertLoaders } from "./alert.repository";
export { AlertResolver, InventoryAlertsResolver } from "./alert.resolver";
export { Alert } from "./alert.types";
export { AlertMutationsResolver } from "./alert-mutations.resolver";
export { AlertPayload, ResolveAlertsPayload } from "./alert-mutations.types";
