import type { Prisma, SellerInventory } from "../../generated/prisma/client";
import { ErrorCode, userInputError } from "../../graphql/errors";
import { byIdLoader, groupedLoader } from "../../graphql/loaders";
import { type SortKind, type SortSpec } from "../../graphql/pagination";
import type { TenantDb } from "../../platform/db";
import { type InventoryFilter, type InventoryOrder, InventoryOrderField } from "./inventory.types";
import { type StockThresholds, stockLevelCondition } from "./stock-level";

const MAX_SEARCH_LENGTH = 200;
const NULLABLE = new Set<string>([InventoryOrderField.PRICE, InventoryOrderField.AVAILABLE]);
const SORT_KINDS: Record<InventoryOrderField, SortKind> = {
  [InventoryOrderField.TITLE]: "text",
  [InventoryOrderField.SKU]: "text",
  [InventoryOrderField.QUANTITY]: "integer",
  [InventoryOrderField.AVAILABLE]: "integer",
  [InventoryOrderField.PRICE]: "decimal",
  [InventoryOrderField.UPDATED_AT]: "timestamp",
};

function sortValue(row: SellerInventory, field: InventoryOrderField): string | number | null {
  const value = row[field];
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return value.toISOString();
  if (typeof value === "number" || typeof value === "string") return value;
  return (value as Prisma.Decimal).toFixed(2);
}

export function inventorySort(order: InventoryOrder | null | undefined): SortSpec<SellerInventory> {
  const field = order?.field ?? InventoryOrderField.TITLE;
  const direction = order?.direction ?? "asc";
  return {
    key: `${field}:${direction}`,
    field,
    direction,
    kind: SORT_KINDS[field],
    nullable: NULLABLE.has(field),
    value: (row) => sortValue(row, field),
  };
}

// Up to this many matches a search goes through the trigram index by id; beyond it a scan is cheaper.
const INDEXED_SEARCH_LIMIT = 5000;

/** The search as a Prisma condition: matching ids when the term is selective, a LIKE scan when it is not. */
async function searchCondition(db: TenantDb, search: string): Promise<Prisma.SellerInventoryWhereInput> {
  // search_text is the lower-cased SKU, ASIN, title and brand; LIKE wildcards typed by the user are literal.
  const pattern = search.toLowerCase().replace(/[\\%_]/g, "\\$&");
  const rows = await db.client.$queryRaw<{ id: string }[]>`
    SELECT inventory_search_ids(${pattern}, ${INDEXED_SEARCH_LIMIT + 1}) AS id`;
  if (rows.length <= INDEXED_SEARCH_LIMIT) return { id: { in: rows.map((r) => r.id) } };
  return { searchText: { contains: pattern } };
}

/** Turns the API's filter into Prisma conditions; the tenant comes from row-level security, not from here. */
export async function inventoryWhere(
  db: TenantDb,
  filter: InventoryFilter | null | undefined,
  thresholds: StockThresholds,
): Promise<Prisma.SellerInventoryWhereInput> {
  if (!filter) return {};
  const and: Prisma.SellerInventoryWhereInput[] = [];
  const search = filter.search?.trim();
  if (search) {
    if (search.length > MAX_SEARCH_LENGTH) {
      throw userInputError(
        `\`search\` is longer than ${MAX_SEARCH_LENGTH} characters`,
        ErrorCode.BAD_USER_INPUT,
        "filter.search",
      );
    }
    and.push(await searchCondition(db, search));
  }
  if (filter.status?.length) and.push({ status: { in: filter.status } });
  if (filter.category?.length) and.push({ category: { in: filter.category } });
  if (filter.brand?.length) and.push({ brand: { in: filter.brand } });
  if (filter.fulfillmentChannel?.length) and.push({ fulfillmentChannel: { in: filter.fulfillmentChannel } });
  if (filter.isBestseller != null) and.push({ isBestseller: filter.isBestseller });
  if (filter.stockLevel?.length) {
    and.push({ OR: filter.stockLevel.map((level) => stockLevelCondition(level, thresholds)) });
  }
  if (filter.platform?.length) {
    and.push({ product: { listings: { some: { platform: { in: filter.platform } } } } });
  }
  return and.length ? { AND: and } : {};
}

/** Categories and brands of the tenant's inventory with their counts, for filter pickers. */
export async function inventoryFacets(db: TenantDb) {
  const [categories, brands] = await Promise.all([
    db.client.sellerInventory.groupBy({
      by: ["category"],
      _count: { _all: true },
      orderBy: { category: "asc" },
    }),
    db.client.sellerInventory.groupBy({ by: ["brand"], _count: { _all: true }, orderBy: { brand: "asc" } }),
  ]);
  return {
    categories: categories.flatMap((c) => (c.category ? [{ value: c.category, count: c._count._all }] : [])),
    brands: brands.flatMap((b) => (b.brand ? [{ value: b.brand, count: b._count._all }] : [])),
  };
}

/** Batches many per-key reads of one request into one query each. */
export function createCatalogLoaders(db: TenantDb) {
  return {
    inventoryById: byIdLoader((ids) => db.client.sellerInventory.findMany({ where: { id: { in: ids } } })),
    productById: byIdLoader((ids) => db.client.product.findMany({ where: { id: { in: ids } } })),
    listingById: byIdLoader((ids) => db.client.productListing.findMany({ where: { id: { in: ids } } })),
    listingsByProduct: groupedLoader(
      (productIds) =>
        db.client.productListing.findMany({
          where: { productId: { in: productIds } },
          orderBy: [{ platform: "asc" }, { id: "asc" }],
        }),
      (row) => row.productId,
    ),
  };
}
