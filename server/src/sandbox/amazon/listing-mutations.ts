import type { AmazonListing } from "../sandbox.state";
import { afnChannelCode, summaryStatus } from "./amazon.render";

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
  /** Fields the applied change wrote (absent for changes that are not API writes, such as sales). */
  fields?: Array<"quantity" | "price" | "status">;
}

export interface MutationPlan {
  issues: ListingIssue[];
  /** Present when the submission is accepted; applies the change to the listing. */
  apply?: () => ChangeEffects;
}

const DECIMAL = /^\d{1,9}(\.\d{1,2})?$/;

function error(code: string, message: string, attributeName?: string): ListingIssue {
  return { code, message, severity: "ERROR", ...(attributeName ? { attributeName } : {}) };
}

function priceOf(offer: Record<string, unknown>): unknown {
  const ourPrice = offer.our_price as Array<{ schedule?: Array<{ value_with_tax?: unknown }> }> | undefined;
  return ourPrice?.[0]?.schedule?.[0]?.value_with_tax;
}

/** Validates JSON Patch operations against a listing the way Amazon does and returns the change to apply. */
export function planPatches(
  listing: AmazonListing | undefined,
  sku: string,
  patches: PatchOp[],
  region: string,
  now: () => number,
): MutationPlan {
  if (!listing || listing.deleted) {
    return {
      issues: [
        error(
          "4000001",
          `The SKU '${sku}' does not exist for this seller; a listing must be created before it can be patched.`,
        ),
      ],
    };
  }
  const issues: ListingIssue[] = [];
  const steps: Array<(l: AmazonListing) => void> = [];
  const fields = new Set<"quantity" | "price" | "status">();
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
            `The listing is fulfilled by Amazon (${afnChannelCode(region)}); a seller-fulfilled quantity cannot be set.`,
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
          if (l.status === "ACTIVE") l.status = "INACTIVE";
        });
        continue;
      }
      if (!value) {
        issues.push(error("90111", "'purchasable_offer' needs a value.", attribute));
        continue;
      }
      if (value.currency !== undefined && value.currency !== listing.currency) {
        issues.push(
          error(
            "90112",
            `The currency '${String(value.currency)}' does not match the marketplace currency '${listing.currency}'.`,
            attribute,
          ),
        );
        continue;
      }
      const price = priceOf(value);
      let newPrice: string | undefined;
      if (price !== undefined) {
        const text = typeof price === "number" ? String(price) : String(price);
        if (!DECIMAL.test(text) || Number(text) <= 0) {
          issues.push(
            error(
              "99022",
              `The value '${text}' for 'purchasable_offer.our_price' must be a positive amount with at most two decimals.`,
              "purchasable_offer.our_price",
            ),
          );
          continue;
        }
        newPrice = Number(text).toFixed(2);
      }
      const endAt = (value.end_at as { value?: string } | undefined)?.value;
      const startAt = (value.start_at as { value?: string } | undefined)?.value;
      if (newPrice) fields.add("price");
      if (endAt !== undefined || startAt !== undefined) fields.add("status");
      steps.push((l) => {
        if (newPrice) l.price = newPrice;
        if (endAt !== undefined && Date.parse(endAt) <= now()) {
          if (l.status === "ACTIVE") l.status = "INACTIVE";
        } else if ((startAt !== undefined || endAt !== undefined) && l.status === "INACTIVE") {
          l.status = "ACTIVE";
        }
      });
    }
    // Other attributes are accepted and have no effect on what the sandbox models.
  }
  if (issues.length > 0) return { issues };
  return {
    issues: [],
    apply: () => {
      const beforeQuantity = listing.quantity;
      const beforeStatus = summaryStatus(listing).join();
      for (const step of steps) step(listing);
      listing.updatedAt = now();
      return {
        quantityChanged: listing.quantity !== beforeQuantity,
        statusChanged: summaryStatus(listing).join() !== beforeStatus,
        fields: [...fields],
      };
    },
  };
}
