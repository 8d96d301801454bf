import { type FragmentType, graphql, useFragment } from "../../../gql";
import type { InventoryOrderField, PlatformKind, SortDirection } from "../../../gql/graphql";
import { PLATFORM_LABELS } from "../labels";
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
  },
) {
  const connections = useFragment(PlatformColumnFragment, props.connections);
  // Amazon is the reference every other platform is compared with, so it leads.
  const columns = [...connections].sort(
    (a, b) => Number(b.kind === "AMAZON") - Number(a.kind === "AMAZON") || a.priority - b.priority,
  );
  const sort = { sort: props.sort, direction: props.direction, onSort: props.onSort };

  return (
    <div className="table-wrap">
      <table className="inventory-table" aria-busy={props.busy} aria-label="Inventory">
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
            <SortableHeader field="SKU" label="SKU / ASIN" {...sort} />
            <SortableHeader field="TITLE" label="Product" {...sort} />
            <th scope="col">Channel</th>
            <th scope="col">Status</th>
            <th scope="col">Stock</th>
            <SortableHeader field="QUANTITY" label="Qty" className="num" {...sort} />
            <th scope="col" className="num">
              Reserved
            </th>
            <SortableHeader field="AVAILABLE" label="Available" className="num" {...sort} />
            <th scope="col" className="num">
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
          {props.items.map((item) => (
            <InventoryRow key={item.id} item={item} columns={columns} selection={props.selection} />
          ))}
        </tbody>
      </table>
    </div>
  );
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
