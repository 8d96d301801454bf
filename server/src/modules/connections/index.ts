export {
  createConnectionLoaders,
  DEFAULT_SYNC_SETTINGS,
  getSyncSettings,
  listConnections,
} from "./connections.repository";
export { ListingConnectionResolver, PlatformConnectionResolver } from "./connections.resolver";
export { ConnectionService, CREDENTIAL_FIELDS } from "./connections.service";
export { PlatformConnection, PlatformSyncSettings } from "./connections.types";
export { SyncSettingsResolver } from "./settings.resolver";
