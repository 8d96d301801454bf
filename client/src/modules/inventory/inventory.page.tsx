import { useEffect, useMemo, useState } from "react";
import { useQuery } from "urql";
import { replaceSearch } from "../../app/router";
import { graphql } from "../../gql";
import type { InventoryOrderField } from "../../gql/graphql";
import { ErrorMessage } from "../../ui/error-message";
import { formatCount } from "../../ui/format";
import { Spinner } from "../../ui/spinner";
import { useDebouncedValue } from "../../ui/use-debounced-value";
import { AnalyticsSummary } from "../analytics";
import { ExportMenu } from "../exports";
import { useCan } from "../session";
import { BulkEditPanel, type RowProblem } from "./components/bulk-edit-panel";
import "./inventory-pages.css";
import { TotalCount } from "../../ui/total-count";
import { InventoryPagination } from "./components/inventory-pagination";
import { InventoryTable } from "./components/inventory-table";
import { InventoryToolbar } from "./components/inventory-toolbar";
import {
  activeFilterCount,
  clearFilters,
  type InventoryView,
  parseView,
  serializeView,
  toExportParams,
  toFilter,
} from "./inventory-view";

export const InventoryPageQuery = graphql(`
  query InventoryPage(
    $filter: InventoryFilter
    $orderBy: InventoryOrder
    $first: Int
    $after: String
    $last: Int
    $before: String
  ) {
    inventory(filter: $filter, orderBy: $orderBy, first: $first, after: $after, last: $last, before: $before) {
      totalCount
      nodes {
        id
        sku
        ...InventoryRow_item
      }
      ...InventoryPagination_connection
    }
    inventoryFacets {
      ...InventoryToolbar_facets
    }
    platformConnections {
      id
      kind
      enabled
      ...PlatformColumn_connection
      ...InventoryToolbar_connection
    }
  }
`);

const SEARCH_DEBOUNCE_MS = 250;

interface Cursor {
  /** The filter, sort and size this cursor belongs to; any change to them starts again at page one. */
  key: string;
  pageIndex: number;
  after?: string;
  before?: string;
}

/** Inventory across every platform: search, filter, sort and page through the tenant's SKUs. */
export function InventoryPage() {
  const [view, setView] = useState<InventoryView>(() => parseView(window.location.search));
  const search = useDebouncedValue(view.search, SEARCH_DEBOUNCE_MS);

  useEffect(() => {
    replaceSearch(serializeView(view));
  }, [view]);

  const filter = useMemo(() => toFilter(view, search), [view, search]);
  const key = JSON.stringify([filter, view.sort, view.direction, view.pageSize]);
  const [cursorState, setCursor] = useState<Cursor>({ key, pageIndex: 0 });
  const cursor: Cursor = cursorState.key === key ? cursorState : { key, pageIndex: 0 };

  const variables = useMemo(
    () => ({
      filter,
      orderBy: { field: view.sort, direction: view.direction },
      ...(cursor.before
        ? { last: view.pageSize, before: cursor.before }
        : { first: view.pageSize, after: cursor.after ?? null }),
    }),
    [filter, view.sort, view.direction, view.pageSize, cursor.before, cursor.after],
  );
  const [result, reexecute] = useQuery({ query: InventoryPageQuery, variables });
  // Rows chosen for a bulk change, kept across pages, searches and filters until cleared or applied.
  const canEdit = useCan("write_inventory");
  const canReadAnalytics = useCan("read_analytics");
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  // "Select all N matching": every row of this filter and search, not only the ticked ones; another filter drops it.
  const filterKey = JSON.stringify(filter);
  const [matchingState, setMatching] = useState<{ key: string; total: number } | null>(null);
  const matching =
    canEdit && matchingState?.key === filterKey ? { filter, total: matchingState.total } : undefined;
  useEffect(() => {
    setMatching((m) => (m && m.key !== filterKey ? null : m));
  }, [filterKey]);
  const [rowProblems, setRowProblems] = useState<ReadonlyMap<string, readonly RowProblem[]>>(new Map());
  const clearSelection = () => {
    setSelected(new Set());
    setMatching(null);
    setRowProblems(new Map());
  };
  const selection = canEdit
    ? {
        skus: selected,
        onToggle: (skus: string[], on: boolean) => {
          // Clearing any row leaves "every matching row" for the rows still ticked.
          if (!on) setMatching(null);
          setSelected((current) => {
            const next = new Set(current);
            for (const sku of skus) on ? next.add(sku) : next.delete(sku);
            return next;
          });
        },
      }
    : undefined;
  const { data, error, fetching } = result;
  const pageSkus = data?.inventory.nodes.map((n) => n.sku) ?? [];
  const pageAllTicked = pageSkus.length > 0 && pageSkus.every((sku) => selected.has(sku));
  const total = data?.inventory.totalCount ?? 0;

  const onSort = (field: InventoryOrderField) =>
    setView((v) => ({
      ...v,
      sort: field,
      direction: v.sort === field && v.direction === "ASC" ? "DESC" : "ASC",
    }));

  return (
    <section className="page" aria-labelledby="inventory-heading">
      <header className="page-header">
        <div>
          <h1 id="inventory-heading">Inventory</h1>
          <p className="page-subtitle">Amazon seller inventory and every platform listing, side by side.</p>
        </div>
        <div className="page-header-status">
          {fetching ? <Spinner label="Loading inventory" /> : null}
          {data ? (
            <TotalCount count={data.inventory.totalCount} one="item" many="items" testId="inventory-total" />
          ) : null}
          <ExportMenu list="inventory" params={() => toExportParams(filter, view)} />
        </div>
      </header>

      {canReadAnalytics ? <AnalyticsSummary /> : null}

      <InventoryToolbar
        view={view}
        onChange={setView}
        facets={data?.inventoryFacets}
        connections={data?.platformConnections ?? []}
      />

      {error ? (
        <ErrorMessage error={error} onRetry={() => reexecute({ requestPolicy: "network-only" })} />
      ) : null}

      {selection && data && (matching || (pageAllTicked && total > pageSkus.length)) ? (
        <div className="panel select-all-banner" role="status" data-testid="select-all-banner">
          {matching ? (
            <>
              All <strong>{formatCount(matching.total)}</strong> items matching the filter are selected.{" "}
              <button type="button" className="link-button" onClick={clearSelection}>
                Clear selection
              </button>
            </>
          ) : (
            <>
              All {formatCount(pageSkus.length)} items on this page are selected.{" "}
              <button
                type="button"
                className="link-button"
                onClick={() => setMatching({ key: filterKey, total })}
              >
                Select all {formatCount(total)} matching the filter
              </button>
            </>
          )}
        </div>
      ) : null}

      {selection && (matching || selected.size > 0) ? (
        <BulkEditPanel
          key={matching ? `matching-${filterKey}` : "selected"}
          skus={[...selected]}
          matching={matching}
          platforms={[
            ...new Set((data?.platformConnections ?? []).filter((c) => c.enabled).map((c) => c.kind)),
          ]}
          onApplied={() => reexecute({ requestPolicy: "network-only" })}
          onClear={clearSelection}
          onRowProblems={setRowProblems}
        />
      ) : null}

      {data ? (
        data.inventory.nodes.length ? (
          <>
            <InventoryTable
              items={data.inventory.nodes}
              connections={data.platformConnections}
              busy={fetching}
              selection={selection}
              problems={rowProblems}
              sort={view.sort}
              direction={view.direction}
              onSort={onSort}
            />
            <InventoryPagination
              connection={data.inventory}
              pageIndex={cursor.pageIndex}
              pageSize={view.pageSize}
              shown={data.inventory.nodes.length}
              busy={fetching}
              onPageSize={(pageSize) => setView((v) => ({ ...v, pageSize }))}
              onFirst={() => setCursor({ key, pageIndex: 0 })}
              onNext={(after) => setCursor({ key, pageIndex: cursor.pageIndex + 1, after })}
              onPrevious={(before) =>
                setCursor({ key, pageIndex: Math.max(0, cursor.pageIndex - 1), before })
              }
            />
          </>
        ) : (
          <div className="empty-state" aria-busy={fetching}>
            <h2>No items match</h2>
            <p className="muted">
              {activeFilterCount(view) || view.search
                ? "Try another search or fewer filters."
                : "This store has no inventory yet."}
            </p>
            {activeFilterCount(view) || view.search ? (
              <button type="button" className="button" onClick={() => setView(clearFilters(view))}>
                Clear search and filters
              </button>
            ) : null}
          </div>
        )
      ) : fetching ? (
        <div className="loading-state">
          <Spinner label="Loading inventory" /> Loading inventory…
        </div>
      ) : null}
    </section>
  );
}
