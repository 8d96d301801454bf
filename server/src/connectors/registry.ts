import type { HttpEvent } from "./http/http-client";
import type { SharedConnectorState } from "./http/shared-state";
import {
  type ConnectionConfig,
  ConnectorConfigError,
  type PlatformConnector,
  type PlatformKind,
  type PlatformRules,
  SELLER_MANAGED,
} from "./port";

/** What the product hands every connector it builds: state shared across processes, and an event sink. */
export interface ConnectorContext {
  shared?: SharedConnectorState;
  onEvent?: (event: HttpEvent) => void;
}

/** Builds a connector for one connection; factories never touch the database (the context's stores may). */
export type ConnectorFactory = (config: ConnectionConfig, context?: ConnectorContext) => PlatformConnector;

/** The settings values a marketplace knows: its regions, and its marketplace ids with the region of each. */
export interface PlatformSettings {
  regions: readonly string[];
  marketplaces: ReadonlyMap<string, string>;
}

const NO_SETTINGS: PlatformSettings = { regions: [], marketplaces: new Map() };

/** Maps a platform kind ("AMAZON", "MEDUSA", ...) to its connector factory, rules and known settings. */
export class ConnectorRegistry {
  private readonly factories = new Map<string, ConnectorFactory>();
  private readonly platformRules = new Map<string, PlatformRules>();
  private readonly known = new Map<string, PlatformSettings>();

  /** Registers a kind's connector, what its platform manages itself, and the settings values it knows. */
  register(
    kind: PlatformKind,
    factory: ConnectorFactory,
    profile: { rules?: PlatformRules; settings?: PlatformSettings } = {},
  ): this {
    const key = kind.toUpperCase();
    this.factories.set(key, factory);
    this.platformRules.set(key, profile.rules ?? SELLER_MANAGED);
    this.known.set(key, profile.settings ?? NO_SETTINGS);
    return this;
  }

  /** The platform's own rules (what it manages itself); a kind without a connector manages nothing. */
  rules(kind: PlatformKind): PlatformRules {
    return this.platformRules.get(kind.toUpperCase()) ?? SELLER_MANAGED;
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
  create(config: ConnectionConfig, context?: ConnectorContext): PlatformConnector {
    const factory = this.factories.get(config.kind.toUpperCase());
    if (!factory) {
      throw new ConnectorConfigError(
        `no connector for platform kind "${config.kind}" (known: ${this.kinds().join(", ")})`,
      );
    }
    return factory(config, context);
  }
}
