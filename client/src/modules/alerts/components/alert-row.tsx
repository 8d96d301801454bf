import { Link } from "../../../app/router";
import { type FragmentType, graphql, useFragment } from "../../../gql";
import { Badge, type Tone } from "../../../ui/badge";
import { formatDateTime, humanize } from "../../../ui/format";
import { alertTarget } from "../alerts-view";

export const AlertRowFragment = graphql(`
  fragment AlertRow_alert on Alert {
    id
    type
    priority
    status
    title
    message
    createdAt
    acknowledgedAt
    resolvedAt
    resolvedBy
    product {
      sku
    }
    conflict {
      id
      sku
      status
    }
    job {
      id
    }
  }
`);

const STATUS_TONE: Record<string, Tone> = { OPEN: "danger", ACKNOWLEDGED: "warning", RESOLVED: "success" };

/** One alert: what happened, where to work on it, and (for those allowed) acknowledge and resolve. */
export function AlertRow(props: {
  alert: FragmentType<typeof AlertRowFragment>;
  selected: boolean;
  busy: boolean;
  /** Absent when the viewer may not change alerts. */
  actions?: {
    onSelect(selected: boolean): void;
    onAcknowledge(): void;
    onResolve(): void;
  };
}) {
  const alert = useFragment(AlertRowFragment, props.alert);
  const target = alertTarget(alert);
  const closed = alert.status === "RESOLVED";
  return (
    <li
      className={`alert-row alert-${alert.priority.toLowerCase()}`}
      data-alert-id={alert.id}
      data-status={alert.status}
    >
      {props.actions ? (
        <input
          type="checkbox"
          aria-label={`Select ${alert.title}`}
          checked={props.selected}
          disabled={closed}
          onChange={(e) => props.actions?.onSelect(e.target.checked)}
        />
      ) : null}
      <div className="alert-main">
        <div className="alert-title">
          <strong>{alert.title}</strong>
          <Badge tone="neutral">{humanize(alert.type)}</Badge>
          <Badge tone={STATUS_TONE[alert.status] ?? "neutral"}>{humanize(alert.status)}</Badge>
        </div>
        <p className="alert-message">{alert.message}</p>
        <p className="alert-meta muted small">
          Raised {formatDateTime(alert.createdAt)}
          {alert.acknowledgedAt ? ` · acknowledged ${formatDateTime(alert.acknowledgedAt)}` : ""}
          {alert.resolvedAt
            ? ` · resolved ${formatDateTime(alert.resolvedAt)}${alert.resolvedBy ? ` by ${alert.resolvedBy}` : ""}`
            : ""}
          {target ? (
            <>
              {" · "}
              <Link href={target.href}>{target.label}</Link>
            </>
          ) : null}
        </p>
      </div>
      {props.actions && !closed ? (
        <div className="alert-actions">
          {alert.status === "OPEN" ? (
            <button
              type="button"
              className="button"
              disabled={props.busy}
              onClick={props.actions.onAcknowledge}
            >
              Acknowledge
            </button>
          ) : null}
          <button
            type="button"
            className="button button-primary"
            disabled={props.busy}
            onClick={props.actions.onResolve}
          >
            Resolve
          </button>
        </div>
      ) : null}
    </li>
  );
}
