export { AnalyticsResolver } from "./analytics.resolver";
export { refreshAllRollups, refreshTenantRollups, startAnalyticsRollups } from "./analytics.rollup";
export { AnalyticsPeriod } from "./analytics.types";
