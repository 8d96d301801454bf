import { localPrice, type Marketplace, sellerMarketplaces } from "./amazon/marketplaces";
import { createRandom, hash32, stableId } from "./prng";
import type { SandboxSeedItem } from "./sandbox.types";

export type AmazonStatus = "ACTIVE" | "INACTIVE" | "INCOMPLETE" | "SUPPRESSED";

/** What a listing offers in one Amazon store. */
export interface AmazonOffer {
  price: string;
  currency: string;
  status: AmazonStatus;
  /** The price business (B2B) buyers pay, when the seller offers one. */
  businessPrice?: string;
  /** A sale price and its window (epoch ms): buyers pay it between the two. */
  sale?: { price: string; startAt: number; endAt: number };
}

/** An issue Amazon reports on a listing, in the stores it names. */
export interface StoredIssue {
  code: string;
  message: string;
  severity: "ERROR" | "WARNING";
  attributeNames: string[];
  categories: string[];
  marketplaceIds: string[];
  /** Amazon took the listing down for it (LISTING_SUPPRESSED). */
  suppresses?: boolean;
  /** For a pricing warning: the price it is measured against. */
  referencePrice?: string;
}

/** Where an FBA listing's units are, beyond the fulfillable ones (the inventory summary's breakdown). */
export interface FbaQuantities {
  inboundWorking: number;
  inboundShipped: number;
  inboundReceiving: number;
  reservedCustomerOrders: number;
  reservedFcTransfers: number;
  reservedFcProcessing: number;
  researching: number;
  unfulfillable: number;
}

/** One Amazon listing as the sandbox holds it; its own price, currency and status are the home store's offer. */
export interface AmazonListing extends AmazonOffer {
  sku: string;
  /** Absent on a partial listing (created by a write for a SKU that was never listed): no catalog item yet. */
  asin?: string;
  fnSku: string;
  title: string;
  productType: string;
  condition: string;
  channel: "FBA" | "FBM";
  /** FBM: quantity offered; FBA: fulfillable quantity. */
  quantity: number;
  fba: FbaQuantities;
  /** Offers in the seller's other stores, by marketplace id. */
  elsewhere: Record<string, AmazonOffer>;
  issues: StoredIssue[];
  /** Created by a patch or feed message for a SKU the seller had not listed: not buyable, missing its catalog data. */
  partial: boolean;
  createdAt: number;
  updatedAt: number;
  fbaUpdatedAt: number;
  deleted: boolean;
}

/** Reserved units of an FBA listing, all kinds together. */
export function reservedOf(listing: AmazonListing): number {
  const f = listing.fba;
  return f.reservedCustomerOrders + f.reservedFcTransfers + f.reservedFcProcessing;
}

/** Inbound units of an FBA listing, all stages together. */
export function inboundOf(listing: AmazonListing): number {
  const f = listing.fba;
  return f.inboundWorking + f.inboundShipped + f.inboundReceiving;
}

/** The listing's offer in one store, or undefined where it is not offered. */
export function offerIn(
  listing: AmazonListing,
  marketplaceId: string,
  home: string,
): AmazonOffer | undefined {
  return marketplaceId === home ? listing : listing.elsewhere[marketplaceId];
}

export interface MedusaLevel {
  id: string;
  locationId: string;
  stocked: number;
  reserved: number;
  incoming: number;
  createdAt: number;
  updatedAt: number;
}

export interface MedusaPrice {
  id: string;
  currency: string;
  /** Decimal string in major units; rendered as a JSON number as Medusa does. */
  amount: string;
  createdAt: number;
  updatedAt: number;
}

/** One Medusa product with its single variant and inventory item. */
export interface MedusaEntry {
  productId: string;
  variantId: string;
  inventoryItemId: string;
  priceSetId: string;
  sku: string;
  title: string;
  handle: string;
  productStatus: "draft" | "proposed" | "published" | "rejected";
  prices: MedusaPrice[];
  levels: MedusaLevel[];
  createdAt: number;
  updatedAt: number;
  deleted: boolean;
}

export interface MedusaLocation {
  id: string;
  name: string;
  addressId: string;
}

const EPOCH = Date.UTC(2023, 0, 1);
const SNAPSHOT_FORMAT = 1;

/** The sandbox's marketplaces as saved to its state file. */
export interface SandboxSnapshot {
  format: number;
  seed: number;
  stores: string[];
  amazon: AmazonListing[];
  medusa: MedusaEntry[];
}
const DAY = 86_400_000;

function adjustPrice(price: string, factor: number): string {
  const cents = Math.max(1, Math.round(Number(price) * 100 * factor));
  return (cents / 100).toFixed(2);
}

/** The marketplaces' current state: the seed, drifted deterministically as if things changed since the last sync. */
export class SandboxState {
  readonly amazon = new Map<string, AmazonListing>();
  readonly medusa = new Map<string, MedusaEntry>();
  readonly medusaByVariant = new Map<string, MedusaEntry>();
  readonly medusaByProduct = new Map<string, MedusaEntry>();
  readonly medusaByInventoryItem = new Map<string, MedusaEntry>();
  readonly locations: MedusaLocation[];
  /** Amazon listings sorted by creation date (never changes order), for searches by creation window. */
  amazonByCreated: AmazonListing[] = [];
  /** Medusa entries in creation order, for offset pagination. */
  medusaOrdered: MedusaEntry[] = [];
  /** SKUs whose state was changed away from the seed, by platform. */
  readonly drifted = { amazon: new Set<string>(), medusa: new Set<string>() };
  /** Writes applied through the APIs, by "platform:sku:field" (never sales or drift): a test sees a write applied twice. */
  readonly writes = new Map<string, number>();
  private version = 0;
  private sortedCache = new Map<string, { version: number; list: AmazonListing[] }>();

  constructor(
    items: SandboxSeedItem[],
    readonly seed: number,
    divergence: number,
    /** The seller's stores, home store first. */
    readonly stores: readonly Marketplace[] = sellerMarketplaces("ATVPDKIKX0DER", "NA", "USD"),
  ) {
    this.locations = [
      {
        id: stableId("sloc", "main", seed),
        name: "Main warehouse",
        addressId: stableId("laddr", "main", seed),
      },
      {
        id: stableId("sloc", "overflow", seed),
        name: "Overflow warehouse",
        addressId: stableId("laddr", "overflow", seed),
      },
    ];
    const random = createRandom(seed ^ 0x9e3779b9);
    // Creation order differs from SKU order, as on a real account.
    const order = items.map((_, i) => i);
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [order[i], order[j]] = [order[j]!, order[i]!];
    }
    const createdRank = new Array<number>(items.length);
    order.forEach((itemIndex, rank) => {
      createdRank[itemIndex] = rank;
    });
    const span = 600 * DAY;
    items.forEach((item, i) => {
      const createdAt =
        EPOCH + Math.floor((createdRank[i]! * span) / Math.max(1, items.length)) + (i % 997) * 3;
      const updatedAt = createdAt + Math.floor(random() * 120 * DAY);
      if (item.amazon) this.amazon.set(item.sku, this.amazonListing(item, createdAt, updatedAt));
      if (item.medusa) {
        const m = item.medusa;
        const main = this.locations[0]!;
        const reserved = Math.floor(random() * 3);
        const entry: MedusaEntry = {
          productId: m.ids?.productId ?? stableId("prod", item.sku, seed),
          variantId: m.ids?.variantId ?? stableId("variant", item.sku, seed),
          inventoryItemId: m.ids?.inventoryItemId ?? stableId("iitem", item.sku, seed),
          priceSetId: stableId("pset", item.sku, seed),
          sku: item.sku,
          title: item.title,
          handle: item.sku.toLowerCase().replace(/[^a-z0-9]+/g, "-"),
          productStatus: m.status,
          prices: [
            {
              id: stableId("price", `${item.sku}:${m.currency}`, seed),
              currency: m.currency.toLowerCase(),
              amount: m.price,
              createdAt,
              updatedAt,
            },
          ],
          levels: [
            {
              id: stableId("ilev", `${item.sku}:main`, seed),
              locationId: main.id,
              stocked: Math.max(0, m.quantity) + reserved,
              reserved,
              incoming: 0,
              createdAt,
              updatedAt,
            },
          ],
          createdAt,
          updatedAt,
          deleted: false,
        };
        if (i % 10 === 3) {
          const overflow = this.locations[1]!;
          entry.levels.push({
            id: stableId("ilev", `${item.sku}:overflow`, seed),
            locationId: overflow.id,
            stocked: Math.floor(random() * 20),
            reserved: 0,
            incoming: 0,
            createdAt,
            updatedAt,
          });
        }
        this.addMedusa(entry);
      }
    });
    this.applyDivergence(divergence);
    this.amazonByCreated = [...this.amazon.values()].sort(
      (x, y) => x.createdAt - y.createdAt || (x.sku < y.sku ? -1 : 1),
    );
    this.medusaOrdered = [...this.medusa.values()].sort(
      (x, y) => x.createdAt - y.createdAt || (x.sku < y.sku ? -1 : 1),
    );
  }

  /** The home store's id: where the seller's own price, currency and status live. */
  get home(): string {
    return this.stores[0]!.id;
  }

  /**
   * One seeded listing, dressed as on a real account from its SKU's hash alone: a product type by category,
   * Amazon's full FBA breakdown, offers in the seller's other stores, B2B and sale prices on some offers, and
   * the issues Amazon reports.
   */
  private amazonListing(item: SandboxSeedItem, createdAt: number, updatedAt: number): AmazonListing {
    const a = item.amazon!;
    const roll = (salt: number) => hash32(item.sku, this.seed ^ salt) / 4294967296;
    const split = (total: number, salt: number): [number, number, number] => {
      const first = Math.round(total * (0.5 + 0.4 * roll(salt)));
      const second = Math.round((total - first) * roll(salt + 1));
      return [first, second, total - first - second];
    };
    const fba = a.fulfillmentChannel === "FBA";
    const [customerOrders, fcTransfers, fcProcessing] = split(fba ? a.reserved : 0, 0x51);
    const [shipped, working, receiving] = split(fba ? a.inbound : 0, 0x53);
    const home = this.stores[0]!;
    const listing: AmazonListing = {
      sku: item.sku,
      asin: item.asin,
      fnSku: `X00${hash32(item.sku, this.seed).toString(36).toUpperCase().padStart(7, "0")}`,
      title: item.title,
      productType: a.productType ?? "PRODUCT",
      condition: a.condition || "new_new",
      price: a.price,
      currency: a.currency,
      status: a.status,
      channel: a.fulfillmentChannel,
      quantity: Math.max(0, Math.floor(a.quantity)),
      fba: {
        inboundWorking: working,
        inboundShipped: shipped,
        inboundReceiving: receiving,
        reservedCustomerOrders: customerOrders,
        reservedFcTransfers: fcTransfers,
        reservedFcProcessing: fcProcessing,
        researching: fba && roll(0x55) < 0.08 ? 1 + Math.floor(roll(0x56) * 3) : 0,
        unfulfillable: fba ? a.unfulfillable : 0,
      },
      elsewhere: {},
      issues: [],
      partial: false,
      createdAt,
      updatedAt,
      fbaUpdatedAt: updatedAt,
      deleted: false,
    };
    if (roll(0x61) < 0.15) listing.businessPrice = adjustPrice(a.price, 0.92);
    if (roll(0x62) < 0.1)
      listing.sale = {
        price: adjustPrice(a.price, 0.85),
        startAt: EPOCH + 680 * DAY,
        endAt: EPOCH + 1500 * DAY,
      };
    // Most sellers reach Canada with a share of the catalog and Mexico with less.
    const reach = [1, 0.45, 0.2];
    this.stores.slice(1).forEach((store, i) => {
      if (roll(0x70 + i) >= (reach[i + 1] ?? 0.2)) return;
      const offer: AmazonOffer = {
        price: localPrice(a.price, home, store),
        currency: store.currency,
        status: a.status === "ACTIVE" && roll(0x78 + i) < 0.06 ? "INCOMPLETE" : a.status,
      };
      if (listing.businessPrice && roll(0x7c + i) < 0.5) offer.businessPrice = adjustPrice(offer.price, 0.92);
      listing.elsewhere[store.id] = offer;
      if (offer.status === "INCOMPLETE" && a.status !== "INCOMPLETE")
        listing.issues.push({
          code: "90220",
          message: `'battery_cell_composition' is required for ${store.country} but not supplied.`,
          severity: "ERROR",
          attributeNames: ["battery_cell_composition"],
          categories: ["MISSING_ATTRIBUTE"],
          marketplaceIds: [store.id],
        });
    });
    const everywhere = [home.id, ...Object.keys(listing.elsewhere)];
    if (a.status === "INCOMPLETE")
      listing.issues.push({
        code: "90220",
        message: "'brand' is required but not supplied.",
        severity: "ERROR",
        attributeNames: ["brand"],
        categories: ["MISSING_ATTRIBUTE"],
        marketplaceIds: everywhere,
      });
    if (a.status === "SUPPRESSED")
      listing.issues.push({
        code: "18027",
        message:
          "The main image does not meet the image requirements; the listing is suppressed from search.",
        severity: "ERROR",
        attributeNames: ["main_product_image_locator"],
        categories: ["INVALID_IMAGE"],
        marketplaceIds: everywhere,
        suppresses: true,
      });
    if (roll(0x81) < 0.07)
      listing.issues.push({
        code: "99300",
        message: "The recommended attribute 'bullet_point' is missing; buyers see less about the product.",
        severity: "WARNING",
        attributeNames: ["bullet_point"],
        categories: ["MISSING_ATTRIBUTE"],
        marketplaceIds: everywhere,
      });
    return listing;
  }

  /** Drift: sales, repricing and status flips since the demo data was taken, derived from the seed only. */
  private applyDivergence(fraction: number): void {
    if (fraction <= 0) return;
    const driftAt = EPOCH + 700 * DAY;
    for (const listing of this.amazon.values()) {
      const r = hash32(listing.sku, this.seed ^ 0xa11ce) / 4294967296;
      if (r >= fraction) continue;
      const kind = hash32(listing.sku, this.seed ^ 0xb0b) % 10;
      if (kind < 6) listing.quantity = Math.max(0, listing.quantity - 1 - (kind % 3));
      else if (kind < 9) listing.price = adjustPrice(listing.price, kind === 6 ? 0.95 : 1.05);
      else listing.status = listing.status === "ACTIVE" ? "INACTIVE" : "ACTIVE";
      listing.updatedAt = driftAt + (hash32(listing.sku, this.seed) % DAY);
      listing.fbaUpdatedAt = listing.updatedAt;
      this.drifted.amazon.add(listing.sku);
    }
    for (const entry of this.medusa.values()) {
      const r = hash32(entry.sku, this.seed ^ 0xc0ffee) / 4294967296;
      if (r >= fraction) continue;
      const kind = hash32(entry.sku, this.seed ^ 0xd00d) % 10;
      const level = entry.levels[0]!;
      if (kind < 7) level.stocked = Math.max(level.reserved, level.stocked - 1 - (kind % 2));
      else if (kind < 9)
        entry.prices[0]!.amount = adjustPrice(entry.prices[0]!.amount, kind === 7 ? 0.9 : 1.1);
      else entry.productStatus = entry.productStatus === "published" ? "draft" : "published";
      entry.updatedAt = driftAt;
      this.drifted.medusa.add(entry.sku);
    }
  }

  countWrite(platform: "amazon" | "medusa", sku: string, field: "quantity" | "price" | "status"): void {
    const key = `${platform}:${sku}:${field}`;
    this.writes.set(key, (this.writes.get(key) ?? 0) + 1);
  }

  /** Called after every change, to persist the state (set by the server when it keeps a state file). */
  onChange?: () => void;

  touch(): void {
    this.version++;
    this.onChange?.();
  }

  /** Everything a restart needs to bring the marketplaces back as they were, as plain JSON. */
  snapshot(): SandboxSnapshot {
    return {
      format: SNAPSHOT_FORMAT,
      seed: this.seed,
      stores: this.stores.map((m) => m.id),
      amazon: this.amazonByCreated,
      medusa: this.medusaOrdered,
    };
  }

  /** Replaces the seeded state with a snapshot taken earlier; false (nothing changed) when it does not fit. */
  restore(snapshot: SandboxSnapshot): boolean {
    if (
      snapshot.format !== SNAPSHOT_FORMAT ||
      snapshot.seed !== this.seed ||
      snapshot.stores.join() !== this.stores.map((m) => m.id).join()
    )
      return false;
    this.amazon.clear();
    this.medusa.clear();
    this.medusaByVariant.clear();
    this.medusaByProduct.clear();
    this.medusaByInventoryItem.clear();
    this.drifted.amazon.clear();
    this.drifted.medusa.clear();
    for (const listing of snapshot.amazon) this.amazon.set(listing.sku, listing);
    for (const entry of snapshot.medusa) this.addMedusa(entry);
    this.amazonByCreated = [...snapshot.amazon];
    this.medusaOrdered = [...snapshot.medusa];
    this.version++;
    return true;
  }

  /** Adds a listing created through the API (replacing a deleted one of the same SKU), newest by creation. */
  addAmazon(listing: AmazonListing): void {
    const previous = this.amazon.get(listing.sku);
    if (previous) this.amazonByCreated = this.amazonByCreated.filter((l) => l !== previous);
    this.amazon.set(listing.sku, listing);
    this.amazonByCreated.push(listing);
    this.touch();
  }

  /** Registers a Medusa entry under its SKU and ids (not in creation order: callers append it there). */
  addMedusa(entry: MedusaEntry): void {
    this.medusa.set(entry.sku, entry);
    this.medusaByVariant.set(entry.variantId, entry);
    this.medusaByProduct.set(entry.productId, entry);
    this.medusaByInventoryItem.set(entry.inventoryItemId, entry);
  }

  /** Live Amazon listings sorted for a search; cached until the next write. */
  amazonSorted(sortBy: "sku" | "createdDate" | "lastUpdatedDate", order: "ASC" | "DESC"): AmazonListing[] {
    const key = `${sortBy}:${order}`;
    const cached = this.sortedCache.get(key);
    if (cached && cached.version === this.version) return cached.list;
    let list: AmazonListing[];
    if (sortBy === "createdDate") list = this.amazonByCreated.filter((l) => !l.deleted);
    else {
      list = [...this.amazon.values()].filter((l) => !l.deleted);
      if (sortBy === "sku") list.sort((x, y) => (x.sku < y.sku ? -1 : x.sku > y.sku ? 1 : 0));
      else list.sort((x, y) => x.updatedAt - y.updatedAt || (x.sku < y.sku ? -1 : 1));
    }
    if (order === "DESC") list = [...list].reverse();
    this.sortedCache.set(key, { version: this.version, list });
    return list;
  }
}
