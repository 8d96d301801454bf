import type { AmazonListing } from "../sandbox.state";

export const ALL_INCLUDED_DATA = [
  "summaries",
  "attributes",
  "issues",
  "offers",
  "fulfillmentAvailability",
  "procurement",
  "relationships",
  "productTypes",
] as const;

export function afnChannelCode(region: string): string {
  return region === "EU" ? "AMAZON_EU" : region === "FE" ? "AMAZON_JP" : "AMAZON_NA";
}

export function iso(ms: number): string {
  return new Date(ms).toISOString();
}

export function summaryStatus(listing: AmazonListing): Array<"BUYABLE" | "DISCOVERABLE"> {
  switch (listing.status) {
    case "ACTIVE":
      return ["BUYABLE", "DISCOVERABLE"];
    case "INACTIVE":
      return ["DISCOVERABLE"];
    default:
      return [];
  }
}

function issues(listing: AmazonListing, marketplaceId: string): unknown[] {
  if (listing.status === "INCOMPLETE") {
    return [
      {
        code: "90220",
        message: "'brand' is required but not supplied.",
        severity: "ERROR",
        attributeNames: ["brand"],
        categories: ["MISSING_ATTRIBUTE"],
        marketplaceIds: [marketplaceId],
      },
    ];
  }
  if (listing.status === "SUPPRESSED") {
    return [
      {
        code: "18027",
        message:
          "The main image does not meet the image requirements; the listing is suppressed from search.",
        severity: "ERROR",
        attributeNames: ["main_product_image_locator"],
        categories: ["INVALID_IMAGE"],
        enforcements: { actions: [{ action: "LISTING_SUPPRESSED" }], exemption: { status: "NOT_EXEMPT" } },
        marketplaceIds: [marketplaceId],
      },
    ];
  }
  return [];
}

/** A listings item as getListingsItem/searchListingsItems return it, limited to `includedData`. */
export function renderItem(
  listing: AmazonListing,
  includedData: readonly string[],
  marketplaceId: string,
  region: string,
): Record<string, unknown> {
  const item: Record<string, unknown> = { sku: listing.sku };
  const buyable = listing.status === "ACTIVE";
  if (includedData.includes("summaries")) {
    item.summaries = [
      {
        marketplaceId,
        asin: listing.asin,
        productType: listing.productType,
        conditionType: listing.condition,
        status: summaryStatus(listing),
        ...(listing.channel === "FBA" ? { fnSku: listing.fnSku } : {}),
        itemName: listing.title,
        createdDate: iso(listing.createdAt),
        lastUpdatedDate: iso(listing.updatedAt),
      },
    ];
  }
  if (includedData.includes("attributes")) {
    const offer: Record<string, unknown> = {
      marketplace_id: marketplaceId,
      currency: listing.currency,
      our_price: [{ schedule: [{ value_with_tax: Number(listing.price) }] }],
    };
    if (listing.status === "INACTIVE") offer.end_at = { value: iso(listing.updatedAt) };
    item.attributes = {
      item_name: [{ value: listing.title, language_tag: "en_US", marketplace_id: marketplaceId }],
      condition_type: [{ value: listing.condition, marketplace_id: marketplaceId }],
      purchasable_offer: [offer],
      fulfillment_availability: [
        listing.channel === "FBM"
          ? { fulfillment_channel_code: "DEFAULT", quantity: listing.quantity }
          : { fulfillment_channel_code: afnChannelCode(region) },
      ],
    };
  }
  if (includedData.includes("issues")) item.issues = issues(listing, marketplaceId);
  if (includedData.includes("offers")) {
    item.offers =
      buyable || listing.status === "INACTIVE"
        ? [
            {
              marketplaceId,
              offerType: "B2C",
              price: { currencyCode: listing.currency, amount: listing.price },
            },
          ]
        : [];
  }
  if (includedData.includes("fulfillmentAvailability")) {
    item.fulfillmentAvailability = [
      listing.channel === "FBM"
        ? { fulfillmentChannelCode: "DEFAULT", quantity: listing.quantity }
        : { fulfillmentChannelCode: afnChannelCode(region) },
    ];
  }
  if (includedData.includes("procurement")) item.procurement = [];
  if (includedData.includes("relationships")) item.relationships = [{ marketplaceId, relationships: [] }];
  if (includedData.includes("productTypes"))
    item.productTypes = [{ marketplaceId, productType: listing.productType }];
  return item;
}

/** An FBA inventory summary as getInventorySummaries returns it. */
export function renderInventorySummary(listing: AmazonListing, details: boolean): Record<string, unknown> {
  const summary: Record<string, unknown> = {
    asin: listing.asin,
    fnSku: listing.fnSku,
    sellerSku: listing.sku,
    condition: "NewItem",
    lastUpdatedTime: iso(listing.fbaUpdatedAt),
    productName: listing.title,
    totalQuantity: listing.quantity + listing.reserved + listing.inbound + listing.unfulfillable,
    stores: [],
  };
  if (details) {
    summary.inventoryDetails = {
      fulfillableQuantity: listing.quantity,
      inboundWorkingQuantity: 0,
      inboundShippedQuantity: listing.inbound,
      inboundReceivingQuantity: 0,
      reservedQuantity: {
        totalReservedQuantity: listing.reserved,
        pendingCustomerOrderQuantity: listing.reserved,
        pendingTransshipmentQuantity: 0,
        fcProcessingQuantity: 0,
      },
      researchingQuantity: { totalResearchingQuantity: 0, researchingQuantityBreakdown: [] },
      unfulfillableQuantity: {
        totalUnfulfillableQuantity: listing.unfulfillable,
        customerDamagedQuantity: listing.unfulfillable,
        warehouseDamagedQuantity: 0,
        distributorDamagedQuantity: 0,
        carrierDamagedQuantity: 0,
        defectiveQuantity: 0,
        expiredQuantity: 0,
      },
    };
  }
  return summary;
}
