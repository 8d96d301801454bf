import { useEffect, useRef } from "react";
import { useQuery } from "urql";
import { graphql } from "../../../gql";
import { formatCount } from "../../../ui/format";
import { useCan } from "../../session";
import { notifyAlertsChanged, useAlertsRefresh } from "../alert-signals";

export const UrgentAlertCountQuery = graphql(`
  query UrgentAlertCount {
    alerts(first: 1, filter: { status: [OPEN], priority: [CRITICAL, HIGH] }) {
      totalCount
    }
  }
`);

/** How often the count is read again while the dashboard is open (the API pushes no alert events). */
export const URGENT_COUNT_REFRESH_MS = 5_000;

function UrgentCount() {
  const [{ data, fetching }, reexecute] = useQuery({ query: UrgentAlertCountQuery });
  const inFlight = useRef(fetching);
  inFlight.current = fetching;
  useAlertsRefresh(() => {
    if (!inFlight.current) reexecute({ requestPolicy: "network-only" });
  }, URGENT_COUNT_REFRESH_MS);
  const count = data?.alerts.totalCount ?? 0;
  // A count that moved on its own means alerts came or went elsewhere: lists on screen read again.
  const seen = useRef<number | null>(null);
  useEffect(() => {
    if (!data) return;
    if (seen.current !== null && seen.current !== count) notifyAlertsChanged();
    seen.current = count;
  }, [data, count]);
  if (!data) return null;
  return (
    <span
      className={`nav-badge${count ? "" : " is-zero"}`}
      data-testid="urgent-alerts"
      data-count={count}
      title={`${formatCount(count)} open critical or high alerts`}
    >
      {formatCount(count)}
      <span className="visually-hidden"> open critical or high alerts</span>
    </span>
  );
}

/** The number of open CRITICAL and HIGH alerts, beside the Alerts link in the top bar. */
export function AlertsNavBadge() {
  return useCan("read_alerts") ? <UrgentCount /> : null;
}
