export { AnalyticsResolver } from "./analytics.resolver";
export { reconcileStockCounters, stockCounterDrift } from "./analytics.counters";
export {
  compactAllStockCounters,
  refreshAllRollups,
  refreshTenantRollups,
  startAnalyticsRollups,
} from "./analytics.rollup";
export { AnalyticsReader, type StockSource } from "./analytics.service";
export { AnalyticsPeriod } from "./analytics.types";
