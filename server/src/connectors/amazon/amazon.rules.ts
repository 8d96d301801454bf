import type { PlatformRules } from "../port";

/** Amazon's fulfilment network counts an FBA listing's stock: the seller cannot set its quantity. */
export const amazonRules: PlatformRules = {
  managedFields: (listing) => (listing.fulfillmentChannel === "FBA" ? ["quantity"] : []),
};
