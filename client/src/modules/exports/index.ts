export { type ExportList, ExportMenu, filterParams } from "./export-menu";
