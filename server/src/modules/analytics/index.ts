export { reconcileStockCounters, stockCounterDrift } from "./analytics.counters";
export { AnalyticsResolver } from "./analytics.resolver";
export {
  compactAllStockCounters,
  refreshAllRollups,
  refreshTenantRollups,
  startAnalyticsRollups,
} from "./analytics.rollup";
export { AnalyticsReader, type StockSource } from "./analytics.service";
export { AnalyticsPeriod } from "./analytics.types";
