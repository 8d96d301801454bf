export {
  createConnectionLoaders,
  DEFAULT_SYNC_SETTINGS,
  getSyncSettings,
  listConnections,
} from "./connections.repository";
export { ListingConnectionResolver, PlatformConnectionResolver } from "./connections.resolver";
export { PlatformConnection, PlatformSyncSettings } from "./connections.types";
