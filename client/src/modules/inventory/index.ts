export { InventoryPage } from "./inventory.page";
export { ItemPage } from "./item.page";
