import type { ProductListing, SellerInventory } from "../../generated/prisma/client";
import { ErrorCode, userInputError } from "../../graphql/errors";
import { sqlSegments } from "../../graphql/keyset.sql";
import { type ConnectionArgs, EMPTY_PAGE, keysetRequest, type Page, pageOf } from "../../graphql/pagination";
import { Prisma, type TenantDb } from "../../platform/db";
import { inventorySort } from "./inventory.repository";
import {
  type InventoryFilter,
  InventoryItem,
  type InventoryOrder,
  InventoryOrderField,
  Listing,
  StockLevel,
} from "./inventory.types";
import type { StockThresholds } from "./stock-level";

const MAX_SEARCH_LENGTH = 200;
// The search function's own cap, far beyond any tenant's catalog: the planner joins its ids, never a list.
const ALL_MATCHES = 2_147_483_647;

const COLUMN: Record<InventoryOrderField, string> = {
  [InventoryOrderField.TITLE]: "title",
  [InventoryOrderField.SKU]: "sku",
  [InventoryOrderField.QUANTITY]: "quantity",
  [InventoryOrderField.AVAILABLE]: "available_quantity",
  [InventoryOrderField.PRICE]: "price",
  [InventoryOrderField.UPDATED_AT]: "updated_at",
};

// The row as Prisma would read it, so resolvers and loaders share one shape.
const ITEM_COLUMNS = Prisma.raw(
  `s.id, s.tenant_id AS "tenantId", s.product_id AS "productId", s.connection_id AS "connectionId", s.sku,
   s.asin, s.title, s.brand, s.category, s.fulfillment_channel::text AS "fulfillmentChannel", s.quantity,
   s.reserved_quantity AS "reservedQuantity", s.available_quantity AS "availableQuantity",
   s.inbound_quantity AS "inboundQuantity", s.unfulfillable_quantity AS "unfulfillableQuantity", s.price,
   s.currency, s.status::text AS status, s.condition::text AS condition, s.is_bestseller AS "isBestseller",
   s.sales_rank AS "salesRank", s.search_text AS "searchText", s.last_seen_at AS "lastSeenAt",
   s.created_at AS "createdAt", s.updated_at AS "updatedAt"`,
);

// A product's listings in the loader's order; money as text and times as ISO text, read back exactly.
const LISTINGS = Prisma.raw(
  `(SELECT coalesce(json_agg(json_build_object(
      'id', l.id, 'tenantId', l.tenant_id, 'productId', l.product_id, 'connectionId', l.connection_id,
      'platform', l.platform, 'sku', l.sku, 'externalId', l.external_id, 'externalVariantId', l.external_variant_id,
      'externalInventoryItemId', l.external_inventory_item_id, 'quantity', l.quantity, 'price', l.price::text,
      'currency', l.currency, 'status', l.status, 'version', l.version, 'lastConfirmedAt', l.last_confirmed_at,
      'lastSyncedAt', l.last_synced_at, 'createdAt', l.created_at, 'updatedAt', l.updated_at)
    ORDER BY l.platform, l.id), '[]'::json)
    FROM product_listings l WHERE l.product_id = page."productId")`,
);

/** The filter as SQL conditions over `seller_inventory s`; the tenant comes from row-level security. */
export function inventoryConditions(
  filter: InventoryFilter | null | undefined,
  thresholds: StockThresholds | null,
): Prisma.Sql {
  const and: Prisma.Sql[] = [];
  const search = filter?.search?.trim();
  if (search) {
    if (search.length > MAX_SEARCH_LENGTH) {
      throw userInputError(
        `\`search\` is longer than ${MAX_SEARCH_LENGTH} characters`,
        ErrorCode.BAD_USER_INPUT,
        "filter.search",
      );
    }
    // search_text is the lower-cased SKU, ASIN, title and brand; LIKE wildcards typed by the user are literal.
    // The function reads the trigram index for the caller's tenant, which row-level security keeps LIKE from.
    const pattern = search.toLowerCase().replace(/[\\%_]/g, "\\$&");
    and.push(Prisma.sql`s.id IN (SELECT inventory_search_ids(${pattern}, ${ALL_MATCHES}))`);
  }
  if (filter?.status?.length) and.push(Prisma.sql`s.status = ANY(${filter.status}::"ListingStatus"[])`);
  if (filter?.category?.length) and.push(Prisma.sql`s.category = ANY(${filter.category}::text[])`);
  if (filter?.brand?.length) and.push(Prisma.sql`s.brand = ANY(${filter.brand}::text[])`);
  if (filter?.fulfillmentChannel?.length) {
    and.push(Prisma.sql`s.fulfillment_channel = ANY(${filter.fulfillmentChannel}::"FulfillmentChannel"[])`);
  }
  if (filter?.isBestseller != null) and.push(Prisma.sql`s.is_bestseller = ${filter.isBestseller}`);
  if (filter?.stockLevel?.length) {
    if (!thresholds) throw new Error("a stockLevel filter needs the tenant's thresholds");
    const { lowStockThreshold: low, outOfStockThreshold: out } = thresholds;
    const range: Record<StockLevel, Prisma.Sql> = {
      [StockLevel.OUT_OF_STOCK]: Prisma.sql`s.available_quantity <= ${out}::int`,
      [StockLevel.LOW_STOCK]: Prisma.sql`(s.available_quantity > ${out}::int AND s.available_quantity <= ${low}::int)`,
      [StockLevel.IN_STOCK]: Prisma.sql`s.available_quantity > ${low}::int`,
    };
    const ranges = [...new Set(filter.stockLevel)].map((level) => range[level]);
    and.push(Prisma.sql`(${Prisma.join(ranges, " OR ")})`);
  }
  if (filter?.platform?.length) {
    and.push(Prisma.sql`EXISTS (SELECT 1 FROM product_listings pl
      WHERE pl.product_id = s.product_id AND pl.platform = ANY(${filter.platform}::"PlatformKind"[]))`);
  }
  return and.length ? Prisma.join(and, " AND ") : Prisma.sql`TRUE`;
}

type ListingJson = Omit<
  ProductListing,
  "price" | "lastConfirmedAt" | "lastSyncedAt" | "createdAt" | "updatedAt"
> & {
  price: string | null;
  lastConfirmedAt: string | null;
  lastSyncedAt: string | null;
  createdAt: string;
  updatedAt: string;
};

/** A page row as node-postgres reads it: money as text, the listings as parsed JSON. */
type ItemRow = Omit<SellerInventory, "price"> & {
  price: string | null;
  listings?: ListingJson[];
  segment: number;
  totalCount?: number;
};

/** An inventory row read with its product's listings in the same statement. */
export type InventoryRowWithListings = SellerInventory & { listings?: ProductListing[] };

const toDate = (text: string | null) => (text === null ? null : new Date(text));
const toDecimal = (text: string | null) => (text === null ? null : new Prisma.Decimal(text));

// Rows are converted in place: a page is thousands of fields, and copying them costs more than reading them.
// They become instances of their GraphQL class, so type-graphql's field resolvers take them as they are instead
// of copying every row into a new instance for each resolved field.
function listingOf(json: ListingJson): ProductListing {
  Object.setPrototypeOf(json, Listing.prototype);
  const listing = json as unknown as ProductListing;
  listing.price = toDecimal(json.price);
  listing.lastConfirmedAt = toDate(json.lastConfirmedAt);
  listing.lastSyncedAt = toDate(json.lastSyncedAt);
  listing.createdAt = new Date(json.createdAt);
  listing.updatedAt = new Date(json.updatedAt);
  return listing;
}

function itemOf(row: ItemRow): InventoryRowWithListings {
  Object.setPrototypeOf(row, InventoryItem.prototype);
  const item = row as unknown as InventoryRowWithListings;
  item.price = toDecimal(row.price);
  if (row.listings) for (const listing of row.listings) listingOf(listing);
  return item;
}

/**
 * One page of seller inventory in one statement (the page's ranges, its listings and the count of everything
 * the filter matches when asked for); the count reads no more than the filter needs.
 */
export async function inventoryPageSql(
  db: TenantDb,
  args: ConnectionArgs,
  filter: InventoryFilter | null | undefined,
  order: InventoryOrder | null | undefined,
  thresholds: StockThresholds | null,
  options: { withListings: boolean; withCount: boolean },
): Promise<{ page: Page<InventoryRowWithListings>; count: () => Promise<number> }> {
  const { withListings, withCount } = options;
  const where = inventoryConditions(filter, thresholds);
  const count = async () => {
    const [row] = await db.sql<{ n: number }>(
      Prisma.sql`SELECT count(*)::int AS n FROM seller_inventory s WHERE ${where}`,
    );
    return row?.n ?? 0;
  };
  const sort = inventorySort(order);
  const request = keysetRequest(args, sort);
  if (!request) return { page: EMPTY_PAGE, count };
  const { req, cursor } = request;
  const take = req.take + 1;
  const column = COLUMN[sort.field as InventoryOrderField];
  const segments = sqlSegments(sort, "s", column, cursor, req.backward);
  const parts = segments.map(
    (segment, i) =>
      Prisma.sql`(SELECT ${i}::int AS segment, ${ITEM_COLUMNS} FROM seller_inventory s
        WHERE ${where} AND ${segment.where} ORDER BY ${segment.orderBy} LIMIT ${take})`,
  );
  // The outer order re-reads each segment's own: its column, then id, in the page's direction.
  const direction = Prisma.raw(
    (req.backward ? sort.direction === "asc" : sort.direction === "desc") ? "DESC" : "ASC",
  );
  const outerColumn = Prisma.raw(`page."${sort.field}"`);
  // The count rides on the page's rows (an uncorrelated subquery, run once) instead of a round trip of its own.
  const counted = withCount
    ? Prisma.sql`, (SELECT count(*)::int FROM seller_inventory s WHERE ${where}) AS "totalCount"`
    : Prisma.empty;
  const rows = await db.sql<ItemRow>(Prisma.sql`
    SELECT page.*${withListings ? Prisma.sql`, ${LISTINGS} AS listings` : Prisma.empty}${counted}
      FROM (${Prisma.join(parts, " UNION ALL ")}) page
     ORDER BY page.segment, ${outerColumn} ${direction}, page.id ${direction}
     LIMIT ${take}`);
  const items = rows.map(itemOf);
  const total = rows[0]?.totalCount;
  // An empty page carries no count: it is then counted on its own.
  return { page: pageOf(items, sort, req, cursor), count: total === undefined ? count : async () => total };
}
