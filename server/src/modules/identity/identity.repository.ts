import type pg from "pg";
import type { UserRole } from "../../generated/prisma/enums";
import type { ThrottleState } from "./sign-in-throttle.rules";

/**
 * The identity tables as the identity role (inventory_auth) reads them, before a request knows its tenant:
 * users by address, sessions and refresh tokens, API keys by hash, invitations and resets by token hash.
 */
type Db = pg.Pool | pg.PoolClient;

export interface UserRow {
  id: string;
  email: string;
  name: string;
  passwordHash: string | null;
}

export interface MembershipRow {
  id: string;
  tenantId: string;
  slug: string;
  tenantName: string;
  role: UserRole;
}

export interface SessionRow {
  id: string;
  userId: string;
  expiresAt: Date;
  revokedAt: Date | null;
}

export interface ApiKeyRow {
  id: string;
  tenantId: string;
  slug: string;
  scopes: string[];
  expiresAt: Date | null;
  revokedAt: Date | null;
}

export interface InvitationRow {
  id: string;
  tenantId: string;
  email: string;
  role: UserRole;
  expiresAt: Date;
  acceptedAt: Date | null;
  revokedAt: Date | null;
}

const USER_COLUMNS = `id, email, name, password_hash AS "passwordHash"`;

export async function userByEmail(db: Db, email: string): Promise<UserRow | null> {
  const { rows } = await db.query<UserRow>(`SELECT ${USER_COLUMNS} FROM users WHERE email = $1`, [email]);
  return rows[0] ?? null;
}

export async function userById(db: Db, id: string): Promise<UserRow | null> {
  const { rows } = await db.query<UserRow>(`SELECT ${USER_COLUMNS} FROM users WHERE id = $1`, [id]);
  return rows[0] ?? null;
}

/** Creates a user, or returns the existing one with that address (its name and password left as they are). */
export async function upsertUser(
  db: Db,
  user: { email: string; name: string; passwordHash: string | null },
): Promise<{ id: string; created: boolean }> {
  const { rows } = await db.query<{ id: string; created: boolean }>(
    `INSERT INTO users (email, name, password_hash, updated_at) VALUES ($1, $2, $3, now())
     ON CONFLICT (email) DO UPDATE SET email = EXCLUDED.email
     RETURNING id, (xmax = 0) AS created`,
    [user.email, user.name, user.passwordHash],
  );
  return rows[0]!;
}

export async function setPassword(db: Db, userId: string, passwordHash: string): Promise<void> {
  await db.query("UPDATE users SET password_hash = $2, updated_at = now() WHERE id = $1", [
    userId,
    passwordHash,
  ]);
}

export async function markSignedIn(db: Db, userId: string): Promise<void> {
  await db.query("UPDATE users SET last_sign_in_at = now() WHERE id = $1", [userId]);
}

/** A user's tenants and roles, oldest membership first (the default tenant). */
export async function membershipsOf(db: Db, userId: string): Promise<MembershipRow[]> {
  const { rows } = await db.query<MembershipRow>(
    `SELECT m.id, m.tenant_id AS "tenantId", t.slug, t.name AS "tenantName", m.role
       FROM memberships m JOIN tenants t ON t.id = m.tenant_id
      WHERE m.user_id = $1 ORDER BY m.created_at, m.id`,
    [userId],
  );
  return rows;
}

export async function addMembership(db: Db, tenantId: string, userId: string, role: UserRole) {
  await db.query(
    `INSERT INTO memberships (tenant_id, user_id, role, updated_at) VALUES ($1, $2, $3, now())
     ON CONFLICT (tenant_id, user_id) DO NOTHING`,
    [tenantId, userId, role],
  );
}

export async function createSession(
  db: Db,
  session: { userId: string; expiresAt: Date; userAgent: string | null; ip: string | null },
): Promise<string> {
  const { rows } = await db.query<{ id: string }>(
    `INSERT INTO sessions (user_id, expires_at, user_agent, ip) VALUES ($1, $2, $3, $4) RETURNING id`,
    [session.userId, session.expiresAt, session.userAgent, session.ip],
  );
  return rows[0]!.id;
}

export async function sessionById(db: Db, id: string): Promise<SessionRow | null> {
  const { rows } = await db.query<SessionRow>(
    `SELECT id, user_id AS "userId", expires_at AS "expiresAt", revoked_at AS "revokedAt"
       FROM sessions WHERE id = $1`,
    [id],
  );
  return rows[0] ?? null;
}

export async function revokeSession(db: Db, id: string, reason: string): Promise<void> {
  await db.query(
    "UPDATE sessions SET revoked_at = now(), revoke_reason = $2 WHERE id = $1 AND revoked_at IS NULL",
    [id, reason],
  );
}

/** Revokes every open session of a user; returns their ids. */
export async function revokeUserSessions(db: Db, userId: string, reason: string): Promise<string[]> {
  const { rows } = await db.query<{ id: string }>(
    `UPDATE sessions SET revoked_at = now(), revoke_reason = $2
      WHERE user_id = $1 AND revoked_at IS NULL RETURNING id`,
    [userId, reason],
  );
  return rows.map((r) => r.id);
}

export async function insertRefreshToken(db: Db, tokenHash: string, sessionId: string): Promise<void> {
  await db.query("INSERT INTO refresh_tokens (token_hash, session_id) VALUES ($1, $2)", [
    tokenHash,
    sessionId,
  ]);
}

/**
 * Spends a refresh token once: "fresh" when this call used it, "reused" when it had been used before (a
 * stolen copy, or the thief's), "unknown" when no such token was ever issued.
 */
export async function spendRefreshToken(
  db: Db,
  tokenHash: string,
): Promise<{ state: "fresh" | "reused"; sessionId: string } | { state: "unknown" }> {
  const spent = await db.query<{ sessionId: string }>(
    `UPDATE refresh_tokens SET used_at = now() WHERE token_hash = $1 AND used_at IS NULL
     RETURNING session_id AS "sessionId"`,
    [tokenHash],
  );
  if (spent.rows[0]) return { state: "fresh", sessionId: spent.rows[0].sessionId };
  const seen = await db.query<{ sessionId: string }>(
    `SELECT session_id AS "sessionId" FROM refresh_tokens WHERE token_hash = $1`,
    [tokenHash],
  );
  return seen.rows[0] ? { state: "reused", sessionId: seen.rows[0].sessionId } : { state: "unknown" };
}

export async function apiKeyByHash(db: Db, keyHash: string): Promise<ApiKeyRow | null> {
  const { rows } = await db.query<ApiKeyRow>(
    `SELECT k.id, k.tenant_id AS "tenantId", t.slug, k.scopes, k.expires_at AS "expiresAt",
            k.revoked_at AS "revokedAt"
       FROM api_keys k JOIN tenants t ON t.id = k.tenant_id WHERE k.key_hash = $1`,
    [keyHash],
  );
  return rows[0] ?? null;
}

export async function touchApiKey(db: Db, id: string): Promise<void> {
  await db.query("UPDATE api_keys SET last_used_at = now() WHERE id = $1", [id]);
}

export async function readThrottle(db: Db, keys: string[]): Promise<Map<string, ThrottleState>> {
  const { rows } = await db.query<ThrottleState & { key: string }>(
    `SELECT key, failures, first_failure_at AS "firstFailureAt", locked_until AS "lockedUntil"
       FROM sign_in_throttle WHERE key = ANY($1::text[])`,
    [keys],
  );
  return new Map(rows.map(({ key, ...state }) => [key, state]));
}

export async function writeThrottle(db: Db, key: string, state: ThrottleState): Promise<void> {
  await db.query(
    `INSERT INTO sign_in_throttle (key, failures, first_failure_at, locked_until, updated_at)
     VALUES ($1, $2, $3, $4, now())
     ON CONFLICT (key) DO UPDATE SET failures = $2, first_failure_at = $3, locked_until = $4, updated_at = now()`,
    [key, state.failures, state.firstFailureAt, state.lockedUntil],
  );
}

export async function clearThrottle(db: Db, key: string): Promise<void> {
  await db.query("DELETE FROM sign_in_throttle WHERE key = $1", [key]);
}

export async function invitationByTokenHash(db: Db, tokenHash: string): Promise<InvitationRow | null> {
  const { rows } = await db.query<InvitationRow>(
    `SELECT id, tenant_id AS "tenantId", email, role, expires_at AS "expiresAt",
            accepted_at AS "acceptedAt", revoked_at AS "revokedAt"
       FROM invitations WHERE token_hash = $1 FOR UPDATE`,
    [tokenHash],
  );
  return rows[0] ?? null;
}

export async function markInvitationAccepted(db: Db, id: string): Promise<void> {
  await db.query("UPDATE invitations SET accepted_at = now() WHERE id = $1", [id]);
}

export async function createPasswordReset(db: Db, userId: string, tokenHash: string, expiresAt: Date) {
  await db.query("INSERT INTO password_resets (token_hash, user_id, expires_at) VALUES ($1, $2, $3)", [
    tokenHash,
    userId,
    expiresAt,
  ]);
}

/** Uses a reset token once; the user's id when it was valid and unused. */
export async function spendPasswordReset(db: Db, tokenHash: string): Promise<string | null> {
  const { rows } = await db.query<{ userId: string }>(
    `UPDATE password_resets SET used_at = now()
      WHERE token_hash = $1 AND used_at IS NULL AND expires_at > now() RETURNING user_id AS "userId"`,
    [tokenHash],
  );
  return rows[0]?.userId ?? null;
}
