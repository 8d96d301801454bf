export { createAlertLoaders } from "./alert.repository";
export { AlertResolver, InventoryAlertsResolver } from "./alert.resolver";
export { Alert } from "./alert.types";
