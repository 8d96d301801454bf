import { createAlertLoaders } from "../modules/alerts";
import { createCatalogLoaders } from "../modules/catalog";
import { createConflictLoaders } from "../modules/conflicts";
import { createConnectionLoaders } from "../modules/connections";
import { createUserLoader } from "../modules/identity";
import { createSyncLoaders } from "../modules/sync";
import type { TenantDb } from "../platform/db";

/** Every module's per-request loaders: a request reads each kind of row at most once per batch. */
export function createLoaders(db: TenantDb) {
  return {
    ...createCatalogLoaders(db),
    ...createConnectionLoaders(db),
    ...createSyncLoaders(db),
    ...createConflictLoaders(db),
    ...createAlertLoaders(db),
    userById: createUserLoader(db),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;
