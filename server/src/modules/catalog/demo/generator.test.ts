import { afterEach, describe, expect, it, vi } from "vitest";
import { TEMPLATES } from "./catalog-data";
import {
  DEFAULT_DEMO_SEED,
  type DemoProduct,
  DISTINCT_DEMO_TITLES,
  demoDifferences,
  demoProductAt,
  generateDemoCatalog,
  iterateDemoCatalog,
} from "./generator";
import { permute } from "./random";

const demo = generateDemoCatalog({ skus: 2000 });

function share(products: DemoProduct[], predicate: (p: DemoProduct) => boolean): number {
  return products.filter(predicate).length / products.length;
}

const available = (p: DemoProduct) => p.amazon.quantity - p.amazon.reserved;

afterEach(() => {
  vi.restoreAllMocks();
});

describe("generateDemoCatalog", () => {
  it("gives the same catalog for the same seed, whatever the clock says", () => {
    const random = vi.spyOn(Math, "random");
    vi.spyOn(Date, "now").mockReturnValue(0);
    const again = generateDemoCatalog({ skus: 2000, seed: DEFAULT_DEMO_SEED });
    expect(again).toEqual(demo);
    expect(random).not.toHaveBeenCalled();
  });

  it("gives a different catalog for a different seed", () => {
    const other = generateDemoCatalog({ skus: 50, seed: 7 });
    expect(other.map((p) => p.asin)).not.toEqual(demo.slice(0, 50).map((p) => p.asin));
    expect(generateDemoCatalog({ skus: 50, seed: 7 })).toEqual(other);
  });

  it("keeps a smaller catalog a prefix of a larger one", () => {
    expect(generateDemoCatalog({ skus: 300 })).toEqual(demo.slice(0, 300));
    expect(Array.from(iterateDemoCatalog({ skus: 100, start: 1900 }))).toEqual(demo.slice(1900));
    expect(demoProductAt(1234)).toEqual(demo[1234]);
  });

  it("keeps the first products stable across releases", () => {
    expect(demo[0]).toMatchObject({
      sku: "OWL-FSP-40-BLK-0001",
      asin: "B0KNUI6FN0",
      title: "Owala FreeSip Insulated Tumbler, 40 oz, Black",
    });
    expect(demo[1]?.medusa?.productId).toBe("prod_01HM65MJ7092ZHGTDZR1YF9WJA");
  });

  it("gives unique SKUs and well-formed, unique ASINs across the 100,000-SKU benchmark catalog", () => {
    const skus = new Set<string>();
    const asins = new Set<string>();
    const medusaIds = new Set<string>();
    let count = 0;
    for (const p of iterateDemoCatalog({ skus: 100_000 })) {
      count += 1;
      skus.add(p.sku);
      asins.add(p.asin);
      if (p.medusa) medusaIds.add(p.medusa.variantId);
      expect(p.asin).toMatch(/^B0[0-9A-Z]{8}$/);
    }
    expect(skus.size).toBe(count);
    expect(asins.size).toBe(count);
    expect(medusaIds.size).toBeGreaterThan(80_000);
  }, 60_000);

  it("never repeats a title within the demo catalog", () => {
    expect(DISTINCT_DEMO_TITLES).toBeGreaterThanOrEqual(2000);
    expect(new Set(demo.map((p) => p.title)).size).toBe(demo.length);
  });

  it("formats SKUs as brand-line-spec-variant-number", () => {
    for (const p of demo) expect(p.sku).toMatch(/^[A-Z0-9]{2,4}(-[A-Z0-9]{1,4}){1,3}-\d{4,}$/);
  });

  it("prices as decimal strings with the cost below the price", () => {
    for (const p of demo) {
      expect(p.cost).toMatch(/^\d+\.\d{2}$/);
      expect(p.amazon.price).toMatch(/^\d+\.\d{2}$/);
      expect(Number(p.cost)).toBeLessThan(Number(p.amazon.price));
      expect(Number(p.cost)).toBeGreaterThan(0);
      if (p.medusa) expect(p.medusa.price).toMatch(/^\d+\.\d{2}$/);
    }
  });

  it("spreads the catalog over at least eight categories with several brands each", () => {
    const brands = new Map<string, Set<string>>();
    for (const p of demo) brands.set(p.category, (brands.get(p.category) ?? new Set()).add(p.brand));
    expect(brands.size).toBeGreaterThanOrEqual(8);
    for (const set of brands.values()) expect(set.size).toBeGreaterThanOrEqual(3);
  });

  it("mixes fulfilment, stock, bestsellers and statuses in realistic shares", () => {
    expect(share(demo, (p) => p.amazon.fulfillmentChannel === "FBA")).toBeGreaterThan(0.55);
    expect(share(demo, (p) => p.amazon.fulfillmentChannel === "FBA")).toBeLessThan(0.65);
    expect(share(demo, (p) => available(p) === 0)).toBeGreaterThan(0.03);
    expect(share(demo, (p) => available(p) === 0)).toBeLessThan(0.08);
    expect(share(demo, (p) => available(p) > 0 && available(p) < 10)).toBeGreaterThan(0.04);
    expect(share(demo, (p) => available(p) > 0 && available(p) < 10)).toBeLessThan(0.12);
    expect(share(demo, (p) => p.amazon.isBestseller)).toBeGreaterThan(0.03);
    expect(share(demo, (p) => p.amazon.isBestseller)).toBeLessThan(0.07);
    expect(share(demo, (p) => p.amazon.status === "ACTIVE")).toBeGreaterThan(0.85);
    expect(share(demo, (p) => p.amazon.status === "ACTIVE")).toBeLessThan(0.95);
    const statuses = new Set(demo.map((p) => p.amazon.status));
    expect([...statuses].sort()).toEqual(["ACTIVE", "INACTIVE", "INCOMPLETE", "SUPPRESSED"]);
    expect(new Set(demo.map((p) => p.amazon.condition)).size).toBeGreaterThanOrEqual(4);
  });

  it("ranks bestsellers well", () => {
    for (const p of demo.filter((x) => x.amazon.isBestseller)) {
      expect(p.amazon.salesRank).not.toBeNull();
      expect(p.amazon.salesRank).toBeLessThanOrEqual(2500);
      expect(p.amazon.status).toBe("ACTIVE");
    }
  });

  it("keeps quantities consistent: reserved within quantity, FBA-only counters zero for FBM", () => {
    for (const p of demo) {
      expect(p.amazon.reserved).toBeLessThanOrEqual(p.amazon.quantity);
      expect(p.amazon.reserved).toBeGreaterThanOrEqual(0);
      if (p.amazon.fulfillmentChannel === "FBM") {
        expect(p.amazon.inbound).toBe(0);
        expect(p.amazon.unfulfillable).toBe(0);
      }
      if (p.medusa) expect(p.medusa.quantity).toBeGreaterThanOrEqual(0);
    }
  });

  it("lists about 85 % on Medusa, about 10 % of those with deliberate differences", () => {
    const onMedusa = demo.filter((p) => p.medusa);
    expect(onMedusa.length / demo.length).toBeGreaterThan(0.8);
    expect(onMedusa.length / demo.length).toBeLessThan(0.9);
    const drifted = onMedusa.filter((p) => demoDifferences(p).length > 0);
    expect(drifted.length / onMedusa.length).toBeGreaterThan(0.07);
    expect(drifted.length / onMedusa.length).toBeLessThan(0.13);
    const types = new Set(drifted.flatMap((p) => demoDifferences(p).map((d) => d.type)));
    expect([...types].sort()).toEqual(["PRICE", "QUANTITY", "STATUS"]);
  });

  it("keeps Medusa in step with Amazon when no difference is reported", () => {
    for (const p of demo) {
      if (!p.medusa || demoDifferences(p).length > 0) continue;
      expect(p.medusa.price).toBe(p.amazon.price);
      expect(p.medusa.quantity).toBe(available(p));
      expect(p.medusa.status).toBe(p.amazon.status === "ACTIVE" ? "ACTIVE" : "INACTIVE");
    }
  });

  it("gives ULID-shaped Medusa ids", () => {
    const m = demo.find((p) => p.medusa)?.medusa;
    expect(m?.productId).toMatch(/^prod_[0-9A-HJKMNP-TV-Z]{26}$/);
    expect(m?.variantId).toMatch(/^variant_[0-9A-HJKMNP-TV-Z]{26}$/);
    expect(m?.inventoryItemId).toMatch(/^iitem_[0-9A-HJKMNP-TV-Z]{26}$/);
  });

  it("rejects a negative or fractional count", () => {
    expect(() => generateDemoCatalog({ skus: -1 })).toThrow(RangeError);
    expect(() => generateDemoCatalog({ skus: 1.5 })).toThrow(RangeError);
    expect(generateDemoCatalog({ skus: 0 })).toEqual([]);
  });
});

describe("catalog templates", () => {
  it("name every spec and variant that tells two SKUs apart", () => {
    for (const t of TEMPLATES) {
      if (t.specs.length > 1) expect(t.title).toContain("{spec}");
      if (t.variants.length > 1) expect(t.title).toContain("{variant}");
      expect(t.price[0]).toBeLessThan(t.price[1]);
    }
  });
});

describe("permute", () => {
  it("is a bijection on its domain", () => {
    for (const size of [1, 2, 3, 17, 1000, 2335]) {
      const seen = new Set<number>();
      for (let i = 0; i < size; i++) {
        const x = permute(i, size, 42);
        expect(x).toBeGreaterThanOrEqual(0);
        expect(x).toBeLessThan(size);
        seen.add(x);
      }
      expect(seen.size).toBe(size);
    }
  });
});
