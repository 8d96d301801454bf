import { createRandom, hash32, stableId } from "./prng";
import type { SandboxSeedItem } from "./sandbox.types";

export type AmazonStatus = "ACTIVE" | "INACTIVE" | "INCOMPLETE" | "SUPPRESSED";

/** One Amazon listing as the sandbox holds it. */
export interface AmazonListing {
  sku: string;
  asin: string;
  fnSku: string;
  title: string;
  productType: string;
  condition: string;
  price: string;
  currency: string;
  channel: "FBA" | "FBM";
  /** FBM: quantity offered; FBA: fulfillable quantity. */
  quantity: number;
  reserved: number;
  inbound: number;
  unfulfillable: number;
  status: AmazonStatus;
  createdAt: number;
  updatedAt: number;
  fbaUpdatedAt: number;
  deleted: boolean;
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
      if (item.amazon) {
        const a = item.amazon;
        const listing: AmazonListing = {
          sku: item.sku,
          asin: item.asin,
          fnSku: `X00${hash32(item.sku, seed).toString(36).toUpperCase().padStart(7, "0")}`,
          title: item.title,
          productType: "PRODUCT",
          condition: a.condition || "new_new",
          price: a.price,
          currency: a.currency,
          channel: a.fulfillmentChannel,
          quantity: Math.max(0, Math.floor(a.quantity)),
          reserved: a.reserved,
          inbound: a.inbound,
          unfulfillable: a.unfulfillable,
          status: a.status,
          createdAt,
          updatedAt,
          fbaUpdatedAt: updatedAt,
          deleted: false,
        };
        this.amazon.set(item.sku, listing);
      }
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
        this.medusa.set(item.sku, entry);
        this.medusaByVariant.set(entry.variantId, entry);
        this.medusaByProduct.set(entry.productId, entry);
        this.medusaByInventoryItem.set(entry.inventoryItemId, entry);
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

  touch(): void {
    this.version++;
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
