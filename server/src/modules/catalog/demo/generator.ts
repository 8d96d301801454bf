import { type ProductTemplate, TEMPLATES } from "./catalog-data";
import { hash, hashUnit, permute, Random } from "./random";

export type DemoListingStatus = "ACTIVE" | "INACTIVE" | "INCOMPLETE" | "SUPPRESSED" | "DELETED";
export type DemoCondition =
  | "NEW"
  | "USED_LIKE_NEW"
  | "USED_VERY_GOOD"
  | "USED_GOOD"
  | "USED_ACCEPTABLE"
  | "REFURBISHED"
  | "COLLECTIBLE";

/** The product as Amazon reports it: quantity includes reserved units, so available = quantity - reserved. */
export interface DemoAmazonListing {
  price: string;
  currency: "USD";
  quantity: number;
  reserved: number;
  inbound: number;
  unfulfillable: number;
  fulfillmentChannel: "FBA" | "FBM";
  status: DemoListingStatus;
  condition: DemoCondition;
  isBestseller: boolean;
  salesRank: number | null;
}

/**
 * The same product on the seller's Medusa store. In step with Amazon it has Amazon's price, Amazon's
 * available quantity (quantity - reserved) and ACTIVE exactly when Amazon is ACTIVE (INACTIVE otherwise).
 */
export interface DemoMedusaListing {
  /** Medusa ids (ULID-shaped, unique per product): product, variant and inventory item. */
  productId: string;
  variantId: string;
  inventoryItemId: string;
  price: string;
  quantity: number;
  status: DemoListingStatus;
}

export interface DemoProduct {
  sku: string;
  asin: string;
  title: string;
  brand: string;
  category: string;
  cost: string;
  attributes: Record<string, unknown>;
  amazon: DemoAmazonListing;
  medusa: DemoMedusaListing | null;
}

/** A way Amazon and Medusa disagree about one product. */
export interface DemoDifference {
  type: "PRICE" | "QUANTITY" | "STATUS";
  field: "price" | "quantity" | "status";
  amazon: string | number;
  medusa: string | number;
}

export const DEFAULT_DEMO_SEED = 20_261_124;

/** Options of the catalog generators: the same seed gives the same catalog, whatever the count. */
export interface DemoCatalogOptions {
  seed?: number;
  skus: number;
  /** Index of the first product (default 0), to resume a stream or take a slice. */
  start?: number;
}

interface Combo {
  template: ProductTemplate;
  templateIndex: number;
  brand: [label: string, code: string];
  brandIndex: number;
  line: [label: string, code: string];
  lineIndex: number;
  spec: [label: string, code: string];
  specIndex: number;
  variant: [label: string, code: string];
}

function split(entry: string): [string, string] {
  const bar = entry.indexOf("|");
  return [entry.slice(0, bar), entry.slice(bar + 1)];
}

// Every distinct (template, brand, line, spec, variant): the first |COMBOS| products never repeat a title.
const COMBOS: Combo[] = TEMPLATES.flatMap((template, templateIndex) =>
  Object.entries(template.brands).flatMap(([brand, lines], brandIndex) =>
    lines.flatMap((line, lineIndex) =>
      template.specs.flatMap((spec, specIndex) =>
        template.variants.map((variant) => ({
          template,
          templateIndex,
          brand: split(brand),
          brandIndex,
          line: split(line),
          lineIndex,
          spec: split(spec),
          specIndex,
          variant: split(variant),
        })),
      ),
    ),
  ),
);

/** How many distinct catalog entries exist before titles start to repeat. */
export const DISTINCT_DEMO_TITLES = COMBOS.length;

const ASIN_SPACE = 36 ** 8;
const BASE36 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";
const CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
// Medusa ids carry a creation time; the demo store's products were created a minute apart from here on.
const MEDUSA_EPOCH_MS = Date.UTC(2024, 0, 15, 9, 0, 0);

function normaliseSeed(seed: number | undefined): number {
  const value = seed ?? DEFAULT_DEMO_SEED;
  if (!Number.isSafeInteger(value)) throw new RangeError(`seed must be a safe integer, got ${value}`);
  return value;
}

function asinAt(seed: number, index: number): string {
  let n = permute(index, ASIN_SPACE, hash(seed, 0xa5)); // bijective, so ASINs are unique by construction
  let code = "";
  for (let i = 0; i < 8; i++) {
    code = BASE36[n % 36] + code;
    n = Math.floor(n / 36);
  }
  return `B0${code}`;
}

function ulid(timeMs: number, random: Random): string {
  let time = "";
  let t = timeMs;
  for (let i = 0; i < 10; i++) {
    time = CROCKFORD[t % 32] + time;
    t = Math.floor(t / 32);
  }
  let tail = "";
  for (let i = 0; i < 16; i++) tail += CROCKFORD[Math.floor(random.next() * 32)];
  return time + tail;
}

function centsToString(cents: number): string {
  const whole = Math.floor(cents / 100);
  return `${whole}.${String(cents % 100).padStart(2, "0")}`;
}

/** A shelf price near the given number of cents, ending in .99, .95 or .49 as retail prices do. */
function retailCents(approxCents: number, ending: number): number {
  const dollars = Math.max(1, Math.round(approxCents / 100));
  const cents = [99, 99, 99, 95, 49][ending % 5]!;
  return (dollars - 1) * 100 + cents;
}

function comboPricing(seed: number, combo: Combo): { priceCents: number; costRatio: number } {
  const { template } = combo;
  const [lo, hi] = template.price;
  // One tier per product line, so every spec and colour of a line sits consistently in the range.
  const tier = 0.1 + 0.8 * hashUnit(seed, combo.templateIndex, combo.brandIndex, combo.lineIndex, 11);
  const position = template.specs.length === 1 ? tier : (combo.specIndex + tier) / template.specs.length;
  const approx = (lo + (hi - lo) * position) * 100;
  const priceCents = retailCents(
    approx,
    hash(seed, combo.templateIndex, combo.brandIndex, combo.lineIndex, 12),
  );
  const costRatio = 0.36 + 0.24 * hashUnit(seed, combo.templateIndex, combo.brandIndex, 13);
  return { priceCents, costRatio };
}

function comboAttributes(seed: number, combo: Combo): Record<string, unknown> {
  const { template } = combo;
  const attributes: Record<string, unknown> = {};
  if (template.variantAttribute) attributes[template.variantAttribute] = combo.variant[0];
  if (template.specAttribute) {
    const { key, unit } = template.specAttribute;
    attributes[key] = unit ? `${combo.spec[0]} ${unit}` : combo.spec[0];
  }
  attributes.material =
    template.materials[
      hash(seed, combo.templateIndex, combo.brandIndex, combo.lineIndex, 21) % template.materials.length
    ];
  const { min, max, unit } = template.weight;
  const position = (combo.specIndex + 0.5) / template.specs.length;
  const jitter = 0.92 + 0.16 * hashUnit(seed, combo.templateIndex, combo.brandIndex, combo.lineIndex, 22);
  attributes.weight = { value: Math.round((min + (max - min) * position) * jitter * 10) / 10, unit };
  return attributes;
}

function titleOf(combo: Combo): string {
  return combo.template.title
    .replace("{brand}", combo.brand[0])
    .replace("{line}", combo.line[0])
    .replace("{spec}", combo.spec[0])
    .replace("{variant}", combo.variant[0]);
}

function skuOf(combo: Combo, index: number): string {
  const parts = [combo.brand[1], combo.line[1]];
  if (combo.template.specs.length > 1) parts.push(combo.spec[1]);
  if (combo.template.variants.length > 1) parts.push(combo.variant[1]);
  // The running number makes SKUs unique however often a catalog entry repeats.
  parts.push(String(index + 1).padStart(4, "0"));
  return parts.join("-");
}

function conditionFor(category: string, random: Random): DemoCondition {
  const roll = random.next();
  if (category === "Electronics" || category === "Tools & Home Improvement") {
    if (roll < 0.05) return "REFURBISHED";
    if (roll < 0.07) return "USED_LIKE_NEW";
    if (roll < 0.085) return "USED_VERY_GOOD";
    if (roll < 0.095) return "USED_GOOD";
    if (roll < 0.1) return "USED_ACCEPTABLE";
    return "NEW";
  }
  if (category === "Toys & Games" && roll < 0.03) return "COLLECTIBLE";
  if (roll < 0.02) return "USED_LIKE_NEW";
  return "NEW";
}

/** Builds the product at one index of the catalog; the same (seed, index) always gives the same product. */
export function demoProductAt(index: number, seed: number = DEFAULT_DEMO_SEED): DemoProduct {
  const s = normaliseSeed(seed);
  if (!Number.isSafeInteger(index) || index < 0) throw new RangeError(`index must be >= 0, got ${index}`);
  const cycle = Math.floor(index / COMBOS.length);
  const combo = COMBOS[permute(index % COMBOS.length, COMBOS.length, hash(s, 0xc0, cycle))]!;
  const random = new Random(s, index);
  const { template } = combo;

  const isBestseller = random.chance(0.05);
  const fulfillmentChannel = random.chance(0.6) ? "FBA" : "FBM";
  const fba = fulfillmentChannel === "FBA";
  const condition = isBestseller ? "NEW" : conditionFor(template.category, random);

  const comboPrice = comboPricing(s, combo);
  let priceCents = comboPrice.priceCents;
  if (condition !== "NEW" && condition !== "COLLECTIBLE") {
    priceCents = retailCents(priceCents * (0.62 + 0.2 * random.next()), random.int(0, 4));
  }
  const costCents = Math.max(1, Math.round(comboPrice.priceCents * comboPrice.costRatio));

  // Stock: some sold out (bestsellers sell out more often), some running low, the rest comfortable.
  const stockRoll = random.next();
  const outOfStock = stockRoll < (isBestseller ? 0.1 : 0.05);
  const lowStock = !outOfStock && stockRoll < (isBestseller ? 0.18 : 0.13);
  let available: number;
  let reserved: number;
  if (outOfStock) {
    available = 0;
    // Sometimes every unit left is already promised to an order.
    reserved = random.chance(0.2) ? random.int(1, 3) : 0;
  } else {
    available = lowStock ? random.int(1, 9) : random.logInt(15, isBestseller ? 1500 : 600);
    const ordersPending = fba ? random.int(0, Math.ceil(available * 0.08)) : random.int(0, 2);
    reserved = Math.min(ordersPending, available);
  }
  const quantity = available + reserved;
  const restocking = outOfStock || lowStock ? random.chance(0.7) : random.chance(0.2);
  const inbound = fba && restocking ? random.int(2, 20) * 12 : 0;
  const unfulfillable = fba && random.chance(0.08) ? random.int(1, 6) : 0;

  const statusRoll = random.next();
  const status: DemoListingStatus = isBestseller
    ? "ACTIVE"
    : statusRoll < 0.9
      ? "ACTIVE"
      : statusRoll < 0.95
        ? "INACTIVE"
        : statusRoll < 0.98
          ? "SUPPRESSED"
          : "INCOMPLETE";
  let salesRank: number | null;
  if (isBestseller) salesRank = random.logInt(1, 2500);
  else if (status === "INCOMPLETE" || random.chance(0.06)) salesRank = null;
  else salesRank = random.logInt(2500, 1_800_000);

  const amazon: DemoAmazonListing = {
    price: centsToString(priceCents),
    currency: "USD",
    quantity,
    reserved,
    inbound,
    unfulfillable,
    fulfillmentChannel,
    status,
    condition,
    isBestseller,
    salesRank,
  };

  let medusa: DemoMedusaListing | null = null;
  if (random.chance(0.85)) {
    const created = MEDUSA_EPOCH_MS + index * 60_000;
    let medusaPrice = priceCents;
    let medusaQuantity = available;
    let medusaStatus: DemoListingStatus = status === "ACTIVE" ? "ACTIVE" : "INACTIVE";
    if (random.chance(0.1)) {
      const kind = random.next();
      const drift =
        kind < 0.4 ? "PRICE" : kind < 0.75 ? "QUANTITY" : kind < 0.9 ? "STATUS" : "PRICE_AND_QUANTITY";
      if (drift === "PRICE" || drift === "PRICE_AND_QUANTITY") {
        // Some within the 5 % tolerance, most beyond it.
        const pct = random.chance(0.4) ? 0.01 + 0.035 * random.next() : 0.06 + 0.19 * random.next();
        const sign = random.chance(0.55) ? 1 : -1;
        medusaPrice = Math.max(50, Math.round((priceCents * (1 + sign * pct)) / 50) * 50 - 1);
        if (medusaPrice === priceCents) medusaPrice += 100;
      }
      if (drift === "QUANTITY" || drift === "PRICE_AND_QUANTITY") {
        // A sale on Amazon not yet reflected on Medusa leaves Medusa higher: the overselling risk.
        const delta = random.int(1, Math.max(3, Math.ceil(available * 0.2)));
        medusaQuantity =
          random.chance(0.7) || available === 0 ? available + delta : Math.max(0, available - delta);
        if (medusaQuantity === available) medusaQuantity += 1;
      }
      if (drift === "STATUS") medusaStatus = medusaStatus === "ACTIVE" ? "INACTIVE" : "ACTIVE";
    }
    medusa = {
      productId: `prod_${ulid(created, random)}`,
      variantId: `variant_${ulid(created + 7, random)}`,
      inventoryItemId: `iitem_${ulid(created + 11, random)}`,
      price: centsToString(medusaPrice),
      quantity: medusaQuantity,
      status: medusaStatus,
    };
  }

  return {
    sku: skuOf(combo, index),
    asin: asinAt(s, index),
    title: titleOf(combo),
    brand: combo.brand[0],
    category: template.category,
    cost: centsToString(Math.min(costCents, priceCents - 1)),
    attributes: comboAttributes(s, combo),
    amazon,
    medusa,
  };
}

/** Streams the catalog one product at a time, for catalogs too large to hold at once. */
export function* iterateDemoCatalog(options: DemoCatalogOptions): Generator<DemoProduct, void, undefined> {
  const seed = normaliseSeed(options.seed);
  const start = options.start ?? 0;
  if (!Number.isSafeInteger(options.skus) || options.skus < 0) {
    throw new RangeError(`skus must be a non-negative integer, got ${options.skus}`);
  }
  for (let i = start; i < start + options.skus; i++) yield demoProductAt(i, seed);
}

/** The first `skus` products of the seeded demo catalog; a larger count starts with the same products. */
export function generateDemoCatalog(options: { seed?: number; skus: number }): DemoProduct[] {
  return Array.from(iterateDemoCatalog(options));
}

/** Where the product's Medusa listing disagrees with Amazon: price, available quantity or sellability. */
export function demoDifferences(product: DemoProduct): DemoDifference[] {
  const { amazon, medusa } = product;
  if (!medusa) return [];
  const differences: DemoDifference[] = [];
  if (amazon.price !== medusa.price) {
    differences.push({ type: "PRICE", field: "price", amazon: amazon.price, medusa: medusa.price });
  }
  const available = amazon.quantity - amazon.reserved;
  if (available !== medusa.quantity) {
    differences.push({ type: "QUANTITY", field: "quantity", amazon: available, medusa: medusa.quantity });
  }
  if ((amazon.status === "ACTIVE") !== (medusa.status === "ACTIVE")) {
    differences.push({ type: "STATUS", field: "status", amazon: amazon.status, medusa: medusa.status });
  }
  return differences;
}
