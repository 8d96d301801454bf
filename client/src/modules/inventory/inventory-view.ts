import type {
  FulfillmentChannel,
  InventoryFilter,
  InventoryOrderField,
  ListingStatus,
  PlatformKind,
  SortDirection,
  StockLevel,
} from "../../gql/graphql";
import { filterParams } from "../exports/export-menu";
import {
  FULFILLMENT_CHANNEL_LABELS,
  keysOf,
  LISTING_STATUS_LABELS,
  PLATFORM_LABELS,
  SORT_FIELD_LABELS,
  STOCK_LEVEL_LABELS,
} from "./labels";

export const PAGE_SIZES = [25, 50, 100, 250];
/** The API's page size cap. */
export const MAX_PAGE_SIZE = 250;

/** What the inventory page shows: everything here survives a reload through the query string. */
export interface InventoryView {
  search: string;
  status: ListingStatus[];
  stockLevel: StockLevel[];
  fulfillmentChannel: FulfillmentChannel[];
  category: string[];
  brand: string[];
  platform: PlatformKind[];
  bestsellersOnly: boolean;
  sort: InventoryOrderField;
  direction: SortDirection;
  pageSize: number;
}

export const DEFAULT_VIEW: InventoryView = {
  search: "",
  status: [],
  stockLevel: [],
  fulfillmentChannel: [],
  category: [],
  brand: [],
  platform: [],
  bestsellersOnly: false,
  sort: "TITLE",
  direction: "ASC",
  pageSize: 50,
};

function oneOf<T extends string>(allowed: readonly T[], values: string[]): T[] {
  return values.filter((v): v is T => (allowed as readonly string[]).includes(v));
}

function list(params: URLSearchParams, key: string): string[] {
  return params
    .getAll(key)
    .flatMap((v) => v.split(","))
    .filter(Boolean);
}

/** Reads a view from a query string, ignoring anything it does not recognise. */
export function parseView(search: string): InventoryView {
  const params = new URLSearchParams(search);
  const sort = params.get("sort") ?? "";
  const size = Number(params.get("size"));
  return {
    search: params.get("q") ?? "",
    status: oneOf(keysOf(LISTING_STATUS_LABELS), list(params, "status")),
    stockLevel: oneOf(keysOf(STOCK_LEVEL_LABELS), list(params, "stock")),
    fulfillmentChannel: oneOf(keysOf(FULFILLMENT_CHANNEL_LABELS), list(params, "channel")),
    category: params.getAll("category"),
    brand: params.getAll("brand"),
    platform: oneOf(keysOf(PLATFORM_LABELS), list(params, "platform")),
    bestsellersOnly: params.get("bestsellers") === "1",
    sort: oneOf(keysOf(SORT_FIELD_LABELS), [sort])[0] ?? DEFAULT_VIEW.sort,
    direction: params.get("dir") === "desc" ? "DESC" : "ASC",
    pageSize: Number.isInteger(size) && size > 0 ? Math.min(size, MAX_PAGE_SIZE) : DEFAULT_VIEW.pageSize,
  };
}

/** Writes a view as a query string, leaving out what equals the default. */
export function serializeView(view: InventoryView): URLSearchParams {
  const params = new URLSearchParams();
  if (view.search.trim()) params.set("q", view.search.trim());
  if (view.status.length) params.set("status", view.status.join(","));
  if (view.stockLevel.length) params.set("stock", view.stockLevel.join(","));
  if (view.fulfillmentChannel.length) params.set("channel", view.fulfillmentChannel.join(","));
  // Categories and brands may contain commas, so each is its own parameter.
  for (const c of view.category) params.append("category", c);
  for (const b of view.brand) params.append("brand", b);
  if (view.platform.length) params.set("platform", view.platform.join(","));
  if (view.bestsellersOnly) params.set("bestsellers", "1");
  if (view.sort !== DEFAULT_VIEW.sort) params.set("sort", view.sort);
  if (view.direction !== DEFAULT_VIEW.direction) params.set("dir", view.direction.toLowerCase());
  if (view.pageSize !== DEFAULT_VIEW.pageSize) params.set("size", String(view.pageSize));
  return params;
}

/** The API filter for a view; empty conditions are left out rather than sent as "match nothing". */
export function toFilter(view: InventoryView, search: string): InventoryFilter {
  const filter: InventoryFilter = {};
  if (search.trim()) filter.search = search.trim();
  if (view.status.length) filter.status = view.status;
  if (view.stockLevel.length) filter.stockLevel = view.stockLevel;
  if (view.fulfillmentChannel.length) filter.fulfillmentChannel = view.fulfillmentChannel;
  if (view.category.length) filter.category = view.category;
  if (view.brand.length) filter.brand = view.brand;
  if (view.platform.length) filter.platform = view.platform;
  if (view.bestsellersOnly) filter.isBestseller = true;
  return filter;
}

/** How many filters (not search, sort or size) narrow the view. */
export function activeFilterCount(view: InventoryView): number {
  return (
    view.status.length +
    view.stockLevel.length +
    view.fulfillmentChannel.length +
    view.category.length +
    view.brand.length +
    view.platform.length +
    (view.bestsellersOnly ? 1 : 0)
  );
}

export function clearFilters(view: InventoryView): InventoryView {
  return {
    ...DEFAULT_VIEW,
    search: "",
    sort: view.sort,
    direction: view.direction,
    pageSize: view.pageSize,
  };
}

/**
 * The query string of an export of what the page shows: the same filter the page's query sends, each field a
 * parameter of its name (lists repeated), and its order as `orderBy` and `direction`.
 */
export function toExportParams(filter: InventoryFilter, view: InventoryView): URLSearchParams {
  const params = filterParams(filter);
  params.set("orderBy", view.sort);
  params.set("direction", view.direction);
  return params;
}
