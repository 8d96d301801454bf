export { AnalyticsPage } from "./analytics.page";
export { AnalyticsSummary } from "./components/analytics-summary";
