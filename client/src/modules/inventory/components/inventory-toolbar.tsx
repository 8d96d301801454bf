import { type FragmentType, graphql, useFragment } from "../../../gql";
import type { InventoryOrderField, PlatformKind } from "../../../gql/graphql";
import { MultiSelect, type Option } from "../../../ui/multi-select";
import { activeFilterCount, clearFilters, type InventoryView } from "../inventory-view";
import {
  FULFILLMENT_CHANNEL_LABELS,
  keysOf,
  LISTING_STATUS_LABELS,
  PLATFORM_LABELS,
  SORT_FIELD_LABELS,
  STOCK_LEVEL_LABELS,
} from "../labels";

export const InventoryToolbarFacetsFragment = graphql(`
  fragment InventoryToolbar_facets on InventoryFacets {
    categories {
      value
      count
    }
    brands {
      value
      count
    }
  }
`);

export const InventoryToolbarConnectionFragment = graphql(`
  fragment InventoryToolbar_connection on PlatformConnection {
    id
    kind
  }
`);

function optionsOf<K extends string>(labels: Record<K, string>): Option<K>[] {
  return keysOf(labels).map((value) => ({ value, label: labels[value] }));
}

const STATUS_OPTIONS = optionsOf(LISTING_STATUS_LABELS);
const STOCK_OPTIONS = optionsOf(STOCK_LEVEL_LABELS);
const CHANNEL_OPTIONS = optionsOf(FULFILLMENT_CHANNEL_LABELS);

/** Search, filters and sort for the inventory; every change goes straight to `onChange`. */
export function InventoryToolbar(props: {
  view: InventoryView;
  onChange(view: InventoryView): void;
  facets: FragmentType<typeof InventoryToolbarFacetsFragment> | undefined;
  connections: FragmentType<typeof InventoryToolbarConnectionFragment>[];
}) {
  const { view, onChange } = props;
  const facets = useFragment(InventoryToolbarFacetsFragment, props.facets);
  const connections = useFragment(InventoryToolbarConnectionFragment, props.connections);
  const set = <K extends keyof InventoryView>(key: K, value: InventoryView[K]) =>
    onChange({ ...view, [key]: value });

  const facetOptions = (values: { value: string; count: number }[] | undefined, selected: string[]) => {
    const options = (values ?? []).map((f) => ({ value: f.value, label: f.value, count: f.count }));
    // Keep a selection from the URL visible even before (or without) its facet.
    for (const value of selected) {
      if (!options.some((o) => o.value === value)) options.push({ value, label: value, count: 0 });
    }
    return options;
  };
  const kinds = [...new Set(connections.map((c) => c.kind))];
  const platformOptions: Option<PlatformKind>[] = kinds.map((k) => ({ value: k, label: PLATFORM_LABELS[k] }));
  const filters = activeFilterCount(view);

  return (
    <div className="toolbar">
      <div className="toolbar-row">
        <div className="search">
          <span className="search-icon" aria-hidden="true" />
          <input
            type="search"
            aria-label="Search inventory"
            placeholder="Search SKU, ASIN, title or brand"
            value={view.search}
            onChange={(e) => set("search", e.target.value)}
            spellCheck={false}
            autoComplete="off"
          />
        </div>
        <div className="sort">
          <label>
            Sort by
            <select
              aria-label="Sort by"
              value={view.sort}
              onChange={(e) => set("sort", e.target.value as InventoryOrderField)}
            >
              {keysOf(SORT_FIELD_LABELS).map((field) => (
                <option key={field} value={field}>
                  {SORT_FIELD_LABELS[field]}
                </option>
              ))}
            </select>
          </label>
          <button
            type="button"
            className="button"
            aria-label={
              // The visible word leads the name, so a voice command of what is seen finds the button.
              view.direction === "ASC"
                ? "Asc: ascending, switch to descending"
                : "Desc: descending, switch to ascending"
            }
            onClick={() => set("direction", view.direction === "ASC" ? "DESC" : "ASC")}
          >
            {view.direction === "ASC" ? "↑ Asc" : "↓ Desc"}
          </button>
        </div>
      </div>
      <fieldset className="toolbar-row filters">
        <legend className="visually-hidden">Filters</legend>
        <MultiSelect
          label="Status"
          options={STATUS_OPTIONS}
          selected={view.status}
          onChange={(v) => set("status", v)}
        />
        <MultiSelect
          label="Stock"
          options={STOCK_OPTIONS}
          selected={view.stockLevel}
          onChange={(v) => set("stockLevel", v)}
        />
        <MultiSelect
          label="Channel"
          options={CHANNEL_OPTIONS}
          selected={view.fulfillmentChannel}
          onChange={(v) => set("fulfillmentChannel", v)}
        />
        <MultiSelect
          label="Category"
          options={facetOptions(facets?.categories, view.category)}
          selected={view.category}
          onChange={(v) => set("category", v)}
          disabled={!facets && view.category.length === 0}
        />
        <MultiSelect
          label="Brand"
          options={facetOptions(facets?.brands, view.brand)}
          selected={view.brand}
          onChange={(v) => set("brand", v)}
          disabled={!facets && view.brand.length === 0}
        />
        <MultiSelect
          label="Platform"
          options={platformOptions}
          selected={view.platform}
          onChange={(v) => set("platform", v)}
          disabled={platformOptions.length === 0}
        />
        <label className={`toggle${view.bestsellersOnly ? " is-active" : ""}`}>
          <input
            type="checkbox"
            checked={view.bestsellersOnly}
            onChange={(e) => set("bestsellersOnly", e.target.checked)}
          />
          Bestsellers only
        </label>
        {filters || view.search ? (
          <button type="button" className="link-button" onClick={() => onChange(clearFilters(view))}>
            Clear all
          </button>
        ) : null}
      </fieldset>
    </div>
  );
}
