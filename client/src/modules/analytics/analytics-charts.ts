import type { AnalyticsPageQuery } from "../../gql/graphql";
import { humanize } from "../../ui/format";
import type { ChartOption } from "./components/chart";
import { CHANNEL_LABELS, PLATFORM_LABELS } from "./labels";

// Builders of each chart's ECharts option from the page's data: plain functions, so tests reach them directly.

export type AnalyticsData = AnalyticsPageQuery["analytics"];

const tooltip = { trigger: "axis" as const };
const legend = { bottom: 0 };
const grid = { left: 56, right: 24, top: 24, bottom: 56 };
/** Money stays a decimal string everywhere but in a chart's geometry, where a float is only a bar's height. */
const amount = (money: string) => Number(money);
const percent = (rate: number | null | undefined) => (rate == null ? null : Math.round(rate * 10_000) / 100);

export function productsByPlatformOption(data: AnalyticsData): ChartOption {
  const platforms = data.products.byPlatform;
  const statuses = [...new Set(platforms.flatMap((p) => p.byStatus.map((s) => s.status)))].sort();
  return {
    tooltip,
    legend,
    grid,
    xAxis: { type: "category", data: platforms.map((p) => PLATFORM_LABELS[p.platform]) },
    yAxis: { type: "value", name: "Listings" },
    series: statuses.map((status) => ({
      name: humanize(status),
      type: "bar",
      stack: "status",
      data: platforms.map((p) => p.byStatus.find((s) => s.status === status)?.count ?? 0),
    })),
  };
}

export function valueByPlatformOption(data: AnalyticsData): ChartOption {
  const rows = data.inventoryValue.byPlatform;
  return {
    tooltip,
    legend,
    grid: { ...grid, left: 80 },
    xAxis: { type: "category", data: rows.map((r) => PLATFORM_LABELS[r.platform]) },
    yAxis: { type: "value" },
    series: [
      { name: "At price", type: "bar", data: rows.map((r) => amount(r.valueAtPrice)) },
      { name: "At cost", type: "bar", data: rows.map((r) => amount(r.valueAtCost)) },
    ],
  };
}

export function valueOverTimeOption(data: AnalyticsData): ChartOption {
  const points = data.inventoryValue.daily;
  return {
    tooltip,
    legend,
    grid: { ...grid, left: 80 },
    xAxis: { type: "category", data: points.map((p) => p.day) },
    yAxis: { type: "value" },
    series: [
      { name: "At price", type: "line", data: points.map((p) => amount(p.valueAtPrice)) },
      { name: "At cost", type: "line", data: points.map((p) => amount(p.valueAtCost)) },
    ],
  };
}

export function stockDistributionOption(data: AnalyticsData): ChartOption {
  return {
    tooltip: { trigger: "item" },
    legend,
    series: [
      {
        name: "Units",
        type: "pie",
        center: ["50%", "45%"],
        radius: ["40%", "70%"],
        data: data.stockDistribution.map((s) => ({
          name: CHANNEL_LABELS[s.channel],
          value: s.units,
        })),
      },
    ],
  };
}

export function alertsOverTimeOption(data: AnalyticsData): ChartOption {
  const points = data.alerts.daily;
  return {
    tooltip,
    legend,
    grid,
    xAxis: { type: "category", data: points.map((p) => p.day) },
    yAxis: { type: "value", name: "Alerts" },
    series: [
      { name: "Raised", type: "bar", data: points.map((p) => p.raised) },
      { name: "Resolved", type: "bar", data: points.map((p) => p.resolved) },
      { name: "Open", type: "line", data: points.map((p) => p.open) },
    ],
  };
}

export function openAlertsOption(data: AnalyticsData): ChartOption {
  const { openByType, openByPriority } = data.alerts;
  return {
    tooltip: { trigger: "item" },
    legend,
    series: [
      {
        name: "By priority",
        type: "pie",
        center: ["50%", "42%"],
        radius: [0, "30%"],
        label: { position: "inner" },
        data: openByPriority.map((p) => ({ name: humanize(p.priority), value: p.count })),
      },
      {
        name: "By type",
        type: "pie",
        center: ["50%", "42%"],
        radius: ["38%", "60%"],
        label: { show: false },
        data: openByType.map((t) => ({ name: humanize(t.type), value: t.count })),
      },
    ],
  };
}

export function syncJobsOption(data: AnalyticsData): ChartOption {
  const points = data.sync.daily;
  return {
    tooltip,
    legend,
    grid: { ...grid, right: 64 },
    xAxis: { type: "category", data: points.map((p) => p.day) },
    yAxis: [
      { type: "value", name: "Jobs" },
      { type: "value", name: "Median s" },
    ],
    series: [
      { name: "Succeeded", type: "bar", stack: "jobs", data: points.map((p) => p.succeeded) },
      { name: "Failed", type: "bar", stack: "jobs", data: points.map((p) => p.failed) },
      {
        name: "Median duration (s)",
        type: "line",
        yAxisIndex: 1,
        data: points.map((p) => (p.medianDurationMs == null ? null : p.medianDurationMs / 1000)),
      },
    ],
  };
}

export function platformRatesOption(data: AnalyticsData): ChartOption {
  const rows = data.platforms;
  return {
    tooltip,
    legend,
    grid,
    xAxis: { type: "category", data: rows.map((r) => PLATFORM_LABELS[r.platform]) },
    yAxis: { type: "value", name: "%" },
    series: [
      { name: "Write error rate", type: "bar", data: rows.map((r) => percent(r.errorRate)) },
      { name: "Job error rate", type: "bar", data: rows.map((r) => percent(r.jobErrorRate)) },
      { name: "Conflict rate", type: "bar", data: rows.map((r) => percent(r.conflictRate)) },
    ],
  };
}

export const formatRate = (rate: number | null | undefined) =>
  rate == null ? "—" : `${(rate * 100).toFixed(1)} %`;
export const formatMs = (ms: number | null | undefined) =>
  ms == null ? "—" : ms >= 1000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms)} ms`;
export const formatRatePerSecond = (value: number | null | undefined) =>
  value == null ? "—" : `${value.toFixed(value >= 100 ? 0 : 1)}/s`;
