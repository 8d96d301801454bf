export {
  createConnectionLoaders,
  DEFAULT_SYNC_SETTINGS,
  getSyncSettings,
  listConnections,
} from "./connections.repository";
export { ListingConnectionResolver, PlatformConnectionResolver } from "./connections.resolver";
export { ConnectionErrorCode, ConnectionService, CREDENTIAL_FIELDS } from "./connections.service";
export { createEgressPolicy, environmentTenantId } from "./connections.setup";
export { PlatformConnection, PlatformSyncSettings } from "./connections.types";
export { connectTenantToSandbox, DEMO_TENANT_SLUG, type SandboxEndpoints } from "./demo";
export { SyncSettingsResolver } from "./settings.resolver";
