import { type AmazonListing, type AmazonOffer, offerIn } from "../sandbox.state";
import { afnChannelCode, summaryStatus } from "./amazon.render";
import type { Marketplace } from "./marketplaces";

export interface PatchOp {
  op: string;
  path: string;
  value?: Array<Record<string, unknown>>;
}

export interface ListingIssue {
  code: string;
  message: string;
  severity: "ERROR" | "WARNING" | "INFO";
  attributeName?: string;
}

export interface ChangeEffects {
  quantityChanged: boolean;
  statusChanged: boolean;
  /** The listing gained or lost an issue (LISTINGS_ITEM_ISSUES_CHANGE). */
  issuesChanged: boolean;
  /** Fields the applied change wrote (absent for changes that are not API writes, such as sales). */
  fields?: Array<"quantity" | "price" | "status">;
}

/** Where a submission applies: the seller's stores (home first), the store of the request, and the clock. */
export interface MutationContext {
  stores: readonly Marketplace[];
  marketplaceId: string;
  region: string;
  now: () => number;
}

export interface MutationPlan {
  issues: ListingIssue[];
  /** Present when the submission is accepted; applies the change to the listing. */
  apply?: () => ChangeEffects;
  /** The submission creates a partial listing: the SKU was not listed (Amazon accepts it all the same). */
  creates?: AmazonListing;
}

const DECIMAL = /^\d{1,9}(\.\d{1,2})?$/;
/** A price this far from the listing's usual one makes Amazon flag it (pricing health). */
const PRICE_ALERT_FACTOR = 2;
export const PRICE_ALERT_CODE = "18419";

function error(code: string, message: string, attributeName?: string): ListingIssue {
  return { code, message, severity: "ERROR", ...(attributeName ? { attributeName } : {}) };
}

type Schedule = Array<{
  schedule?: Array<{ value_with_tax?: unknown; start_at?: unknown; end_at?: unknown }>;
}>;

function scheduleOf(value: unknown): { price: unknown; startAt?: unknown; endAt?: unknown } | undefined {
  const first = (value as Schedule | undefined)?.[0]?.schedule?.[0];
  return first ? { price: first.value_with_tax, startAt: first.start_at, endAt: first.end_at } : undefined;
}

function checkedPrice(raw: unknown, attribute: string, issues: ListingIssue[]): string | undefined {
  const text = String(raw);
  if (!DECIMAL.test(text) || Number(text) <= 0) {
    issues.push(
      error(
        "99022",
        `The value '${text}' for '${attribute}' must be a positive amount with at most two decimals.`,
        attribute,
      ),
    );
    return undefined;
  }
  return Number(text).toFixed(2);
}

/** A listing that a write for an unknown SKU creates on Amazon: no catalog item, not buyable, missing data. */
export function partialListing(sku: string, productType: string, ctx: MutationContext): AmazonListing {
  const now = ctx.now();
  const home = ctx.stores[0]!;
  const store = ctx.stores.find((s) => s.id === ctx.marketplaceId) ?? home;
  const offer: AmazonOffer = { price: "0.00", currency: store.currency, status: "INCOMPLETE" };
  return {
    sku,
    fnSku: "",
    title: sku,
    productType,
    condition: "new_new",
    ...(store.id === home.id ? offer : { price: "0.00", currency: home.currency, status: "INCOMPLETE" }),
    channel: "FBM",
    quantity: 0,
    fba: {
      inboundWorking: 0,
      inboundShipped: 0,
      inboundReceiving: 0,
      reservedCustomerOrders: 0,
      reservedFcTransfers: 0,
      reservedFcProcessing: 0,
      researching: 0,
      unfulfillable: 0,
    },
    elsewhere: store.id === home.id ? {} : { [store.id]: offer },
    issues: ["item_name", "brand", "externally_assigned_product_identifier"].map((attribute) => ({
      code: "90220",
      message: `'${attribute}' is required but not supplied.`,
      severity: "ERROR" as const,
      attributeNames: [attribute],
      categories: ["MISSING_ATTRIBUTE"],
      marketplaceIds: [store.id],
    })),
    partial: true,
    createdAt: now,
    updatedAt: now,
    fbaUpdatedAt: now,
    deleted: false,
  };
}

/**
 * Validates JSON Patch operations against a listing the way Amazon does and returns the change to apply.
 * `replace` of purchasable_offer replaces the store's offers whole (a B2B offer or a sale price left out is
 * removed); `merge` changes only what it names. A SKU that is not listed gets a partial listing, as on Amazon.
 */
export function planPatches(
  existing: AmazonListing | undefined,
  sku: string,
  productType: string,
  patches: PatchOp[],
  ctx: MutationContext,
): MutationPlan {
  const creates = !existing || existing.deleted ? partialListing(sku, productType, ctx) : undefined;
  const listing = creates ?? existing!;
  const home = ctx.stores[0]!.id;
  const issues: ListingIssue[] = [];
  if (!creates && productType !== listing.productType)
    issues.push(
      error(
        "4000003",
        `The product type '${productType}' does not match the product type '${listing.productType}' of SKU '${sku}'.`,
      ),
    );
  const steps: Array<(l: AmazonListing) => void> = [];
  const fields = new Set<"quantity" | "price" | "status">();
  const store = ctx.stores.find((s) => s.id === ctx.marketplaceId);
  for (const patch of patches) {
    if (!patch.path.startsWith("/attributes/")) {
      issues.push(
        error(
          "4000002",
          `The patch path '${patch.path}' is not supported; only /attributes/... paths can be patched.`,
        ),
      );
      continue;
    }
    const attribute = patch.path.slice("/attributes/".length);
    const value = patch.value?.[0];
    if (attribute === "fulfillment_availability") {
      if (patch.op === "delete") {
        issues.push(error("90244", "'fulfillment_availability' cannot be deleted from an offer.", attribute));
        continue;
      }
      const channel = String(value?.fulfillment_channel_code ?? "");
      const quantity = value?.quantity;
      if (channel !== "DEFAULT") {
        issues.push(
          error(
            "90250",
            `Quantity for fulfillment channel '${channel}' is managed by Amazon and cannot be set.`,
            attribute,
          ),
        );
        continue;
      }
      if (listing.channel === "FBA") {
        issues.push(
          error(
            "90251",
            `The listing is fulfilled by Amazon (${afnChannelCode(ctx.region)}); a seller-fulfilled quantity cannot be set.`,
            attribute,
          ),
        );
        continue;
      }
      if (typeof quantity !== "number" || !Number.isInteger(quantity) || quantity < 0) {
        issues.push(
          error(
            "90110",
            `The value '${String(quantity)}' for 'fulfillment_availability.quantity' must be a whole number of 0 or more.`,
            attribute,
          ),
        );
        continue;
      }
      fields.add("quantity");
      steps.push((l) => {
        l.quantity = quantity;
      });
    } else if (attribute === "purchasable_offer") {
      if (patch.op === "delete") {
        fields.add("status");
        steps.push((l) => {
          const offer = offerIn(l, ctx.marketplaceId, home);
          if (offer?.status === "ACTIVE") offer.status = "INACTIVE";
        });
        continue;
      }
      if (!patch.value?.length) {
        issues.push(error("90111", "'purchasable_offer' needs a value.", attribute));
        continue;
      }
      const replace = patch.op !== "merge";
      let consumer: { price?: string; sale?: AmazonOffer["sale"] | null; startAt?: string; endAt?: string } =
        {};
      let business: string | null | undefined = replace ? null : undefined;
      let bad = false;
      for (const entry of patch.value) {
        if (entry.marketplace_id !== undefined && entry.marketplace_id !== ctx.marketplaceId) {
          issues.push(
            error(
              "90113",
              `The offer names marketplace '${String(entry.marketplace_id)}', not the request's '${ctx.marketplaceId}'.`,
              attribute,
            ),
          );
          bad = true;
          continue;
        }
        if (entry.currency !== undefined && entry.currency !== store?.currency) {
          issues.push(
            error(
              "90112",
              `The currency '${String(entry.currency)}' does not match the marketplace currency '${store?.currency}'.`,
              attribute,
            ),
          );
          bad = true;
          continue;
        }
        const ours = scheduleOf(entry.our_price);
        const price = ours ? checkedPrice(ours.price, "purchasable_offer.our_price", issues) : undefined;
        if (ours && !price) {
          bad = true;
          continue;
        }
        if ((entry.audience ?? "ALL") === "B2B") {
          if (price) business = price;
          continue;
        }
        const discounted = scheduleOf(entry.discounted_price);
        let sale: AmazonOffer["sale"] | null | undefined = replace ? null : undefined;
        if (discounted) {
          const salePrice = checkedPrice(discounted.price, "purchasable_offer.discounted_price", issues);
          const startAt = Date.parse(String(discounted.startAt ?? ""));
          const endAt = Date.parse(String(discounted.endAt ?? ""));
          if (!salePrice || Number.isNaN(startAt) || Number.isNaN(endAt)) {
            if (salePrice)
              issues.push(error("90114", "A discounted price needs its start_at and end_at.", attribute));
            bad = true;
            continue;
          }
          sale = { price: salePrice, startAt, endAt };
        }
        consumer = {
          price,
          sale,
          startAt: (entry.start_at as { value?: string } | undefined)?.value,
          endAt: (entry.end_at as { value?: string } | undefined)?.value,
        };
      }
      if (bad) continue;
      if (consumer.price) fields.add("price");
      if (consumer.startAt !== undefined || consumer.endAt !== undefined) fields.add("status");
      steps.push((l) => {
        let offer = offerIn(l, ctx.marketplaceId, home);
        if (!offer && store) {
          offer = { price: consumer.price ?? "0.00", currency: store.currency, status: "INACTIVE" };
          l.elsewhere[store.id] = offer;
        }
        if (!offer) return;
        if (consumer.price) offer.price = consumer.price;
        if (consumer.sale === null) delete offer.sale;
        else if (consumer.sale) offer.sale = consumer.sale;
        if (business === null) delete offer.businessPrice;
        else if (business) offer.businessPrice = business;
        if (l.partial) return;
        if (consumer.endAt !== undefined && Date.parse(consumer.endAt) <= ctx.now()) {
          if (offer.status === "ACTIVE") offer.status = "INACTIVE";
        } else if (
          (consumer.startAt !== undefined || consumer.endAt !== undefined) &&
          offer.status === "INACTIVE"
        ) {
          offer.status = "ACTIVE";
        }
      });
    }
    // Other attributes are accepted and have no effect on what the sandbox models.
  }
  if (issues.length > 0) return { issues };
  return {
    issues: [],
    creates,
    apply: () => {
      const beforeQuantity = listing.quantity;
      const beforeStatus = summaryStatus(listing).join();
      const beforeIssues = issueKeys(listing);
      const reference = offerIn(listing, ctx.marketplaceId, home)?.price;
      for (const step of steps) step(listing);
      if (fields.has("price") && !listing.partial && reference) flagPricing(listing, reference, ctx);
      listing.updatedAt = ctx.now();
      return {
        quantityChanged: listing.quantity !== beforeQuantity,
        statusChanged: summaryStatus(listing).join() !== beforeStatus,
        issuesChanged: creates !== undefined || issueKeys(listing) !== beforeIssues,
        fields: [...fields],
      };
    },
  };
}

function issueKeys(listing: AmazonListing): string {
  return listing.issues.map((i) => `${i.code}:${i.marketplaceIds.join("+")}`).join();
}

/** Amazon warns when a price jumps far from where the listing sold, and withdraws the warning once it is back. */
function flagPricing(listing: AmazonListing, before: string, ctx: MutationContext): void {
  const offer = offerIn(listing, ctx.marketplaceId, ctx.stores[0]!.id)!;
  const far = (reference: string) => {
    const ratio = Number(offer.price) / Number(reference);
    return ratio >= PRICE_ALERT_FACTOR || ratio <= 1 / PRICE_ALERT_FACTOR;
  };
  const flagged = listing.issues.find(
    (i) => i.code === PRICE_ALERT_CODE && i.marketplaceIds.includes(ctx.marketplaceId),
  );
  if (flagged) {
    if (!far(flagged.referencePrice ?? before)) listing.issues = listing.issues.filter((i) => i !== flagged);
  } else if (far(before)) {
    listing.issues.push({
      code: PRICE_ALERT_CODE,
      message: `The price ${offer.price} ${offer.currency} is far from the recent price ${before}; check it for a pricing error.`,
      severity: "WARNING",
      attributeNames: ["purchasable_offer"],
      categories: ["INVALID_PRICE"],
      marketplaceIds: [ctx.marketplaceId],
      referencePrice: before,
    });
  }
}
