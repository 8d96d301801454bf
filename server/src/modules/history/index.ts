export {
  type ArchivedMonth,
  applyHistoryRetention,
  type RetentionReport,
  type RetentionStep,
} from "./history.archive";
export { ensureHistoryPartitions, startHistoryMaintenance } from "./history.partitions";
export { historyPage, historyWhere } from "./history.repository";
export { SyncHistoryResolver } from "./history.resolver";
export { SyncHistoryConnection, SyncHistoryEntry, SyncHistoryFilter } from "./history.types";
export { type HistoryRow, writeHistory } from "./history.writer";
export { type ArchiveAnswer, archivesDir, openHistoryArchive } from "./history-archive.download";
export { HistoryRetentionResolver } from "./history-retention.resolver";
export {
  DEFAULT_RETENTION_MONTHS,
  MAX_RETENTION_MONTHS,
  MIN_RETENTION_MONTHS,
} from "./history-retention.rules";
export { HISTORY_ARCHIVES_PATH } from "./history-retention.service";
export { HistoryArchive, HistoryRetention } from "./history-retention.types";
