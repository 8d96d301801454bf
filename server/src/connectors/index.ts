/** Front door of the connectors: the port, the registry and credential helpers; never a concrete connector. */
import { createAmazonConnector } from "./amazon/amazon.connector";
import { amazonRules } from "./amazon/amazon.rules";
import { createMedusaConnector } from "./medusa/medusa.connector";
import { ConnectorRegistry } from "./registry";

export { amazonCredentialsFromEnv } from "./amazon/amazon.credentials";
export { medusaCredentialsFromEnv } from "./medusa/medusa.credentials";
export * from "./port";
export { type ConnectorFactory, ConnectorRegistry } from "./registry";

/** A registry with every built-in marketplace registered. */
export function createDefaultRegistry(): ConnectorRegistry {
  return new ConnectorRegistry()
    .register("AMAZON", createAmazonConnector, amazonRules)
    .register("MEDUSA", createMedusaConnector);
}

/** The process-wide registry product code uses. */
export const connectorRegistry: ConnectorRegistry = createDefaultRegistry();
