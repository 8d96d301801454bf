import {
  type AmazonListing,
  type AmazonOffer,
  inboundOf,
  offerIn,
  reservedOf,
  type StoredIssue,
} from "../sandbox.state";

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

/** Where the listing is rendered: the requested stores (known to the seller) and the home store. */
export interface RenderContext {
  marketplaceIds: readonly string[];
  home: string;
  region: string;
  now: number;
}

export function afnChannelCode(region: string): string {
  return region === "EU" ? "AMAZON_EU" : region === "FE" ? "AMAZON_JP" : "AMAZON_NA";
}

export function iso(ms: number): string {
  return new Date(ms).toISOString();
}

/** Buyable and discoverable as Amazon shows it: a partial listing is neither. */
export function summaryStatus(
  listing: AmazonListing,
  offer: AmazonOffer | undefined = listing,
): Array<"BUYABLE" | "DISCOVERABLE"> {
  if (listing.partial || !offer) return [];
  switch (offer.status) {
    case "ACTIVE":
      return ["BUYABLE", "DISCOVERABLE"];
    case "INACTIVE":
      return ["DISCOVERABLE"];
    default:
      return [];
  }
}

/** The stores of the request where this listing has an offer. */
export function storesOf(listing: AmazonListing, ctx: RenderContext): Array<[string, AmazonOffer]> {
  const out: Array<[string, AmazonOffer]> = [];
  for (const id of ctx.marketplaceIds) {
    const offer = offerIn(listing, id, ctx.home);
    if (offer) out.push([id, offer]);
  }
  return out;
}

/** The listing's issues in the requested stores. */
export function issuesIn(listing: AmazonListing, marketplaceIds: readonly string[]): StoredIssue[] {
  return listing.issues.filter((i) => i.marketplaceIds.some((m) => marketplaceIds.includes(m)));
}

function renderIssue(issue: StoredIssue, marketplaceIds: readonly string[]): Record<string, unknown> {
  return {
    code: issue.code,
    message: issue.message,
    severity: issue.severity,
    attributeNames: issue.attributeNames,
    categories: issue.categories,
    ...(issue.suppresses
      ? { enforcements: { actions: [{ action: "LISTING_SUPPRESSED" }], exemption: { status: "NOT_EXEMPT" } } }
      : {}),
    marketplaceIds: issue.marketplaceIds.filter((m) => marketplaceIds.includes(m)),
  };
}

const saleRunning = (offer: AmazonOffer, now: number) =>
  offer.sale !== undefined && offer.sale.startAt <= now && now < offer.sale.endAt;

/** The purchasable_offer attribute values of one store: the consumer offer (ALL) and a B2B one when set. */
function purchasableOffers(marketplaceId: string, offer: AmazonOffer, updatedAt: number): unknown[] {
  const all: Record<string, unknown> = {
    marketplace_id: marketplaceId,
    currency: offer.currency,
    audience: "ALL",
    our_price: [{ schedule: [{ value_with_tax: Number(offer.price) }] }],
  };
  if (offer.sale)
    all.discounted_price = [
      {
        schedule: [
          {
            value_with_tax: Number(offer.sale.price),
            start_at: iso(offer.sale.startAt),
            end_at: iso(offer.sale.endAt),
          },
        ],
      },
    ];
  if (offer.status === "INACTIVE") all.end_at = { value: iso(updatedAt) };
  const values = [all];
  if (offer.businessPrice)
    values.push({
      marketplace_id: marketplaceId,
      currency: offer.currency,
      audience: "B2B",
      our_price: [{ schedule: [{ value_with_tax: Number(offer.businessPrice) }] }],
    });
  return values;
}

/** A listings item as getListingsItem/searchListingsItems return it, limited to `includedData`. */
export function renderItem(
  listing: AmazonListing,
  includedData: readonly string[],
  ctx: RenderContext,
): Record<string, unknown> {
  const item: Record<string, unknown> = { sku: listing.sku };
  const stores = storesOf(listing, ctx);
  if (includedData.includes("summaries")) {
    item.summaries = stores.map(([marketplaceId, offer]) => ({
      marketplaceId,
      ...(listing.asin ? { asin: listing.asin } : {}),
      productType: listing.productType,
      conditionType: listing.condition,
      status: summaryStatus(listing, offer),
      ...(listing.channel === "FBA" && !listing.partial ? { fnSku: listing.fnSku } : {}),
      itemName: listing.title,
      createdDate: iso(listing.createdAt),
      lastUpdatedDate: iso(listing.updatedAt),
    }));
  }
  if (includedData.includes("attributes")) {
    const attributes: Record<string, unknown[]> = {
      condition_type: stores.map(([marketplace_id]) => ({ value: listing.condition, marketplace_id })),
      purchasable_offer: stores.flatMap(([id, offer]) => purchasableOffers(id, offer, listing.updatedAt)),
      fulfillment_availability: [
        listing.channel === "FBM"
          ? { fulfillment_channel_code: "DEFAULT", quantity: listing.quantity }
          : { fulfillment_channel_code: afnChannelCode(ctx.region) },
      ],
    };
    // A partial listing holds only what the write that created it gave.
    if (!listing.partial)
      attributes.item_name = stores.map(([marketplace_id]) => ({
        value: listing.title,
        language_tag: "en_US",
        marketplace_id,
      }));
    item.attributes = attributes;
  }
  if (includedData.includes("issues"))
    item.issues = issuesIn(listing, ctx.marketplaceIds).map((i) => renderIssue(i, ctx.marketplaceIds));
  if (includedData.includes("offers")) {
    item.offers = listing.partial
      ? []
      : stores
          .filter(([, offer]) => offer.status === "ACTIVE" || offer.status === "INACTIVE")
          .flatMap(([marketplaceId, offer]) => {
            const price = saleRunning(offer, ctx.now) ? offer.sale!.price : offer.price;
            const offers: unknown[] = [
              { marketplaceId, offerType: "B2C", price: { currencyCode: offer.currency, amount: price } },
            ];
            if (offer.businessPrice)
              offers.push({
                marketplaceId,
                offerType: "B2B",
                price: { currencyCode: offer.currency, amount: offer.businessPrice },
                audience: { value: "B2B", displayName: "Amazon Business" },
              });
            return offers;
          });
  }
  if (includedData.includes("fulfillmentAvailability")) {
    item.fulfillmentAvailability = [
      listing.channel === "FBM"
        ? { fulfillmentChannelCode: "DEFAULT", quantity: listing.quantity }
        : { fulfillmentChannelCode: afnChannelCode(ctx.region) },
    ];
  }
  if (includedData.includes("procurement")) item.procurement = [];
  if (includedData.includes("relationships"))
    item.relationships = stores.map(([marketplaceId]) => ({ marketplaceId, relationships: [] }));
  if (includedData.includes("productTypes"))
    item.productTypes = stores.map(([marketplaceId]) => ({
      marketplaceId,
      productType: listing.productType,
    }));
  return item;
}

/** An FBA inventory summary as getInventorySummaries returns it, with Amazon's full breakdown when asked. */
export function renderInventorySummary(listing: AmazonListing, details: boolean): Record<string, unknown> {
  const f = listing.fba;
  const reserved = reservedOf(listing);
  const summary: Record<string, unknown> = {
    asin: listing.asin,
    fnSku: listing.fnSku,
    sellerSku: listing.sku,
    condition: "NewItem",
    lastUpdatedTime: iso(listing.fbaUpdatedAt),
    productName: listing.title,
    totalQuantity: listing.quantity + reserved + inboundOf(listing) + f.researching + f.unfulfillable,
    stores: [],
  };
  if (details) {
    summary.inventoryDetails = {
      fulfillableQuantity: listing.quantity,
      inboundWorkingQuantity: f.inboundWorking,
      inboundShippedQuantity: f.inboundShipped,
      inboundReceivingQuantity: f.inboundReceiving,
      reservedQuantity: {
        totalReservedQuantity: reserved,
        pendingCustomerOrderQuantity: f.reservedCustomerOrders,
        pendingTransshipmentQuantity: f.reservedFcTransfers,
        fcProcessingQuantity: f.reservedFcProcessing,
      },
      researchingQuantity: {
        totalResearchingQuantity: f.researching,
        researchingQuantityBreakdown: f.researching
          ? [{ name: "researchingQuantityInShortTerm", quantity: f.researching }]
          : [],
      },
      unfulfillableQuantity: {
        totalUnfulfillableQuantity: f.unfulfillable,
        customerDamagedQuantity: f.unfulfillable,
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
