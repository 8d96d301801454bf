import {
  type ConnectionConfig,
  ConnectorConfigError,
  type PlatformConnector,
  type PlatformKind,
} from "./port";

/** Builds a connector for one connection; factories never touch the database. */
export type ConnectorFactory = (config: ConnectionConfig) => PlatformConnector;

/** The settings values a marketplace knows: its regions, and its marketplace ids with the region of each. */
export interface PlatformSettings {
  regions: readonly string[];
  marketplaces: ReadonlyMap<string, string>;
}

const NO_SETTINGS: PlatformSettings = { regions: [], marketplaces: new Map() };

/** Maps a platform kind ("AMAZON", "MEDUSA", ...) to its connector factory and the settings it knows. */
export class ConnectorRegistry {
  private readonly factories = new Map<string, ConnectorFactory>();
  private readonly known = new Map<string, PlatformSettings>();

  register(kind: PlatformKind, factory: ConnectorFactory, settings: PlatformSettings = NO_SETTINGS): this {
    this.factories.set(kind.toUpperCase(), factory);
    this.known.set(kind.toUpperCase(), settings);
    return this;
  }

  /** The regions and marketplaces a kind accepts; none for an unknown kind. */
  settings(kind: PlatformKind): PlatformSettings {
    return this.known.get(kind.toUpperCase()) ?? NO_SETTINGS;
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
