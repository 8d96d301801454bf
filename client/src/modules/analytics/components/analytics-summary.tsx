import { useQuery } from "urql";
import { Link } from "../../../app/router";
import { formatCount, formatMoney } from "../../../ui/format";
import { AnalyticsSummaryQuery } from "../analytics.query";

/** A line of the analytics for another page: the stock's value and the alerts of the last 7 days. */
export function AnalyticsSummary() {
  const [{ data }] = useQuery({ query: AnalyticsSummaryQuery });
  if (!data) return null;
  const { inventoryValue, alerts } = data.analytics;
  return (
    <p className="analytics-summary muted small" data-testid="analytics-summary">
      <span>
        Stock value{" "}
        <strong data-testid="summary-value-price">
          {formatMoney(inventoryValue.total.valueAtPrice, "USD")}
        </strong>{" "}
        at price, {formatMoney(inventoryValue.total.valueAtCost, "USD")} at cost (
        {formatCount(inventoryValue.total.units)} units in{" "}
        <span data-testid="summary-items">{formatCount(inventoryValue.total.items)}</span> items)
      </span>
      <span>
        {formatCount(alerts.open)} open alerts, {formatCount(alerts.raised)} raised in 7 days
      </span>
      <Link href="/analytics">Analytics</Link>
    </p>
  );
}
