import {
  type ConnectionConfig,
  ConnectorConfigError,
  type PlatformConnector,
  type PlatformKind,
  type PlatformRules,
  SELLER_MANAGED,
} from "./port";

/** Builds a connector for one connection; factories never touch the database. */
export type ConnectorFactory = (config: ConnectionConfig) => PlatformConnector;

/** Maps a platform kind ("AMAZON", "MEDUSA", ...) to its connector factory. */
export class ConnectorRegistry {
  private readonly factories = new Map<string, ConnectorFactory>();
  private readonly platformRules = new Map<string, PlatformRules>();

  register(kind: PlatformKind, factory: ConnectorFactory, rules: PlatformRules = SELLER_MANAGED): this {
    this.factories.set(kind.toUpperCase(), factory);
    this.platformRules.set(kind.toUpperCase(), rules);
    return this;
  }

  /** The platform's own rules (what it manages itself); a kind without a connector manages nothing. */
  rules(kind: PlatformKind): PlatformRules {
    return this.platformRules.get(kind.toUpperCase()) ?? SELLER_MANAGED;
  }

  has(kind: PlatformKind): boolean {
    return this.factories.has(kind.toUpperCase());
  }

  kinds(): string[] {
    return [...this.factories.keys()];
  }

  /** Creates a connector for the connection; throws ConnectorConfigError for an unknown kind. */
  create(config: ConnectionConfig): PlatformConnector {
    const factory = this.factories.get(config.kind.toUpperCase());
    if (!factory) {
      throw new ConnectorConfigError(
        `no connector for platform kind "${config.kind}" (known: ${this.kinds().join(", ")})`,
      );
    }
    return factory(config);
  }
}
