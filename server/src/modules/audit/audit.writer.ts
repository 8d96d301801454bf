import type pg from "pg";
import type { Actor } from "../../platform/auth/actor";
import type { Tx } from "../../platform/db";

/** What the audit log records: security-relevant acts, each with who did it and to what. */
export const AuditAction = {
  SIGN_IN: "SIGN_IN",
  SIGN_IN_FAILED: "SIGN_IN_FAILED",
  SIGN_OUT: "SIGN_OUT",
  SESSION_REVOKED: "SESSION_REVOKED",
  PASSWORD_CHANGED: "PASSWORD_CHANGED",
  PASSWORD_RESET: "PASSWORD_RESET",
  API_KEY_CREATED: "API_KEY_CREATED",
  API_KEY_REVOKED: "API_KEY_REVOKED",
  MEMBER_INVITED: "MEMBER_INVITED",
  INVITATION_REVOKED: "INVITATION_REVOKED",
  MEMBER_JOINED: "MEMBER_JOINED",
  MEMBER_ROLE_CHANGED: "MEMBER_ROLE_CHANGED",
  MEMBER_REMOVED: "MEMBER_REMOVED",
  CREDENTIALS_CHANGED: "CREDENTIALS_CHANGED",
  WEBHOOK_SECRET_ROTATED: "WEBHOOK_SECRET_ROTATED",
  HISTORY_RETENTION_CHANGED: "HISTORY_RETENTION_CHANGED",
} as const;
export type AuditAction = (typeof AuditAction)[keyof typeof AuditAction];

export interface AuditEntry {
  action: AuditAction;
  actor: Actor;
  targetType?: string | null;
  targetId?: string | null;
  details?: Record<string, unknown>;
  ip?: string | null;
}

/** Records an act in the tenant of the open transaction (its tenant already set). */
export async function recordAudit(tx: Tx, entry: AuditEntry): Promise<void> {
  await tx.auditEvent.create({
    data: {
      action: entry.action,
      actorType: entry.actor.type,
      actorId: entry.actor.id,
      targetType: entry.targetType ?? null,
      targetId: entry.targetId ?? null,
      details: (entry.details ?? {}) as object,
      ip: entry.ip ?? null,
    },
  });
}

/** Records an act in each of `tenantIds` (sign-ins: before a request has a tenant, on the identity pool). */
export async function recordAuditIn(
  db: pg.Pool | pg.PoolClient,
  tenantIds: string[],
  entry: AuditEntry,
): Promise<void> {
  if (tenantIds.length === 0) return;
  await db.query(
    `INSERT INTO audit_events (tenant_id, action, actor_type, actor_id, target_type, target_id, details, ip)
     SELECT t, $2, $3::"ActorType", $4, $5, $6, $7::jsonb, $8 FROM unnest($1::uuid[]) AS t`,
    [
      tenantIds,
      entry.action,
      entry.actor.type,
      entry.actor.id,
      entry.targetType ?? null,
      entry.targetId ?? null,
      JSON.stringify(entry.details ?? {}),
      entry.ip ?? null,
    ],
  );
}
