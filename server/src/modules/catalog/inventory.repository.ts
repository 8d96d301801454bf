import type { Prisma, SellerInventory } from "../../generated/prisma/client";
import { ErrorCode, userInputError } from "../../graphql/errors";
import { byIdLoader, groupedLoader } from "../../graphql/loaders";
import { type ConnectionArgs, type Page, paginate, type SortSpec } from "../../graphql/pagination";
import type { TenantDb } from "../../platform/db";
import { type InventoryFilter, type InventoryOrder, InventoryOrderField } from "./inventory.types";
import { type StockThresholds, stockLevelCondition } from "./stock-level";

const MAX_SEARCH_LENGTH = 200;
const NULLABLE = new Set<string>([InventoryOrderField.PRICE, InventoryOrderField.AVAILABLE]);

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
    nullable: NULLABLE.has(field),
    value: (row) => sortValue(row, field),
  };
}

/** Turns the API's filter into Prisma conditions; the tenant comes from row-level security, not from here. */
export function inventoryWhere(
  filter: InventoryFilter | null | undefined,
  thresholds: StockThresholds,
): Prisma.SellerInventoryWhereInput {
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
    // LIKE wildcards in the user's text are literal characters.
    const contains = { contains: search.replace(/[\\%_]/g, "\\$&"), mode: "insensitive" as const };
    and.push({ OR: [{ sku: contains }, { asin: contains }, { title: contains }, { brand: contains }] });
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

/** One page of seller inventory, and a lazy count of everything the filter matches. */
export async function inventoryPage(
  db: TenantDb,
  args: ConnectionArgs,
  filter: InventoryFilter | null | undefined,
  order: InventoryOrder | null | undefined,
  thresholds: StockThresholds,
): Promise<{ page: Page<SellerInventory>; count: () => Promise<number> }> {
  const where = inventoryWhere(filter, thresholds);
  const page = await paginate(args, inventorySort(order), where, (q) =>
    db.client.sellerInventory.findMany(q as Prisma.SellerInventoryFindManyArgs),
  );
  return { page, count: () => db.client.sellerInventory.count({ where }) };
}

/** Categories and brands of the tenant's inventory with their counts, for filter pickers. */
export async function inventoryFacets(db: TenantDb) {
  const [categories, brands] = await Promise.all([
    db.client.sellerInventory.groupBy({ by: ["category"], _count: { _all: true }, orderBy: { category: "asc" } }),
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
