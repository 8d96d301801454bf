import { type DemoProduct, iterateDemoCatalog } from "../modules/catalog/demo/generator";
import type { SandboxSeedItem } from "./sandbox.types";

/** Amazon product types of the demo catalog's categories. */
const PRODUCT_TYPES: Record<string, string> = {
  Electronics: "CONSUMER_ELECTRONICS",
  "Home & Kitchen": "KITCHEN",
  "Sports & Outdoors": "SPORTING_GOODS",
  "Toys & Games": "TOYS_AND_GAMES",
  "Beauty & Personal Care": "BEAUTY",
  "Office Products": "OFFICE_PRODUCTS",
  "Pet Supplies": "PET_SUPPLIES",
  "Tools & Home Improvement": "TOOLS",
};

const CONDITIONS: Record<string, string> = {
  NEW: "new_new",
  USED_LIKE_NEW: "used_like_new",
  USED_VERY_GOOD: "used_very_good",
  USED_GOOD: "used_good",
  USED_ACCEPTABLE: "used_acceptable",
  REFURBISHED: "refurbished_refurbished",
  COLLECTIBLE: "collectible_good",
};

/** Maps one demo product onto the sandbox's seed type; DELETED listings do not exist on the platform. */
export function seedItemFromDemo(p: DemoProduct): SandboxSeedItem {
  const a = p.amazon;
  const m = p.medusa;
  return {
    sku: p.sku,
    asin: p.asin,
    title: p.title,
    amazon:
      a.status === "DELETED"
        ? null
        : {
            price: a.price,
            currency: a.currency,
            // The demo's Amazon quantity includes reserved units; Amazon reports what is sellable.
            quantity: Math.max(0, a.quantity - a.reserved),
            reserved: a.reserved,
            inbound: a.inbound,
            unfulfillable: a.unfulfillable,
            fulfillmentChannel: a.fulfillmentChannel,
            status: a.status,
            condition: CONDITIONS[a.condition] ?? "new_new",
            productType: PRODUCT_TYPES[p.category] ?? "PRODUCT",
          },
    medusa:
      !m || m.status === "DELETED"
        ? null
        : {
            price: m.price,
            currency: a.currency.toLowerCase(),
            quantity: Math.max(0, m.quantity),
            status: m.status === "ACTIVE" ? "published" : "draft",
            ids: { productId: m.productId, variantId: m.variantId, inventoryItemId: m.inventoryItemId },
          },
  };
}

/** Maps the demo generator's products onto the sandbox's own seed type. */
export function seedItemsFromDemo(products: Iterable<DemoProduct>): SandboxSeedItem[] {
  const items: SandboxSeedItem[] = [];
  for (const p of products) items.push(seedItemFromDemo(p));
  return items;
}

/** Generates `skus` demo products with the catalog's demo generator and adapts them. */
export async function loadDemoSeed(seed: number, skus: number): Promise<SandboxSeedItem[]> {
  return seedItemsFromDemo(iterateDemoCatalog({ seed, skus }));
}
