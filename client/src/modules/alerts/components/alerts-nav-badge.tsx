import { useEffect, useRef } from "react";
import { useQuery, useSubscription } from "urql";
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

export const AlertsUpdatedSubscription = graphql(`
  subscription AlertsUpdated {
    alertsUpdated {
      id
      status
      priority
    }
  }
`);

/** A read of the count every so often besides the pushed events, in case the socket was down for a while. */
export const URGENT_COUNT_REFRESH_MS = 60_000;

function UrgentCount() {
  const [{ data, fetching }, reexecute] = useQuery({ query: UrgentAlertCountQuery });
  const inFlight = useRef(fetching);
  inFlight.current = fetching;
  const refresh = () => {
    if (!inFlight.current) reexecute({ requestPolicy: "network-only" });
  };
  useAlertsRefresh(refresh, URGENT_COUNT_REFRESH_MS);
  // Every alert raised or changed anywhere in the tenant is pushed: the count and the lists on screen follow.
  const [pushed] = useSubscription({ query: AlertsUpdatedSubscription });
  const lastPushed = useRef(pushed.data);
  useEffect(() => {
    if (!pushed.data || pushed.data === lastPushed.current) return;
    lastPushed.current = pushed.data;
    notifyAlertsChanged();
  }, [pushed.data]);
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
