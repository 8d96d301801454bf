import { useEffect, useMemo, useState } from "react";
import { useQuery } from "urql";
import { Link, replaceSearch } from "../../app/router";
import type { AnalyticsPeriod } from "../../gql/graphql";
import { ErrorMessage } from "../../ui/error-message";
import { formatCount, formatMoney, humanize } from "../../ui/format";
import { Spinner } from "../../ui/spinner";
import { TotalCount } from "../../ui/total-count";
import { AnalyticsPageQuery } from "./analytics.query";
import {
  type AnalyticsData,
  alertsOverTimeOption,
  formatMs,
  formatRate,
  formatRatePerSecond,
  openAlertsOption,
  platformRatesOption,
  productsByPlatformOption,
  stockDistributionOption,
  syncJobsOption,
  valueByPlatformOption,
  valueOverTimeOption,
} from "./analytics-charts";
import { Chart } from "./components/chart";
import { CHANNEL_LABELS, PLATFORM_LABELS } from "./labels";
import "./analytics.css";

export const PERIODS: { value: AnalyticsPeriod; label: string }[] = [
  { value: "LAST_7_DAYS", label: "Last 7 days" },
  { value: "LAST_30_DAYS", label: "Last 30 days" },
  { value: "LAST_90_DAYS", label: "Last 90 days" },
  { value: "LAST_365_DAYS", label: "Last 365 days" },
];
const DEFAULT_PERIOD: AnalyticsPeriod = "LAST_30_DAYS";

function periodFromUrl(): AnalyticsPeriod {
  const value = new URLSearchParams(window.location.search).get("period");
  return PERIODS.find((p) => p.value === value)?.value ?? DEFAULT_PERIOD;
}

/** Where the stock and the money are, and how syncs and alerts went, over a chosen period. */
export function AnalyticsPage() {
  const [period, setPeriod] = useState<AnalyticsPeriod>(periodFromUrl);
  useEffect(() => {
    replaceSearch(new URLSearchParams(period === DEFAULT_PERIOD ? {} : { period }));
  }, [period]);
  const [{ data, error, fetching }, reexecute] = useQuery({
    query: AnalyticsPageQuery,
    variables: { period },
  });
  const analytics = data?.analytics;

  return (
    <section className="page analytics" aria-labelledby="analytics-heading" aria-busy={fetching}>
      <header className="page-header">
        <div>
          <h1 id="analytics-heading">Analytics</h1>
          <p className="page-subtitle" data-testid="analytics-range" data-days={analytics?.range.days}>
            {analytics
              ? `${analytics.range.from} to ${analytics.range.to} (UTC), ${analytics.range.days} days`
              : "Stock, value, syncs and alerts over time."}
          </p>
        </div>
        <div className="page-header-status">
          {fetching ? <Spinner label="Loading analytics" /> : null}
          <label className="sort">
            <span>Period</span>
            <select value={period} onChange={(event) => setPeriod(event.target.value as AnalyticsPeriod)}>
              {PERIODS.map((p) => (
                <option key={p.value} value={p.value}>
                  {p.label}
                </option>
              ))}
            </select>
          </label>
        </div>
      </header>
      {error ? (
        <ErrorMessage error={error} onRetry={() => reexecute({ requestPolicy: "network-only" })} />
      ) : null}
      {analytics ? <AnalyticsBody data={analytics} /> : null}
    </section>
  );
}

function AnalyticsBody({ data }: { data: AnalyticsData }) {
  const options = useMemo(
    () => ({
      products: productsByPlatformOption(data),
      valueByPlatform: valueByPlatformOption(data),
      valueOverTime: valueOverTimeOption(data),
      stock: stockDistributionOption(data),
      alertsOverTime: alertsOverTimeOption(data),
      openAlerts: openAlertsOption(data),
      syncJobs: syncJobsOption(data),
      platformRates: platformRatesOption(data),
    }),
    [data],
  );
  const total = data.inventoryValue.total;
  return (
    <>
      <dl className="analytics-figures" aria-label="Totals">
        <div>
          <dt>Items</dt>
          <dd>
            <Link href="/inventory">
              <TotalCount
                count={data.products.totalItems}
                one="item"
                many="items"
                testId="analytics-total-items"
              />
            </Link>
          </dd>
        </div>
        <div>
          <dt>Units on hand</dt>
          <dd data-testid="analytics-units">{formatCount(total.units)}</dd>
        </div>
        <div>
          <dt>Value at price</dt>
          <dd data-testid="analytics-value-price">{formatMoney(total.valueAtPrice, "USD")}</dd>
        </div>
        <div>
          <dt>Value at cost</dt>
          <dd data-testid="analytics-value-cost">{formatMoney(total.valueAtCost, "USD")}</dd>
        </div>
        <div>
          <dt>Open alerts</dt>
          <dd data-testid="analytics-open-alerts">{formatCount(data.alerts.open)}</dd>
        </div>
      </dl>
      {total.itemsWithoutPrice || total.itemsWithoutCost ? (
        <p className="muted small">
          {formatCount(total.itemsWithoutPrice)} items without a price and{" "}
          {formatCount(total.itemsWithoutCost)} without a cost are left out of the values.
        </p>
      ) : null}

      <div className="analytics-grid">
        <Panel title="Products by platform and status">
          <Chart option={options.products} label="Listings per platform by status" testId="chart-products" />
          <ul className="analytics-legend">
            {data.products.byPlatform.map((p) => (
              <li key={p.platform}>
                <Link href={`/inventory?platform=${p.platform}`}>
                  {PLATFORM_LABELS[p.platform]}:{" "}
                  <span data-testid={`platform-items-${p.platform}`}>{formatCount(p.items)}</span> items
                </Link>
              </li>
            ))}
          </ul>
        </Panel>
        <Panel title="Inventory value per platform">
          <Chart
            option={options.valueByPlatform}
            label="Value at price and at cost per platform"
            testId="chart-value-platform"
          />
        </Panel>
        <Panel title="Inventory value over time">
          <Chart
            option={options.valueOverTime}
            label="Value at price and at cost per day"
            testId="chart-value-daily"
          />
        </Panel>
        <Panel title="Stock: FBA and FBM">
          <Chart option={options.stock} label="Units by fulfillment channel" testId="chart-stock" />
          <table className="analytics-table" aria-label="Stock by fulfillment channel">
            <thead>
              <tr>
                <th scope="col">Channel</th>
                <th scope="col">Items</th>
                <th scope="col">Units</th>
                <th scope="col">At price</th>
                <th scope="col">At cost</th>
              </tr>
            </thead>
            <tbody>
              {data.stockDistribution.map((s) => (
                <tr key={s.channel} data-channel={s.channel}>
                  <th scope="row">{CHANNEL_LABELS[s.channel]}</th>
                  <td data-testid={`channel-items-${s.channel}`}>{formatCount(s.items)}</td>
                  <td>{formatCount(s.units)}</td>
                  <td>{formatMoney(s.valueAtPrice, "USD")}</td>
                  <td>{formatMoney(s.valueAtCost, "USD")}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </Panel>
        <Panel title="Alerts over time">
          <Chart
            option={options.alertsOverTime}
            label="Alerts raised, resolved and open per day"
            testId="chart-alerts-daily"
          />
        </Panel>
        <Panel title="Open alerts by priority and type">
          <Chart
            option={options.openAlerts}
            label="Open alerts by priority and by type"
            testId="chart-alerts-open"
          />
        </Panel>
        <Panel title="Sync jobs">
          <Chart
            option={options.syncJobs}
            label="Sync jobs per day and their median duration"
            testId="chart-sync"
          />
        </Panel>
        <Panel title="Platform error and conflict rates">
          <Chart
            option={options.platformRates}
            label="Error and conflict rates per platform"
            testId="chart-platforms"
          />
        </Panel>
      </div>

      <section className="panel">
        <h2>Sync performance</h2>
        <table className="analytics-table" aria-label="Sync performance">
          <thead>
            <tr>
              <th scope="col">Job type</th>
              <th scope="col">Platform</th>
              <th scope="col">Jobs</th>
              <th scope="col">Success</th>
              <th scope="col">Median</th>
              <th scope="col">p95</th>
              <th scope="col">Items</th>
            </tr>
          </thead>
          <tbody>
            {[...data.sync.byType, ...data.sync.byTypeAndPlatform]
              .sort((a, b) => a.jobType.localeCompare(b.jobType))
              .map((row) => {
                const platform = "platform" in row ? row.platform : null;
                return (
                  <tr key={`${row.jobType}:${platform ?? ""}`}>
                    <th scope="row">{humanize(row.jobType)}</th>
                    <td>{platform ? PLATFORM_LABELS[platform] : "All"}</td>
                    <td>{formatCount(row.jobs)}</td>
                    <td>{formatRate(row.successRate)}</td>
                    <td>{formatMs(row.medianDurationMs)}</td>
                    <td>{formatMs(row.p95DurationMs)}</td>
                    <td>{formatRatePerSecond(row.itemsPerSecond)}</td>
                  </tr>
                );
              })}
          </tbody>
        </table>
      </section>
    </>
  );
}

function Panel(props: { title: string; children: React.ReactNode }) {
  return (
    <section className="panel analytics-panel">
      <h2>{props.title}</h2>
      {props.children}
    </section>
  );
}
