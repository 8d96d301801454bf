export {
  createCatalogLoaders,
  inventoryFacets,
  inventoryPage,
  inventorySort,
  inventoryWhere,
} from "./inventory.repository";
export { InventoryResolver, ListingResolver } from "./inventory.resolver";
export { InventoryItem, Listing, Product, StockLevel } from "./inventory.types";
export { type StockThresholds, stockLevel } from "./stock-level";
