import { type RefObject, useEffect, useRef } from "react";
import { isPlainKey, isTyping } from "../../../app/shortcuts";
import { type FragmentType, graphql, useFragment } from "../../../gql";
import type { InventoryOrderField, PlatformKind, SortDirection } from "../../../gql/graphql";
import { PLATFORM_LABELS } from "../labels";
import type { RowProblem } from "./bulk-edit-panel";
import { InventoryRow, InventoryRowFragment } from "./inventory-row";

export const PlatformColumnFragment = graphql(`
  fragment PlatformColumn_connection on PlatformConnection {
    id
    name
    kind
    enabled
    priority
  }
`);

export interface PlatformColumn {
  id: string;
  kind: PlatformKind;
  name: string;
}

interface SortProps {
  sort: InventoryOrderField;
  direction: SortDirection;
  onSort(field: InventoryOrderField): void;
}

function SortableHeader({
  field,
  label,
  className,
  ...sort
}: SortProps & { field: InventoryOrderField; label: string; className?: string }) {
  const active = sort.sort === field;
  return (
    <th
      scope="col"
      className={className}
      aria-sort={active ? (sort.direction === "ASC" ? "ascending" : "descending") : undefined}
    >
      <button
        type="button"
        className={`sort-button${active ? " is-sorted" : ""}`}
        onClick={() => sort.onSort(field)}
      >
        {label}
        <span className="sort-arrow" aria-hidden="true">
          {active ? (sort.direction === "ASC" ? "▲" : "▼") : "↕"}
        </span>
      </button>
    </th>
  );
}

/** The inventory grid: Amazon's numbers, then one column per connected platform (Amazon first). */
export function InventoryTable(
  props: SortProps & {
    /** The page selects each item's id beside the row's fragment, for stable keys. */
    items: ReadonlyArray<{ id: string } & FragmentType<typeof InventoryRowFragment>>;
    connections: FragmentType<typeof PlatformColumnFragment>[];
    busy: boolean;
    /** Rows chosen for a bulk change, by SKU; absent for roles that may not edit. */
    selection?: { skus: ReadonlySet<string>; onToggle(skus: string[], selected: boolean): void };
    /** Rows the last bulk change refused, by SKU. */
    problems?: ReadonlyMap<string, readonly RowProblem[]>;
  },
) {
  const connections = useFragment(PlatformColumnFragment, props.connections);
  // Amazon is the reference every other platform is compared with, so it leads.
  const columns = [...connections].sort(
    (a, b) => Number(b.kind === "AMAZON") - Number(a.kind === "AMAZON") || a.priority - b.priority,
  );
  const sort = { sort: props.sort, direction: props.direction, onSort: props.onSort };
  const skus = useFragment(InventoryRowFragment, props.items).map((item) => item.sku);
  const table = useRef<HTMLTableElement>(null);
  useRowKeys(table);
  // The last row ticked or cleared by hand: a Shift-click applies the same to every row between.
  const anchor = useRef<string | null>(null);
  const selection = props.selection;
  const rowSelection = selection
    ? {
        skus: selection.skus,
        onToggle(rowSkus: string[], on: boolean, range?: boolean) {
          const sku = rowSkus[0]!;
          const from = anchor.current ? skus.indexOf(anchor.current) : -1;
          const to = skus.indexOf(sku);
          anchor.current = sku;
          if (range && from >= 0 && to >= 0) {
            selection.onToggle(skus.slice(Math.min(from, to), Math.max(from, to) + 1), on);
          } else selection.onToggle(rowSkus, on);
        },
      }
    : undefined;

  return (
    <div className="table-wrap table-scroll">
      <table
        ref={table}
        className={`inventory-table table-cards${selection ? " has-select" : ""}`}
        aria-busy={props.busy}
        aria-label="Inventory"
      >
        <colgroup>
          {props.selection ? <col className="col-select" /> : null}
          <col className="col-sku" />
          <col className="col-product" />
        </colgroup>
        <thead>
          <tr className="header-groups">
            {props.selection ? <th scope="colgroup" /> : null}
            <th colSpan={10} scope="colgroup" className="group-amazon">
              Amazon seller inventory
            </th>
            {columns.length ? (
              <th colSpan={columns.length} scope="colgroup" className="group-platforms">
                Listings by platform
                <span className="legend">
                  <span className="legend-swatch" aria-hidden="true" />
                  differs from Amazon
                </span>
              </th>
            ) : null}
            <th scope="colgroup" />
          </tr>
          <tr>
            {props.selection ? (
              <th scope="col" className="cell-select">
                <SelectPage items={props.items} selection={props.selection} />
              </th>
            ) : null}
            <SortableHeader field="SKU" label="SKU / ASIN" className="cell-sku" {...sort} />
            <SortableHeader field="TITLE" label="Product" {...sort} />
            <th scope="col" className="col-optional">
              Channel
            </th>
            <th scope="col">Status</th>
            <th scope="col">Stock</th>
            <SortableHeader field="QUANTITY" label="Qty" className="num" {...sort} />
            <th scope="col" className="num col-optional">
              Reserved
            </th>
            <SortableHeader field="AVAILABLE" label="Available" className="num" {...sort} />
            <th scope="col" className="num col-optional">
              Inbound
            </th>
            <SortableHeader field="PRICE" label="Price" className="num" {...sort} />
            {columns.map((c) => (
              <th key={c.id} scope="col" className="platform-header" title={c.name}>
                <span className={`platform-name platform-${c.kind.toLowerCase()}`}>
                  {PLATFORM_LABELS[c.kind]}
                </span>
                <span className="platform-account">
                  {c.name}
                  {c.enabled ? "" : " (paused)"}
                </span>
              </th>
            ))}
            <th scope="col">Issues</th>
          </tr>
        </thead>
        <tbody>
          {props.items.map((item, i) => (
            <InventoryRow
              key={item.id}
              item={item}
              columns={columns}
              selection={rowSelection}
              problems={props.problems?.get(skus[i]!)}
            />
          ))}
        </tbody>
      </table>
    </div>
  );
}

/**
 * `j` and `k` move the focus to the next or previous row (its SKU link), `x` ticks or clears the row holding the
 * focus; never while typing in a field.
 */
function useRowKeys(table: RefObject<HTMLTableElement | null>) {
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (!isPlainKey(event) || event.shiftKey || isTyping(event) || !table.current) return;
      if (!["j", "k", "x"].includes(event.key)) return;
      const rows = [...table.current.querySelectorAll<HTMLTableRowElement>("tbody tr[data-sku]")];
      const current = rows.findIndex((row) => row.contains(document.activeElement));
      if (event.key === "x") {
        const box = rows[current]?.querySelector<HTMLInputElement>(".cell-select input");
        if (!box) return;
        event.preventDefault();
        box.click();
        return;
      }
      const next = rows[current < 0 ? 0 : current + (event.key === "j" ? 1 : -1)];
      const link = next?.querySelector<HTMLElement>(".cell-sku a");
      if (!link) return;
      event.preventDefault();
      link.focus();
    };
    document.addEventListener("keydown", onKey);
    return () => document.removeEventListener("keydown", onKey);
  }, [table]);
}

/** Selects or clears every row of the page. */
function SelectPage(props: {
  items: ReadonlyArray<FragmentType<typeof InventoryRowFragment>>;
  selection: { skus: ReadonlySet<string>; onToggle(skus: string[], selected: boolean): void };
}) {
  const skus = useFragment(InventoryRowFragment, props.items).map((item) => item.sku);
  const all = skus.length > 0 && skus.every((sku) => props.selection.skus.has(sku));
  return (
    <input
      type="checkbox"
      aria-label="Select every row of this page"
      checked={all}
      onChange={(e) => props.selection.onToggle(skus, e.target.checked)}
    />
  );
}
