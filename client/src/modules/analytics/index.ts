import { lazy } from "react";

export { AnalyticsSummary } from "./components/analytics-summary";

/** The Analytics page, loaded with its chart library the first time it opens (ECharts stays out of the main bundle). */
export const AnalyticsPage = lazy(() =>
  import("./analytics.page").then((m) => ({ default: m.AnalyticsPage })),
);
