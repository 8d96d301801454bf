export { createSyncLoaders } from "./sync-job.repository";
export { SyncJobResolver } from "./sync-job.resolver";
export { SyncJob, SyncJobItem } from "./sync-job.types";
export { SyncProgressResolver, SyncTopics } from "./sync-progress.resolver";
