import type { FulfillmentChannel, PlatformKind } from "../../gql/graphql";

// Keyed by the generated unions: a value added to the schema fails type-checking until labelled here.

export const PLATFORM_LABELS: Record<PlatformKind, string> = {
  AMAZON: "Amazon",
  MEDUSA: "Medusa",
  SHOPIFY: "Shopify",
  EBAY: "eBay",
  WOOCOMMERCE: "WooCommerce",
  CUSTOM: "Custom",
};

export const CHANNEL_LABELS: Record<FulfillmentChannel, string> = {
  FBA: "FBA (Amazon)",
  FBM: "FBM (merchant)",
};
