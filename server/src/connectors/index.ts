/** Front door of the connectors: the port, the registry and credential helpers; never a concrete connector. */
import { createAmazonConnector } from "./amazon/amazon.connector";
import { AMAZON_ENDPOINTS, AMAZON_MARKETPLACES } from "./amazon/amazon.credentials";
import { amazonRules } from "./amazon/amazon.rules";
import { createMedusaConnector } from "./medusa/medusa.connector";
import { ConnectorRegistry } from "./registry";

export { amazonCredentialsFromEnv } from "./amazon/amazon.credentials";
export { shortReason } from "./http/errors";
export type { HttpEvent } from "./http/http-client";
export {
  type BreakerSnapshot,
  type BreakerStore,
  type BudgetLimit,
  type BudgetStore,
  type BudgetTake,
  type CachedToken,
  MemoryBudgetStore,
  memoryConnectorState,
  type SharedConnectorState,
  type TokenCache,
} from "./http/shared-state";
export { medusaCredentialsFromEnv } from "./medusa/medusa.credentials";
export * from "./port";
export {
  type ConnectorContext,
  type ConnectorFactory,
  ConnectorRegistry,
  type PlatformSettings,
} from "./registry";

/** A registry with every built-in marketplace registered. */
export function createDefaultRegistry(): ConnectorRegistry {
  return new ConnectorRegistry()
    .register("AMAZON", createAmazonConnector, {
      rules: amazonRules,
      settings: { regions: Object.keys(AMAZON_ENDPOINTS), marketplaces: AMAZON_MARKETPLACES },
    })
    .register("MEDUSA", createMedusaConnector);
}

/** The process-wide registry product code uses. */
export const connectorRegistry: ConnectorRegistry = createDefaultRegistry();
