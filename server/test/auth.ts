import type pg from "pg";
import type { App } from "../src/app/boot";
import type { UserRole } from "../src/generated/prisma/enums";
import { newApiKey } from "../src/modules/identity/secrets";
import type { Scope } from "../src/platform/auth/scopes";

export interface Credential {
  headers: Record<string, string>;
  /** The user's id, or the API key's. */
  id: string;
  tenantId: string;
}

async function tenantId(pool: pg.Pool, slug: string): Promise<string> {
  const { rows } = await pool.query<{ id: string }>("SELECT id FROM tenants WHERE slug = $1", [slug]);
  if (!rows[0]) throw new Error(`No tenant ${slug} to act in: seed or create it first`);
  return rows[0].id;
}

/**
 * A signed-in user of `slug` with `role`: the user and membership written directly, the session opened by the
 * identity service (as sign-in does, without spending the sign-in rate limit), sent as a Bearer token.
 */
export async function signedInAs(
  app: App,
  slug: string,
  role: UserRole = "OWNER",
  name?: string,
): Promise<Credential> {
  const tenant = await tenantId(app.ownerPool, slug);
  const email = `${name ?? role.toLowerCase()}@${slug}.test`;
  const { rows } = await app.ownerPool.query<{ id: string }>(
    `INSERT INTO users (email, name, updated_at) VALUES ($1, $2, now())
     ON CONFLICT (email) DO UPDATE SET email = EXCLUDED.email RETURNING id`,
    [email, `Test ${role.toLowerCase()}`],
  );
  const userId = rows[0]!.id;
  await app.ownerPool.query(
    `INSERT INTO memberships (tenant_id, user_id, role, updated_at) VALUES ($1, $2, $3, now())
     ON CONFLICT (tenant_id, user_id) DO UPDATE SET role = EXCLUDED.role`,
    [tenant, userId, role],
  );
  app.services.authenticator.forget({ userId });
  const { tokens } = await app.services.identity.openSession(userId, { ip: "127.0.0.1", userAgent: "test" });
  return {
    headers: { authorization: `Bearer ${tokens.accessToken}`, "x-tenant": slug },
    id: userId,
    tenantId: tenant,
  };
}

/** A partner API key of `slug` with `scopes`, written directly (as createApiKey stores it: a hash). */
export async function apiKeyOf(
  app: App,
  slug: string,
  scopes: Scope[],
  options: { expiresAt?: Date } = {},
): Promise<Credential & { secret: string }> {
  const tenant = await tenantId(app.ownerPool, slug);
  const key = newApiKey();
  const { rows } = await app.ownerPool.query<{ id: string }>(
    `INSERT INTO api_keys (tenant_id, name, prefix, key_hash, scopes, expires_at)
     VALUES ($1, 'test key', $2, $3, $4, $5) RETURNING id`,
    [tenant, key.prefix, key.hash, scopes, options.expiresAt ?? null],
  );
  return {
    headers: { authorization: `Bearer ${key.secret}` },
    id: rows[0]!.id,
    tenantId: tenant,
    secret: key.secret,
  };
}

/**
 * A user of `slug` with `role` and a password, to sign in through the sign-in form as a person would. A `name`
 * names one person across tenants: the same name in another tenant adds a membership to the same user.
 */
export async function memberWithPassword(
  app: App,
  slug: string,
  role: UserRole = "OWNER",
  name?: string,
): Promise<{ email: string; password: string; name: string }> {
  const tenant = await tenantId(app.ownerPool, slug);
  const email = name ? `${name}@people.test` : `${role.toLowerCase()}.person@${slug}.test`;
  const account = { email, name: `Person ${name ?? role.toLowerCase()}`, password: `pw-${email}-0123456789` };
  await app.services.identity.ensureMember(tenant, { ...account, role });
  return account;
}
