import type {
  FulfillmentChannel,
  InventoryOrderField,
  ListingStatus,
  PlatformKind,
  StockLevel,
} from "../../gql/graphql";

// Records keyed by the generated unions: a value added to the schema fails type-checking until labelled here.

export const LISTING_STATUS_LABELS: Record<ListingStatus, string> = {
  ACTIVE: "Active",
  INACTIVE: "Inactive",
  INCOMPLETE: "Incomplete",
  SUPPRESSED: "Suppressed",
  DELETED: "Deleted",
};

export const STOCK_LEVEL_LABELS: Record<StockLevel, string> = {
  IN_STOCK: "In stock",
  LOW_STOCK: "Low stock",
  OUT_OF_STOCK: "Out of stock",
};

export const FULFILLMENT_CHANNEL_LABELS: Record<FulfillmentChannel, string> = {
  FBA: "FBA (Amazon)",
  FBM: "FBM (merchant)",
};

export const PLATFORM_LABELS: Record<PlatformKind, string> = {
  AMAZON: "Amazon",
  MEDUSA: "Medusa",
  SHOPIFY: "Shopify",
  EBAY: "eBay",
  WOOCOMMERCE: "WooCommerce",
  CUSTOM: "Custom",
};

export const SORT_FIELD_LABELS: Record<InventoryOrderField, string> = {
  TITLE: "Title",
  SKU: "SKU",
  QUANTITY: "Quantity",
  AVAILABLE: "Available",
  PRICE: "Price",
  UPDATED_AT: "Updated",
};

export function keysOf<K extends string>(labels: Record<K, string>): K[] {
  return Object.keys(labels) as K[];
}
