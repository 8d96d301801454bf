/** An Amazon store a seller can list in, with what a price there is written in. */
export interface Marketplace {
  id: string;
  country: string;
  currency: string;
  languageTag: string;
  /** Rough price level against the US store, to derive a store's price from the seller's home price. */
  priceFactor: number;
}

/** The North American stores a unified NA seller account sells in. */
export const NA_MARKETPLACES: readonly Marketplace[] = [
  { id: "ATVPDKIKX0DER", country: "US", currency: "USD", languageTag: "en_US", priceFactor: 1 },
  { id: "A2EUQ1WTGCTBG2", country: "CA", currency: "CAD", languageTag: "en_CA", priceFactor: 1.37 },
  { id: "A1AM78C64UM0Y8", country: "MX", currency: "MXN", languageTag: "es_MX", priceFactor: 17.2 },
];

/** The stores of a seller whose home store is `home`: the home store first, then the region's others. */
export function sellerMarketplaces(home: string, region: string, homeCurrency: string): Marketplace[] {
  const known = NA_MARKETPLACES.find((m) => m.id === home);
  const first: Marketplace = known ?? {
    id: home,
    country: "XX",
    currency: homeCurrency,
    languageTag: "en_US",
    priceFactor: 1,
  };
  if (region !== "NA") return [first];
  return [first, ...NA_MARKETPLACES.filter((m) => m.id !== home)];
}

/** A home price carried to another store: scaled by the stores' price levels, ending in .99 as sellers price. */
export function localPrice(homePrice: string, home: Marketplace, target: Marketplace): string {
  const value = (Number(homePrice) * target.priceFactor) / home.priceFactor;
  return (Math.max(1, Math.ceil(value)) - 0.01).toFixed(2);
}
