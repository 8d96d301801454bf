import type { UserRole } from "../../generated/prisma/enums";

/**
 * Access scopes in the Shopify style: what a role grants and what an API key is given. Every root field of the
 * API declares the one it needs.
 */
export const Scope = {
  read_inventory: "read_inventory",
  write_inventory: "write_inventory",
  read_sync: "read_sync",
  write_sync: "write_sync",
  read_conflicts: "read_conflicts",
  write_conflicts: "write_conflicts",
  read_alerts: "read_alerts",
  write_alerts: "write_alerts",
  read_settings: "read_settings",
  write_settings: "write_settings",
  /** Whether and when marketplace credentials were set, and webhook signing secrets. */
  read_credentials: "read_credentials",
  read_history: "read_history",
  /** Downloading lists as files (/exports/…), with the list's own read scope. */
  read_exports: "read_exports",
  /** The analytics read models (stock value, sync performance, alert trends). */
  read_analytics: "read_analytics",
  read_audit: "read_audit",
  read_team: "read_team",
  write_team: "write_team",
  read_api_keys: "read_api_keys",
  write_api_keys: "write_api_keys",
  /** How long history is kept, and the archives of what is older (listing and download). Owners only. */
  read_retention: "read_retention",
  write_retention: "write_retention",
} as const;
export type Scope = (typeof Scope)[keyof typeof Scope];

export const ALL_SCOPES: readonly Scope[] = Object.values(Scope);

const VIEWER: Scope[] = [
  Scope.read_inventory,
  Scope.read_sync,
  Scope.read_conflicts,
  Scope.read_alerts,
  Scope.read_settings,
  Scope.read_history,
  Scope.read_exports,
  Scope.read_analytics,
];
const EDITOR: Scope[] = [
  ...VIEWER,
  Scope.write_inventory,
  Scope.write_sync,
  Scope.write_conflicts,
  Scope.write_alerts,
];
const ADMIN: Scope[] = [
  ...EDITOR,
  Scope.write_settings,
  Scope.read_credentials,
  Scope.read_audit,
  Scope.read_team,
  Scope.write_team,
  Scope.read_api_keys,
  Scope.write_api_keys,
];

/** A role is a named set of scopes; OWNER adds the retention scopes and what no scope grants: ownership. */
export const ROLE_SCOPES: Readonly<Record<UserRole, ReadonlySet<Scope>>> = {
  VIEWER: new Set(VIEWER),
  EDITOR: new Set(EDITOR),
  ADMIN: new Set(ADMIN),
  OWNER: new Set([...ADMIN, Scope.read_retention, Scope.write_retention]),
};

const RANK: Record<UserRole, number> = { VIEWER: 0, EDITOR: 1, ADMIN: 2, OWNER: 3 };

/** Whether `role` is at least `least` (OWNER > ADMIN > EDITOR > VIEWER). */
export function roleAtLeast(role: UserRole, least: UserRole): boolean {
  return RANK[role] >= RANK[least];
}

export function isScope(value: string): value is Scope {
  return Object.hasOwn(Scope, value);
}
