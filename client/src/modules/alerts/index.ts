export { notifyAlertsChanged } from "./alert-signals";
export { AlertsPage } from "./alerts.page";
export { AlertsNavBadge } from "./components/alerts-nav-badge";
