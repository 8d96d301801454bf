export { conflictWhere, createConflictLoaders } from "./conflict.repository";
export { ConflictResolver, InventoryConflictsResolver } from "./conflict.resolver";
export { SyncConflict } from "./conflict.types";
export { ConflictResolutionResolver } from "./conflict-resolution.resolver";
