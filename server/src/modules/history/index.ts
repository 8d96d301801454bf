export {
  archiveExpiredHistory,
  ensureHistoryPartitions,
  startHistoryMaintenance,
} from "./history.partitions";
export { historyPage, historyWhere } from "./history.repository";
export { SyncHistoryResolver } from "./history.resolver";
export { SyncHistoryConnection, SyncHistoryEntry, SyncHistoryFilter } from "./history.types";
export { type HistoryRow, writeHistory } from "./history.writer";
