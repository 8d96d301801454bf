import type { AccessScope, ApiKeyStatus } from "../../gql/graphql";
import type { Tone } from "../../ui/badge";

// Keyed by the generated unions: a scope or status added to the schema fails type-checking until labelled here.

/** Each scope's area and whether it reads or writes, so the picker can lay them out as a grid. */
export const SCOPES: Record<AccessScope, { area: string; access: "read" | "write" }> = {
  read_inventory: { area: "Inventory", access: "read" },
  write_inventory: { area: "Inventory", access: "write" },
  read_sync: { area: "Syncs", access: "read" },
  write_sync: { area: "Syncs", access: "write" },
  read_conflicts: { area: "Conflicts", access: "read" },
  write_conflicts: { area: "Conflicts", access: "write" },
  read_alerts: { area: "Alerts", access: "read" },
  write_alerts: { area: "Alerts", access: "write" },
  read_settings: { area: "Settings", access: "read" },
  write_settings: { area: "Settings", access: "write" },
  read_credentials: { area: "Credentials", access: "read" },
  read_history: { area: "History", access: "read" },
  read_exports: { area: "Exports", access: "read" },
  read_analytics: { area: "Analytics", access: "read" },
  read_audit: { area: "Audit log", access: "read" },
  read_team: { area: "Team", access: "read" },
  write_team: { area: "Team", access: "write" },
  read_api_keys: { area: "API keys", access: "read" },
  write_api_keys: { area: "API keys", access: "write" },
  read_retention: { area: "Retention and archives", access: "read" },
  write_retention: { area: "Retention and archives", access: "write" },
};

export interface ScopeArea {
  area: string;
  read?: AccessScope;
  write?: AccessScope;
}

/** The scopes by area, in the order above: one row per area, a read and a write column. */
export const SCOPE_AREAS: ScopeArea[] = (() => {
  const areas = new Map<string, ScopeArea>();
  for (const [scope, { area, access }] of Object.entries(SCOPES) as [
    AccessScope,
    (typeof SCOPES)[AccessScope],
  ][]) {
    const row = areas.get(area) ?? { area };
    row[access] = scope;
    areas.set(area, row);
  }
  return [...areas.values()];
})();

export const KEY_STATUS: Record<ApiKeyStatus, { label: string; tone: Tone }> = {
  ACTIVE: { label: "Active", tone: "success" },
  EXPIRED: { label: "Expired", tone: "warning" },
  REVOKED: { label: "Revoked", tone: "danger" },
};
