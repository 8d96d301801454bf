export { EXPORT_FORMATS, type ExportFormat, escapeFormula } from "./export.format";
export { EXPORT_LISTS, type ExportList } from "./export.lists";
export { type ExportAnswer, ExportService, MAX_CONCURRENT_EXPORTS } from "./export.service";
