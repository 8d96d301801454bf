export { ProgressPublisher, progressKeys } from "./progress";
export { ensureJobItemPartitions, jobItemPartitions } from "./sync.partitions";
export { dropJobItemPartitions, expireJobItems, jobItemsRetention } from "./sync.retention";
export {
  createSyncRuntime,
  DEFAULT_SYNC_OPTIONS,
  type SyncLogger,
  type SyncOptions,
  type SyncRuntime,
} from "./sync.runtime";
export {
  cancelSync,
  createSyncJob,
  enqueueJob,
  ensureJobQueued,
  type JobCheckpoint,
  type PlannedItem,
  planJob,
  publishJob,
  rescheduleTenant,
  SyncInputError,
  startSync,
  type UnwritableCode,
  unwritable,
  validateStartSync,
} from "./sync.service";
export { MAX_SYNC_SKUS, type StartSyncInput, startSyncErrors } from "./sync-input";
export { createSyncLoaders } from "./sync-job.repository";
export { SyncJobResolver } from "./sync-job.resolver";
export { SyncJob, SyncJobItem } from "./sync-job.types";
export { SyncProgressResolver, SyncTopics } from "./sync-progress.resolver";
