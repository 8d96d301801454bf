import { useMemo, useRef, useState } from "react";
import { useQuery } from "urql";
import { graphql } from "../../../gql";
import type { AlertPriority } from "../../../gql/graphql";
import { ErrorMessage } from "../../../ui/error-message";
import { formatCount, humanize } from "../../../ui/format";
import { Spinner } from "../../../ui/spinner";
import { useAlertsRefresh } from "../alert-signals";
import { type AlertsView, groupFilter } from "../alerts-view";
import { AlertRow } from "./alert-row";

export const AlertGroupQuery = graphql(`
  query AlertGroup($filter: AlertFilter, $first: Int!) {
    alerts(filter: $filter, first: $first) {
      totalCount
      pageInfo {
        hasNextPage
      }
      nodes {
        id
        status
        ...AlertRow_alert
      }
    }
  }
`);

const STEP = 25;

export interface AlertActions {
  selected: ReadonlySet<string>;
  busy: boolean;
  onSelect(id: string, selected: boolean): void;
  onAcknowledge(id: string): void;
  onResolve(id: string): void;
}

/** The alerts of one priority, newest first, with a button for more. */
export function AlertGroup(props: { priority: AlertPriority; view: AlertsView; actions?: AlertActions }) {
  const [first, setFirst] = useState(STEP);
  const filter = useMemo(() => groupFilter(props.view, props.priority), [props.view, props.priority]);
  const [result, reexecute] = useQuery({ query: AlertGroupQuery, variables: { filter, first } });
  const { data, error, fetching } = result;
  // A read already under way started after the change (the cache refetches on a mutation): no second one.
  const inFlight = useRef(fetching);
  inFlight.current = fetching;
  useAlertsRefresh(() => {
    if (!inFlight.current) reexecute({ requestPolicy: "network-only" });
  });
  const total = data?.alerts.totalCount ?? null;
  const headingId = `alerts-${props.priority.toLowerCase()}`;
  const { actions } = props;

  return (
    <section
      className={`panel alert-group alert-group-${props.priority.toLowerCase()}`}
      aria-labelledby={headingId}
      data-priority={props.priority}
      data-count={total ?? undefined}
    >
      <h2 id={headingId}>
        {humanize(props.priority)}
        {total !== null ? <span className="group-count">{formatCount(total)}</span> : null}
        {fetching ? <Spinner label={`Loading ${props.priority.toLowerCase()} alerts`} /> : null}
      </h2>
      {error ? (
        <ErrorMessage error={error} onRetry={() => reexecute({ requestPolicy: "network-only" })} />
      ) : null}
      {data && data.alerts.nodes.length === 0 ? <p className="muted small">Nothing here.</p> : null}
      {data?.alerts.nodes.length ? (
        <ul className="alert-list">
          {data.alerts.nodes.map((a) => (
            <AlertRow
              key={a.id}
              alert={a}
              selected={actions?.selected.has(a.id) ?? false}
              busy={actions?.busy ?? false}
              actions={
                actions
                  ? {
                      onSelect: (on) => actions.onSelect(a.id, on),
                      onAcknowledge: () => actions.onAcknowledge(a.id),
                      onResolve: () => actions.onResolve(a.id),
                    }
                  : undefined
              }
            />
          ))}
        </ul>
      ) : null}
      {data?.alerts.pageInfo.hasNextPage ? (
        <button
          type="button"
          className="link-button"
          disabled={fetching}
          onClick={() => setFirst((n) => Math.min(250, n + STEP))}
        >
          Show more ({formatCount((total ?? 0) - data.alerts.nodes.length)} not shown)
        </button>
      ) : null}
    </section>
  );
}
