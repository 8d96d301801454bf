import type { Alert, SellerInventory, SyncConflict, SyncHistory } from "../../generated/prisma/client";
import { toGlobalId } from "../../graphql/global-id";
import { keysetBatches, newestFirst, type SortSpec } from "../../graphql/pagination";
import { Scope } from "../../platform/auth/scopes";
import type { TenantDb, Tx } from "../../platform/db";
import { alertWhere } from "../alerts";
import {
  type InventoryFilter,
  type InventoryOrder,
  inventorySort,
  inventoryWhere,
  stockLevel,
} from "../catalog";
import { conflictWhere } from "../conflicts";
import { createConnectionLoaders } from "../connections";
import { historyWhere } from "../history";
import type { ExportValue } from "./export.format";

/** One exported row: field names as the GraphQL type has them, values as its JSON would carry them. */
export type ExportRow = Record<string, ExportValue>;

/** What an export read: its filter and order (coerced GraphQL input values). */
export interface ExportArgs {
  filter: Record<string, unknown> | null;
  orderBy: Record<string, unknown> | null;
}

/** A prepared export: its conditions are built (and checked), the rows are read only when `rows` runs. */
export interface PreparedExport {
  /** Every matching row in the list's order, read in keyset batches on `tx` (the tenant's transaction). */
  rows(tx: Tx): AsyncGenerator<ExportRow>;
}

/** A list that can be exported: which GraphQL field's filter and order it takes, and how its rows read. */
export interface ExportList {
  name: "inventory" | "conflicts" | "alerts" | "history";
  /** The GraphQL query field whose arguments the export takes. */
  field: string;
  filterType: string;
  orderType?: string;
  /** The scope that field needs; an export needs read_exports too. */
  scope: Scope;
  columns: readonly string[];
  prepare(db: TenantDb, args: ExportArgs): Promise<PreparedExport>;
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);

async function* flatten<T extends { id: string }>(
  batches: AsyncGenerator<T[]>,
  map: (row: T) => ExportRow,
): AsyncGenerator<ExportRow> {
  for await (const batch of batches) for (const row of batch) yield map(row);
}

const INVENTORY_COLUMNS = [
  "id",
  "sku",
  "asin",
  "title",
  "brand",
  "category",
  "fulfillmentChannel",
  "quantity",
  "reservedQuantity",
  "availableQuantity",
  "inboundQuantity",
  "unfulfillableQuantity",
  "stockLevel",
  "price",
  "currency",
  "status",
  "condition",
  "isBestseller",
  "salesRank",
  "lastSeenAt",
  "createdAt",
  "updatedAt",
] as const;

const inventory: ExportList = {
  name: "inventory",
  field: "inventory",
  filterType: "InventoryFilter",
  orderType: "InventoryOrder",
  scope: Scope.read_inventory,
  columns: INVENTORY_COLUMNS,
  async prepare(db, args) {
    const thresholds = await createConnectionLoaders(db).settings();
    const where = await inventoryWhere(db, args.filter as InventoryFilter | null, thresholds);
    const sort: SortSpec<SellerInventory> = inventorySort(args.orderBy as InventoryOrder | null);
    return {
      rows: (tx) =>
        flatten(
          keysetBatches(sort, where, (q) => tx.sellerInventory.findMany(q as never)),
          (row) => {
            const available = row.availableQuantity ?? row.quantity - row.reservedQuantity;
            return {
              id: toGlobalId("InventoryItem", row.id),
              sku: row.sku,
              asin: row.asin,
              title: row.title,
              brand: row.brand,
              category: row.category,
              fulfillmentChannel: row.fulfillmentChannel,
              quantity: row.quantity,
              reservedQuantity: row.reservedQuantity,
              availableQuantity: available,
              inboundQuantity: row.inboundQuantity,
              unfulfillableQuantity: row.unfulfillableQuantity,
              stockLevel: stockLevel(available, thresholds),
              price: row.price ? row.price.toFixed(2) : null,
              currency: row.currency,
              status: row.status,
              condition: row.condition,
              isBestseller: row.isBestseller,
              salesRank: row.salesRank,
              lastSeenAt: iso(row.lastSeenAt),
              createdAt: iso(row.createdAt),
              updatedAt: iso(row.updatedAt),
            };
          },
        ),
    };
  },
};

const conflicts: ExportList = {
  name: "conflicts",
  field: "conflicts",
  filterType: "ConflictFilter",
  scope: Scope.read_conflicts,
  columns: [
    "id",
    "sku",
    "type",
    "field",
    "values",
    "strategy",
    "status",
    "resolvedValue",
    "resolution",
    "resolvedAt",
    "resolvedBy",
    "createdAt",
    "updatedAt",
  ],
  async prepare(_db, args) {
    const where = conflictWhere(args.filter as Parameters<typeof conflictWhere>[0]);
    return {
      rows: (tx) =>
        flatten(
          keysetBatches(newestFirst<SyncConflict>(), where, (q) => tx.syncConflict.findMany(q as never)),
          (row) => ({
            id: toGlobalId("SyncConflict", row.id),
            sku: row.sku,
            type: row.type,
            field: row.field,
            values: row.values,
            strategy: row.strategy,
            status: row.status,
            resolvedValue: row.resolvedValue,
            resolution: row.resolution,
            resolvedAt: iso(row.resolvedAt),
            resolvedBy: row.resolvedBy,
            createdAt: iso(row.createdAt),
            updatedAt: iso(row.updatedAt),
          }),
        ),
    };
  },
};

const alerts: ExportList = {
  name: "alerts",
  field: "alerts",
  filterType: "AlertFilter",
  scope: Scope.read_alerts,
  columns: [
    "id",
    "type",
    "priority",
    "status",
    "title",
    "message",
    "payload",
    "acknowledgedAt",
    "resolvedAt",
    "resolvedBy",
    "createdAt",
    "updatedAt",
  ],
  async prepare(_db, args) {
    const where = alertWhere(args.filter as Parameters<typeof alertWhere>[0]);
    return {
      rows: (tx) =>
        flatten(
          keysetBatches(newestFirst<Alert>(), where, (q) => tx.alert.findMany(q as never)),
          (row) => ({
            id: toGlobalId("Alert", row.id),
            type: row.type,
            priority: row.priority,
            status: row.status,
            title: row.title,
            message: row.message,
            payload: row.payload,
            acknowledgedAt: iso(row.acknowledgedAt),
            resolvedAt: iso(row.resolvedAt),
            resolvedBy: row.resolvedBy,
            createdAt: iso(row.createdAt),
            updatedAt: iso(row.updatedAt),
          }),
        ),
    };
  },
};

const history: ExportList = {
  name: "history",
  field: "syncHistory",
  filterType: "SyncHistoryFilter",
  scope: Scope.read_history,
  columns: [
    "id",
    "sku",
    "actorType",
    "actorId",
    "platform",
    "field",
    "oldValue",
    "newValue",
    "reason",
    "createdAt",
  ],
  async prepare(_db, args) {
    const where = historyWhere(args.filter as Parameters<typeof historyWhere>[0]);
    return {
      rows: (tx) =>
        flatten(
          keysetBatches(newestFirst<SyncHistory>(), where, (q) => tx.syncHistory.findMany(q as never)),
          (row) => ({
            id: toGlobalId("SyncHistoryEntry", row.id),
            sku: row.sku,
            actorType: row.actorType,
            actorId: row.actorId,
            platform: row.platform,
            field: row.field,
            oldValue: row.oldValue,
            newValue: row.newValue,
            reason: row.reason,
            createdAt: iso(row.createdAt),
          }),
        ),
    };
  },
};

/** Every exportable list by its name in the URL (`/exports/<name>.<format>`). */
export const EXPORT_LISTS: ReadonlyMap<string, ExportList> = new Map(
  [inventory, conflicts, alerts, history].map((list) => [list.name, list]),
);
