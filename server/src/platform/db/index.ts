export { APP_ROLE, createAppPrisma, createOwnerPool } from "./client";
export { type EmbeddedDatabase, startEmbeddedPostgres } from "./embedded";
export { applyMigrations, type Migration, pendingMigrations, readMigrations } from "./migrate";
export { MIGRATIONS_DIR } from "./paths";
export { Prisma, type ScopedClient, scopedClient, type TenantDb, type Tx, tenantDb } from "./tenant";
export { withTenant } from "./with-tenant";
