import DataLoader from "dataloader";
import type { ApiKey as ApiKeyRow } from "../../generated/prisma/client";
import type { TenantDb } from "../../platform/db";
import { type ApiKey, ApiKeyStatus, type Invitation, type TeamMember, type User } from "./identity.types";

/** The tenant's team as its requests see it (row-level security: the tenant's own members, no passwords). */
export async function teamMembers(db: TenantDb): Promise<TeamMember[]> {
  const rows = await db.client.membership.findMany({
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    include: { user: { select: { id: true, name: true, email: true, lastSignInAt: true } } },
  });
  return rows.map(toMember);
}

export async function teamMember(db: TenantDb, id: string): Promise<TeamMember | null> {
  const row = await db.client.membership.findUnique({
    where: { id },
    include: { user: { select: { id: true, name: true, email: true, lastSignInAt: true } } },
  });
  return row ? toMember(row) : null;
}

function toMember(row: {
  id: string;
  role: TeamMember["role"];
  createdAt: Date;
  user: { id: string; name: string; email: string; lastSignInAt: Date | null };
}): TeamMember {
  return {
    id: row.id,
    role: row.role,
    joinedAt: row.createdAt,
    lastSignInAt: row.user.lastSignInAt,
    user: { id: row.user.id, name: row.user.name, email: row.user.email },
  };
}

/** Invitations not yet accepted, revoked or expired, newest first. */
export function pendingInvitations(db: TenantDb): Promise<Invitation[]> {
  return db.client.invitation.findMany({
    where: { acceptedAt: null, revokedAt: null, expiresAt: { gt: new Date() } },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    select: { id: true, email: true, role: true, createdAt: true, expiresAt: true },
  });
}

export function toApiKey(row: ApiKeyRow, now = new Date()): ApiKey {
  return {
    id: row.id,
    name: row.name,
    prefix: row.prefix,
    scopes: row.scopes as ApiKey["scopes"],
    status: row.revokedAt
      ? ApiKeyStatus.REVOKED
      : row.expiresAt && row.expiresAt <= now
        ? ApiKeyStatus.EXPIRED
        : ApiKeyStatus.ACTIVE,
    createdAt: row.createdAt,
    lastUsedAt: row.lastUsedAt,
    expiresAt: row.expiresAt,
    revokedAt: row.revokedAt,
    createdById: row.createdById,
  };
}

/** The tenant's API keys, newest first (revoked and expired ones too, so their history stays visible). */
export async function apiKeys(db: TenantDb): Promise<ApiKey[]> {
  const rows = await db.client.apiKey.findMany({ orderBy: [{ createdAt: "desc" }, { id: "desc" }] });
  const now = new Date();
  return rows.map((row) => toApiKey(row, now));
}

export async function apiKey(db: TenantDb, id: string): Promise<ApiKey | null> {
  const row = await db.client.apiKey.findUnique({ where: { id } });
  return row ? toApiKey(row) : null;
}

/** Users of the tenant by id, batched (who created a key, who acted in the audit log). */
export function createUserLoader(db: TenantDb) {
  return new DataLoader<string, User | null>(async (ids) => {
    const rows = await db.client.user.findMany({
      where: { id: { in: [...ids] } },
      select: { id: true, name: true, email: true },
    });
    const byId = new Map(rows.map((r) => [r.id, r]));
    return ids.map((id) => byId.get(id) ?? null);
  });
}
