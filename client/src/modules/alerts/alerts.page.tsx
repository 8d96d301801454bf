import { useEffect, useState } from "react";
import { type CombinedError, useMutation } from "urql";
import { replaceSearch } from "../../app/router";
import { graphql } from "../../gql";
import { ErrorMessage } from "../../ui/error-message";
import { humanize } from "../../ui/format";
import { MultiSelect } from "../../ui/multi-select";
import { useToast } from "../../ui/toast";
import { ExportMenu, filterParams } from "../exports";
import { useCan } from "../session";
import { notifyAlertsChanged } from "./alert-signals";
import {
  ALERT_STATUSES,
  ALERT_TYPES,
  type AlertsView,
  PRIORITIES,
  parseAlertsView,
  serializeAlertsView,
  viewFilter,
  visibleGroups,
} from "./alerts-view";
import { type AlertActions, AlertGroup } from "./components/alert-group";
import "./alerts.css";
import { SkuSearch } from "../../ui/sku-search";

export const AcknowledgeAlertMutation = graphql(`
  mutation AcknowledgeAlert($id: ID!) {
    acknowledgeAlert(id: $id) {
      alert {
        id
        ...AlertRow_alert
      }
      userErrors {
        field
        code
        message
      }
    }
  }
`);

export const ResolveAlertMutation = graphql(`
  mutation ResolveAlert($id: ID!) {
    resolveAlert(id: $id) {
      alert {
        id
        ...AlertRow_alert
      }
      userErrors {
        field
        code
        message
      }
    }
  }
`);

export const ResolveAlertsMutation = graphql(`
  mutation ResolveAlerts($ids: [ID!]!) {
    resolveAlerts(ids: $ids) {
      alerts {
        id
        ...AlertRow_alert
      }
      userErrors {
        field
        code
        message
      }
    }
  }
`);

interface Outcome {
  message: string;
  errors: Array<{ field: string[]; code: string; message: string }>;
}

const options = <T extends string>(values: readonly T[]) =>
  values.map((value) => ({ value, label: humanize(value) }));

/** Alerts by priority, critical first: filter them, acknowledge what was seen, resolve what is dealt with. */
export function AlertsPage() {
  const [view, setView] = useState<AlertsView>(() => parseAlertsView(window.location.search));
  const [skuInput, setSkuInput] = useState(view.sku);
  useEffect(() => replaceSearch(serializeAlertsView(view)), [view]);

  const canWrite = useCan("write_alerts");
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const [ack, acknowledge] = useMutation(AcknowledgeAlertMutation);
  const [one, resolveOne] = useMutation(ResolveAlertMutation);
  const [many, resolveMany] = useMutation(ResolveAlertsMutation);
  const toast = useToast();
  const busy = ack.fetching || one.fetching || many.fetching;
  const requestError: CombinedError | undefined = ack.error ?? one.error ?? many.error;

  const done = (message: string, errors: Outcome["errors"]) => {
    setOutcome({ message: errors.length ? "Nothing changed." : message, errors });
    notifyAlertsChanged();
  };
  const actions: AlertActions | undefined = canWrite
    ? {
        selected,
        busy,
        onSelect: (id, on) =>
          setSelected((s) => {
            const next = new Set(s);
            if (on) next.add(id);
            else next.delete(id);
            return next;
          }),
        onAcknowledge: async (id) => {
          const r = await acknowledge({ id });
          toast.outcome("Alert acknowledged", r, r.data?.acknowledgeAlert.userErrors);
          if (r.data) done("Alert acknowledged.", r.data.acknowledgeAlert.userErrors);
        },
        onResolve: async (id) => {
          const r = await resolveOne({ id });
          toast.outcome("Alert resolved", r, r.data?.resolveAlert.userErrors);
          if (r.data) {
            done("Alert resolved.", r.data.resolveAlert.userErrors);
            setSelected((s) => new Set([...s].filter((x) => x !== id)));
          }
        },
      }
    : undefined;

  const onResolveSelected = async () => {
    const ids = [...selected];
    const r = await resolveMany({ ids });
    toast.outcome(
      `${ids.length} ${ids.length === 1 ? "alert" : "alerts"} resolved`,
      r,
      r.data?.resolveAlerts.userErrors,
    );
    if (!r.data) return;
    const { alerts, userErrors } = r.data.resolveAlerts;
    done(`${alerts.length} ${alerts.length === 1 ? "alert" : "alerts"} resolved.`, userErrors);
    if (!userErrors.length) setSelected(new Set());
  };

  const change = (patch: Partial<AlertsView>) => {
    setView((v) => ({ ...v, ...patch }));
    setSelected(new Set());
  };

  return (
    <section className="page alerts-page" aria-labelledby="alerts-heading">
      <header className="page-header">
        <div>
          <h1 id="alerts-heading">Alerts</h1>
          <p className="page-subtitle">What needs attention, most urgent first.</p>
        </div>
        <div className="page-header-status">
          <ExportMenu list="alerts" params={() => filterParams(viewFilter(view))} />
        </div>
      </header>

      <div className="toolbar">
        <div className="toolbar-row">
          <SkuSearch
            text={skuInput}
            onText={setSkuInput}
            onSearch={(sku) => change({ sku })}
            placeholder="Exact SKU"
          />
          <MultiSelect
            label="Status"
            options={options(ALERT_STATUSES)}
            selected={view.status}
            onChange={(status) => change({ status })}
          />
          <MultiSelect
            label="Type"
            options={options(ALERT_TYPES)}
            selected={view.type}
            onChange={(type) => change({ type })}
          />
          <MultiSelect
            label="Priority"
            options={options(PRIORITIES)}
            selected={view.priority}
            onChange={(priority) => change({ priority })}
          />
          {view.sku ? (
            <span className="filter-chip">
              SKU {view.sku}
              <button
                type="button"
                className="link-button"
                onClick={() => {
                  setSkuInput("");
                  change({ sku: "" });
                }}
              >
                Clear
              </button>
            </span>
          ) : null}
        </div>
      </div>

      {canWrite ? (
        <div className="bulk-bar" aria-live="polite">
          <span>
            {selected.size ? `${selected.size} selected` : "Select alerts to resolve them together."}
          </span>
          <button
            type="button"
            className="button button-primary"
            disabled={!selected.size || busy}
            onClick={onResolveSelected}
          >
            Resolve selected
          </button>
        </div>
      ) : (
        <p className="muted" data-testid="read-only">
          Your role can read alerts but not acknowledge or resolve them.
        </p>
      )}

      {requestError ? <ErrorMessage error={requestError} /> : null}
      {outcome ? <OutcomeNotice outcome={outcome} /> : null}

      {visibleGroups(view).map((priority) => (
        <AlertGroup key={priority} priority={priority} view={view} actions={actions} />
      ))}
    </section>
  );
}

function OutcomeNotice({ outcome }: { outcome: Outcome }) {
  if (!outcome.errors.length)
    return (
      <p className="notice" role="status" data-testid="outcome">
        {outcome.message}
      </p>
    );
  return (
    <div className="alert-box" role="alert" data-testid="outcome">
      <strong>{outcome.message}</strong>
      <ul>
        {outcome.errors.map((e) => (
          <li key={`${e.field.join(".")}|${e.code}`}>
            {e.message}
            <code className="error-code">{e.code}</code>
          </li>
        ))}
      </ul>
    </div>
  );
}
