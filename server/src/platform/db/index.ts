export { DELETE_BATCH, deleteInBatches } from "./batches";
export {
  APP_ROLE,
  AUTH_ROLE,
  createAppPool,
  createAppPrisma,
  createAuthPool,
  createOwnerPool,
} from "./client";
export { type EmbeddedDatabase, EmbeddedStartError, startEmbeddedPostgres } from "./embedded";
export { applyMigrations, type Migration, pendingMigrations, readMigrations } from "./migrate";
export { dropPartition, ensureMonthPartitions, type MonthPartition, monthPartitions } from "./partitions";
export { MIGRATIONS_DIR } from "./paths";
export { connectionLock, type RoundLock } from "./session";
export {
  Prisma,
  type RequestTenantDb,
  requestTenantDb,
  type ScopedClient,
  scopedClient,
  type TenantDb,
  type Tx,
  tenantDb,
} from "./tenant";
export { inTransaction, withTenant } from "./with-tenant";
