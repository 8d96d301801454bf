import type { ListingStatus, NormalizedListing } from "../port";

export interface SpIssue {
  code?: string;
  message?: string;
  severity?: string;
  enforcements?: { actions?: Array<{ action?: string }> };
}

export interface SpItem {
  sku: string;
  summaries?: Array<{
    marketplaceId?: string;
    asin?: string;
    productType?: string;
    status?: string[];
    itemName?: string;
    createdDate?: string;
    lastUpdatedDate?: string;
    fnSku?: string;
  }>;
  attributes?: Record<string, Array<Record<string, unknown>>>;
  issues?: SpIssue[];
  offers?: Array<{
    marketplaceId?: string;
    offerType?: string;
    price?: { currencyCode?: string; amount?: string };
  }>;
  fulfillmentAvailability?: Array<{ fulfillmentChannelCode?: string; quantity?: number }>;
}

export interface SpInventorySummary {
  sellerSku?: string;
  asin?: string;
  fnSku?: string;
  lastUpdatedTime?: string;
  totalQuantity?: number;
  inventoryDetails?: {
    fulfillableQuantity?: number;
    inboundWorkingQuantity?: number;
    inboundShippedQuantity?: number;
    inboundReceivingQuantity?: number;
    reservedQuantity?: { totalReservedQuantity?: number };
    researchingQuantity?: { totalResearchingQuantity?: number };
    unfulfillableQuantity?: { totalUnfulfillableQuantity?: number };
  };
}

const SUPPRESSING = new Set(["LISTING_SUPPRESSED", "SEARCH_SUPPRESSED", "CATALOG_ITEM_REMOVED"]);

/** Buyable is ACTIVE; an enforcement is SUPPRESSED; blocking issues are INCOMPLETE; anything else INACTIVE. */
export function amazonStatus(item: SpItem, marketplaceId: string): ListingStatus {
  const summary = item.summaries?.find((s) => s.marketplaceId === marketplaceId) ?? item.summaries?.[0];
  if (summary?.status?.includes("BUYABLE")) return "ACTIVE";
  const issues = item.issues ?? [];
  if (issues.some((i) => i.enforcements?.actions?.some((a) => SUPPRESSING.has(a.action ?? ""))))
    return "SUPPRESSED";
  if (issues.some((i) => i.severity === "ERROR")) return "INCOMPLETE";
  return "INACTIVE";
}

/** Normalises a price to a decimal string without going through float arithmetic where a string exists. */
export function decimalString(value: unknown): string | null {
  if (typeof value === "string" && /^-?\d+(\.\d+)?$/.test(value.trim())) return value.trim();
  if (typeof value === "number" && Number.isFinite(value)) return String(value);
  return null;
}

/**
 * The seller's own consumer price in this store: `our_price` of the ALL-audience purchasable offer, not a
 * running sale price nor the B2B price; the B2C offer's price only when attributes were not returned.
 */
function offerPrice(item: SpItem, marketplaceId: string): { price: string | null; currency: string | null } {
  const offers = item.attributes?.purchasable_offer ?? [];
  const purchasable =
    offers.find((o) => o.marketplace_id === marketplaceId && (o.audience ?? "ALL") === "ALL") ??
    offers.find((o) => (o.audience ?? "ALL") === "ALL");
  const ourPrice = purchasable?.our_price as
    | Array<{ schedule?: Array<{ value_with_tax?: unknown }> }>
    | undefined;
  const price = decimalString(ourPrice?.[0]?.schedule?.[0]?.value_with_tax);
  if (price !== null) return { price, currency: (purchasable?.currency as string | undefined) ?? null };
  const offer =
    item.offers?.find((o) => o.marketplaceId === marketplaceId && (o.offerType ?? "B2C") === "B2C") ??
    item.offers?.find((o) => (o.offerType ?? "B2C") === "B2C");
  return {
    price: offer?.price ? decimalString(offer.price.amount) : null,
    currency: offer?.price?.currencyCode ?? null,
  };
}

/** Maps a Listings Items API item (plus its FBA summary, if any) to the normalised listing. */
export function toNormalizedListing(
  item: SpItem,
  marketplaceId: string,
  fba?: SpInventorySummary,
): NormalizedListing {
  const summary = item.summaries?.find((s) => s.marketplaceId === marketplaceId) ?? item.summaries?.[0];
  const availability = item.fulfillmentAvailability?.[0];
  const fbm = availability ? availability.fulfillmentChannelCode === "DEFAULT" : !fba;
  const { price, currency } = offerPrice(item, marketplaceId);
  const listing: NormalizedListing = {
    sku: item.sku,
    externalIds: { asin: summary?.asin, productType: summary?.productType },
    quantity: fbm ? (availability?.quantity ?? null) : (fba?.inventoryDetails?.fulfillableQuantity ?? null),
    price,
    currency,
    status: amazonStatus(item, marketplaceId),
    fulfillmentChannel: fbm ? "FBM" : "FBA",
    title: summary?.itemName,
    version: summary?.lastUpdatedDate,
    createdAt: summary?.createdDate,
    updatedAt: summary?.lastUpdatedDate,
  };
  if (!fbm && fba?.inventoryDetails) {
    const d = fba.inventoryDetails;
    listing.quantityDetail = {
      reserved: d.reservedQuantity?.totalReservedQuantity ?? 0,
      inbound:
        (d.inboundWorkingQuantity ?? 0) + (d.inboundShippedQuantity ?? 0) + (d.inboundReceivingQuantity ?? 0),
      unfulfillable: d.unfulfillableQuantity?.totalUnfulfillableQuantity ?? 0,
      researching: d.researchingQuantity?.totalResearchingQuantity ?? 0,
    };
    if (fba.lastUpdatedTime && (!listing.updatedAt || fba.lastUpdatedTime > listing.updatedAt))
      listing.updatedAt = fba.lastUpdatedTime;
  }
  return listing;
}
