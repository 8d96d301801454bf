import { useEffect, useMemo, useState } from "react";
import { type CombinedError, useMutation, useQuery } from "urql";
import { Link, replaceSearch } from "../../app/router";
import { graphql } from "../../gql";
import type { ConflictResolutionInput, ConflictStatus, ConflictStrategy } from "../../gql/graphql";
import { ErrorMessage } from "../../ui/error-message";
import { formatCount, humanize } from "../../ui/format";
import { MultiSelect } from "../../ui/multi-select";
import { Pager } from "../../ui/pager";
import { Spinner } from "../../ui/spinner";
import { useToast } from "../../ui/toast";
import { notifyAlertsChanged } from "../alerts";
import { ExportMenu, filterParams } from "../exports";
import { useCan } from "../session";
import { type CardError, ConflictCard } from "./components/conflict-card";
import {
  COMPUTING_STRATEGIES,
  CONFLICT_STATUSES,
  CONFLICT_TYPES,
  type ConflictsView,
  PAGE_SIZES,
  parseConflictsView,
  serializeConflictsView,
  toConflictFilter,
} from "./conflicts-view";
import "./conflicts.css";
import { SkuSearch } from "../../ui/sku-search";
import { TotalCount } from "../../ui/total-count";

export const ConflictsPageQuery = graphql(`
  query ConflictsPage(
    $filter: ConflictFilter
    $first: Int
    $after: String
    $last: Int
    $before: String
    $open: ConflictFilter
    $resolved: ConflictFilter
    $ignored: ConflictFilter
  ) {
    conflicts(filter: $filter, first: $first, after: $after, last: $last, before: $before) {
      totalCount
      pageInfo {
        hasNextPage
        hasPreviousPage
        startCursor
        endCursor
      }
      nodes {
        id
        sku
        field
        status
        ...ConflictCard_conflict
      }
    }
    openCount: conflicts(filter: $open, first: 1) {
      totalCount
    }
    resolvedCount: conflicts(filter: $resolved, first: 1) {
      totalCount
    }
    ignoredCount: conflicts(filter: $ignored, first: 1) {
      totalCount
    }
  }
`);

export const ResolveConflictMutation = graphql(`
  mutation ResolveConflict($id: ID!, $resolution: ConflictResolutionInput!) {
    resolveConflict(id: $id, resolution: $resolution) {
      conflict {
        id
        ...ConflictCard_conflict
      }
      job {
        id
        status
        trigger
      }
      userErrors {
        field
        code
        message
      }
    }
  }
`);

export const ResolveConflictsMutation = graphql(`
  mutation ResolveConflicts($ids: [ID!], $strategy: ConflictStrategy!) {
    resolveConflicts(ids: $ids, strategy: $strategy) {
      conflicts {
        id
        ...ConflictCard_conflict
      }
      job {
        id
        status
        trigger
      }
      hasMore
      userErrors {
        field
        code
        message
      }
    }
  }
`);

export const IgnoreConflictMutation = graphql(`
  mutation IgnoreConflict($id: ID!) {
    ignoreConflict(id: $id) {
      conflict {
        id
        ...ConflictCard_conflict
      }
      userErrors {
        field
        code
        message
      }
    }
  }
`);

interface Cursor {
  key: string;
  pageIndex: number;
  after?: string;
  before?: string;
}

interface Outcome {
  message: string;
  job?: { id: string; status: string } | null;
  errors: Array<CardError & { sku?: string }>;
}

const options = <T extends string>(values: readonly T[]) =>
  values.map((value) => ({ value, label: humanize(value) }));

/** Conflicts between platforms: compare each platform's value, then resolve, one by one or many at once. */
export function ConflictsPage() {
  const [view, setView] = useState<ConflictsView>(() => parseConflictsView(window.location.search));
  const [skuInput, setSkuInput] = useState(view.sku);
  useEffect(() => replaceSearch(serializeConflictsView(view)), [view]);

  const key = JSON.stringify([view.status, view.type, view.sku, view.pageSize]);
  const [cursorState, setCursor] = useState<Cursor>({ key, pageIndex: 0 });
  const cursor = cursorState.key === key ? cursorState : { key, pageIndex: 0 };
  const variables = useMemo(
    () => ({
      filter: toConflictFilter(view),
      open: toConflictFilter(view, "OPEN"),
      resolved: toConflictFilter(view, "RESOLVED"),
      ignored: toConflictFilter(view, "IGNORED"),
      ...(cursor.before
        ? { last: view.pageSize, before: cursor.before }
        : { first: view.pageSize, after: cursor.after ?? null }),
    }),
    [view, cursor.before, cursor.after],
  );
  const [result, reexecute] = useQuery({ query: ConflictsPageQuery, variables });
  const { data, error, fetching } = result;
  const nodes = data?.conflicts.nodes ?? [];

  const canWrite = useCan("write_conflicts");
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [bulkStrategy, setBulkStrategy] = useState<ConflictStrategy>("SOURCE_WINS");
  const [cardErrors, setCardErrors] = useState<Map<string, CardError[]>>(new Map());
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const [one, resolveOne] = useMutation(ResolveConflictMutation);
  const [many, resolveMany] = useMutation(ResolveConflictsMutation);
  const [ign, ignore] = useMutation(IgnoreConflictMutation);
  const toast = useToast();
  const busy = one.fetching || many.fetching || ign.fetching;
  const requestError: CombinedError | undefined = one.error ?? many.error ?? ign.error;
  const skuOf = new Map(nodes.map((n) => [n.id, `${n.sku} ${n.field}`]));

  const settled = (id: string[], errors: CardError[]) => {
    setCardErrors((m) => {
      const next = new Map(m);
      for (const i of id) next.delete(i);
      return next;
    });
    if (!errors.length) {
      setSelected((s) => new Set([...s].filter((x) => !id.includes(x))));
      notifyAlertsChanged();
      reexecute({ requestPolicy: "network-only" });
    }
  };

  const onResolve = async (id: string, resolution: ConflictResolutionInput) => {
    const r = await resolveOne({ id, resolution });
    toast.outcome(`${skuOf.get(id) ?? "The conflict"} resolved`, r, r.data?.resolveConflict.userErrors);
    if (!r.data) return;
    const { job, userErrors } = r.data.resolveConflict;
    settled([id], userErrors);
    if (userErrors.length) {
      setCardErrors((m) => new Map(m).set(id, userErrors));
      setOutcome({ message: `${skuOf.get(id) ?? "The conflict"} was not resolved.`, errors: userErrors });
    } else {
      setOutcome({ message: `${skuOf.get(id) ?? "The conflict"} resolved.`, job, errors: [] });
    }
  };

  const onIgnore = async (id: string) => {
    const r = await ignore({ id });
    toast.outcome(`${skuOf.get(id) ?? "The conflict"} ignored`, r, r.data?.ignoreConflict.userErrors);
    if (!r.data) return;
    const { userErrors } = r.data.ignoreConflict;
    settled([id], userErrors);
    if (userErrors.length) setCardErrors((m) => new Map(m).set(id, userErrors));
    setOutcome({
      message: userErrors.length
        ? `${skuOf.get(id) ?? "The conflict"} was not ignored.`
        : `${skuOf.get(id) ?? "The conflict"} ignored; its values stay as they are.`,
      errors: userErrors,
    });
  };

  const onResolveSelected = async () => {
    const ids = [...selected];
    const r = await resolveMany({ ids, strategy: bulkStrategy });
    toast.outcome(
      `${ids.length} ${ids.length === 1 ? "conflict" : "conflicts"} resolved`,
      r,
      r.data?.resolveConflicts.userErrors,
    );
    if (!r.data) return;
    const { conflicts, job, userErrors } = r.data.resolveConflicts;
    settled(userErrors.length ? [] : ids, userErrors);
    setOutcome({
      message: userErrors.length
        ? "None of the selected conflicts was resolved."
        : `${conflicts.length} ${conflicts.length === 1 ? "conflict" : "conflicts"} resolved by ${humanize(bulkStrategy)}.`,
      job,
      errors: userErrors.map((e) => {
        const at = e.field[0] === "ids" ? Number(e.field[1]) : Number.NaN;
        return { ...e, sku: Number.isInteger(at) ? skuOf.get(ids[at] ?? "") : undefined };
      }),
    });
  };

  const change = (patch: Partial<ConflictsView>) => {
    setView((v) => ({ ...v, ...patch }));
    setSelected(new Set());
  };
  const counts: Record<ConflictStatus, number | undefined> = {
    OPEN: data?.openCount.totalCount,
    RESOLVED: data?.resolvedCount.totalCount,
    IGNORED: data?.ignoredCount.totalCount,
  };
  const openIds = nodes.filter((n) => n.status === "OPEN").map((n) => n.id);
  const from = nodes.length ? cursor.pageIndex * view.pageSize + 1 : 0;

  return (
    <section className="page conflicts-page" aria-labelledby="conflicts-heading">
      <header className="page-header">
        <div>
          <h1 id="conflicts-heading">Conflicts</h1>
          <p className="page-subtitle">
            Where platforms disagree, side by side, and what each choice would write.
          </p>
        </div>
        <div className="page-header-status">
          {fetching ? <Spinner label="Loading conflicts" /> : null}
          {data ? (
            <TotalCount
              count={data.conflicts.totalCount}
              one="conflict"
              many="conflicts"
              testId="conflicts-total"
            />
          ) : null}
          <ExportMenu list="conflicts" params={() => filterParams(toConflictFilter(view))} />
        </div>
      </header>

      <div className="toolbar">
        <div className="toolbar-row">
          <fieldset className="status-tabs">
            <legend className="visually-hidden">Status</legend>
            {CONFLICT_STATUSES.map((s) => (
              <button
                key={s}
                type="button"
                className={`toggle${view.status.length === 1 && view.status[0] === s ? " is-active" : ""}`}
                aria-pressed={view.status.length === 1 && view.status[0] === s}
                data-status-tab={s}
                onClick={() => change({ status: [s] })}
              >
                {humanize(s)}
                {counts[s] !== undefined ? (
                  <span className="tab-count">{formatCount(counts[s] ?? 0)}</span>
                ) : null}
              </button>
            ))}
            <button
              type="button"
              className={`toggle${view.status.length === 0 || view.status.length === 3 ? " is-active" : ""}`}
              aria-pressed={view.status.length === 0}
              onClick={() => change({ status: [] })}
            >
              All
            </button>
          </fieldset>
          <MultiSelect
            label="Type"
            options={options(CONFLICT_TYPES)}
            selected={view.type}
            onChange={(type) => change({ type })}
          />
          <SkuSearch
            text={skuInput}
            onText={setSkuInput}
            onSearch={(sku) => change({ sku })}
            placeholder="Exact SKU, then Enter"
          />
          {view.sku ? (
            <Link href={`/alerts?sku=${encodeURIComponent(view.sku)}`} className="small">
              Alerts for {view.sku}
            </Link>
          ) : null}
        </div>
      </div>

      {canWrite ? (
        <div className="bulk-bar" aria-live="polite">
          <label className="bulk-all">
            <input
              type="checkbox"
              aria-label="Select every open conflict on this page"
              checked={openIds.length > 0 && openIds.every((id) => selected.has(id))}
              disabled={!openIds.length}
              onChange={(e) => setSelected(e.target.checked ? new Set(openIds) : new Set())}
            />
            {selected.size ? `${selected.size} selected` : "Select conflicts to resolve them together"}
          </label>
          <div className="conflict-inline">
            <select
              className="input"
              aria-label="Strategy for the selected conflicts"
              value={bulkStrategy}
              onChange={(e) => setBulkStrategy(e.target.value as ConflictStrategy)}
            >
              {COMPUTING_STRATEGIES.map((s) => (
                <option key={s} value={s}>
                  {humanize(s)}
                </option>
              ))}
            </select>
            <button
              type="button"
              className="button button-primary"
              disabled={!selected.size || busy}
              onClick={onResolveSelected}
            >
              Resolve selected
            </button>
          </div>
        </div>
      ) : (
        <p className="muted" data-testid="read-only">
          Your role can compare conflicts but not resolve or ignore them.
        </p>
      )}

      {error ? (
        <ErrorMessage error={error} onRetry={() => reexecute({ requestPolicy: "network-only" })} />
      ) : null}
      {requestError ? <ErrorMessage error={requestError} /> : null}
      {outcome ? <OutcomeNotice outcome={outcome} /> : null}

      {data ? (
        nodes.length ? (
          <>
            <div className="conflict-list" aria-busy={fetching}>
              {nodes.map((n) => (
                <ConflictCard
                  key={n.id}
                  conflict={n}
                  selected={selected.has(n.id)}
                  busy={busy}
                  errors={cardErrors.get(n.id) ?? []}
                  actions={
                    canWrite
                      ? {
                          onSelect: (on) =>
                            setSelected((s) => {
                              const next = new Set(s);
                              if (on) next.add(n.id);
                              else next.delete(n.id);
                              return next;
                            }),
                          onResolve: (resolution) => onResolve(n.id, resolution),
                          onIgnore: () => onIgnore(n.id),
                        }
                      : undefined
                  }
                />
              ))}
            </div>
            <Pager
              summary={`${formatCount(from)}–${formatCount(from + nodes.length - 1)} of ${formatCount(data.conflicts.totalCount)}`}
              pageSize={view.pageSize}
              pageSizes={PAGE_SIZES}
              hasPrevious={cursor.pageIndex > 0 || data.conflicts.pageInfo.hasPreviousPage}
              hasNext={data.conflicts.pageInfo.hasNextPage}
              disabled={fetching}
              onPageSize={(pageSize) => change({ pageSize })}
              onFirst={() => setCursor({ key, pageIndex: 0 })}
              onNext={() => {
                const after = data.conflicts.pageInfo.endCursor;
                if (after) setCursor({ key, pageIndex: cursor.pageIndex + 1, after });
              }}
              onPrevious={() => {
                const before = data.conflicts.pageInfo.startCursor;
                setCursor(
                  before && cursor.pageIndex > 1
                    ? { key, pageIndex: cursor.pageIndex - 1, before }
                    : { key, pageIndex: 0 },
                );
              }}
            />
          </>
        ) : (
          <div className="empty-state" aria-busy={fetching}>
            <h2>No conflicts here</h2>
            <p className="muted">
              {view.sku || view.type.length
                ? "Try another SKU or fewer filters."
                : view.status.join() === "OPEN"
                  ? "Every platform agrees. Nothing to resolve."
                  : "Nothing matches."}
            </p>
          </div>
        )
      ) : fetching ? (
        <div className="loading-state">
          <Spinner label="Loading conflicts" /> Loading conflicts…
        </div>
      ) : null}
    </section>
  );
}

function OutcomeNotice({ outcome }: { outcome: Outcome }) {
  if (outcome.errors.length) {
    return (
      <div className="alert-box" role="alert" data-testid="outcome">
        <strong>{outcome.message}</strong>
        <ul>
          {outcome.errors.map((e) => (
            <li key={`${e.field.join(".")}|${e.code}`}>
              {e.sku ? <span className="mono">{e.sku}: </span> : null}
              {e.message}
              <code className="error-code">{e.code}</code>
            </li>
          ))}
        </ul>
      </div>
    );
  }
  return (
    <p className="notice" role="status" data-testid="outcome">
      {outcome.message}{" "}
      {outcome.job ? (
        <>
          The platforms that disagreed are written by RESOLUTION job{" "}
          <Link href={`/sync?job=${encodeURIComponent(outcome.job.id)}`} data-testid="outcome-job">
            {outcome.job.id}
          </Link>{" "}
          ({humanize(outcome.job.status)}).
        </>
      ) : (
        "No platform needed a write."
      )}
    </p>
  );
}
