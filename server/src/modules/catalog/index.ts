export { BulkUpdateResolver } from "./bulk-update.resolver";
export { publishedQuantity } from "./bulk-update.rules";
export { BulkUpdateInventoryInput, BulkUpdateInventoryPayload, ErrorPolicy } from "./bulk-update.types";
export {
  createCatalogLoaders,
  inventoryFacets,
  inventorySort,
  inventoryWhere,
} from "./inventory.repository";
export { InventoryResolver, ListingResolver } from "./inventory.resolver";
export {
  InventoryFilter,
  InventoryItem,
  InventoryOrder,
  Listing,
  Product,
  StockLevel,
} from "./inventory.types";
export { type StockThresholds, stockLevel } from "./stock-level";
