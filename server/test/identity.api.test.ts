import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { AccessTokens } from "../src/modules/identity";
import { loadConfig } from "../src/platform/config";
import { createOwnerPool } from "../src/platform/db";
import { loadKey } from "../src/platform/keys";
import { startTestServer, type TestServer } from "./app";
import { apiKeyOf } from "./auth";
import { createTenant } from "./factories";

const SIGN_IN = `mutation($input: SignInInput!) {
  signIn(input: $input) { accessToken accessTokenExpiresAt retryAfterSeconds userErrors { field code message } }
}`;
const REFRESH = "mutation { refreshSession { accessToken userErrors { code } } }";
const VIEWER = `{ viewer { kind role scopes user { name email } tenant { slug } memberships { tenant { slug } role } } }`;
const PASSWORD = "correct horse battery";

interface Raw {
  status: number;
  body: { data?: Record<string, any>; errors?: { message: string; extensions?: Record<string, unknown> }[] };
  cookie: string | null;
  headers: Headers;
}

describe("signing in, sessions, API keys and the team", () => {
  let server: TestServer;
  const links: { to: string; url: string }[] = [];

  /** A GraphQL call with full control of headers and cookies (the refresh token travels as a cookie). */
  async function call(
    query: string,
    variables: object = {},
    headers: Record<string, string> = {},
  ): Promise<Raw> {
    const res = await fetch(`${server.url}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json", ...headers },
      body: JSON.stringify({ query, variables }),
    });
    const setCookie = res.headers.get("set-cookie");
    return {
      status: res.status,
      body: (await res.json()) as Raw["body"],
      cookie: setCookie,
      headers: res.headers,
    };
  }
  const refreshCookie = (setCookie: string | null) =>
    /isync_refresh=([^;]*)/.exec(setCookie ?? "")?.[1] ?? "";
  const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
  const signIn = (email: string, password: string) => call(SIGN_IN, { input: { email, password } });
  /** Each scenario starts with the address's sign-in rate budget full (every call here comes from 127.0.0.1). */
  const resetRates = () =>
    server.app.ownerPool.query(
      "DELETE FROM rate_buckets WHERE key LIKE 'sign-in:%'; DELETE FROM sign_in_throttle",
    );

  beforeAll(async () => {
    server = await startTestServer(
      async (dbUrl) => {
        const pool = createOwnerPool(dbUrl);
        try {
          await createTenant(pool, "demo");
          await createTenant(pool, "beta");
        } finally {
          await pool.end();
        }
      },
      { deliver: async (message) => void links.push({ to: message.to, url: message.url }) },
    );
    const { rows } = await server.app.ownerPool.query<{ id: string }>(
      "SELECT id FROM tenants WHERE slug = 'demo'",
    );
    await server.app.services.identity.ensureMember(rows[0]!.id, {
      email: "Ana@Example.com",
      name: "Ana",
      password: PASSWORD,
      role: "ADMIN",
    });
  });

  beforeEach(resetRates);

  afterAll(async () => {
    await server?.close();
  });

  describe("sign-in", () => {
    it("returns a 15-minute access token and sets the refresh token as an httpOnly, SameSite=Strict cookie", async () => {
      const res = await signIn("ana@example.com", PASSWORD);
      const payload = res.body.data!.signIn;
      expect(payload.userErrors).toEqual([]);
      const lifetime = new Date(payload.accessTokenExpiresAt).getTime() - Date.now();
      expect(lifetime).toBeGreaterThan(14 * 60_000);
      expect(lifetime).toBeLessThanOrEqual(15 * 60_000);
      expect(res.cookie).toMatch(/isync_refresh=[A-Za-z0-9_-]{43};/);
      expect(res.cookie).toMatch(/HttpOnly/i);
      expect(res.cookie).toMatch(/SameSite=Strict/i);
      expect(res.cookie).toMatch(/Path=\/graphql/);

      const me = await call(VIEWER, {}, bearer(payload.accessToken));
      expect(me.body.data!.viewer).toMatchObject({
        kind: "USER",
        role: "ADMIN",
        user: { name: "Ana", email: "ana@example.com" },
        tenant: { slug: "demo" },
        memberships: [{ tenant: { slug: "demo" }, role: "ADMIN" }],
      });
      expect(me.body.data!.viewer.scopes).toContain("write_team");
      expect(me.body.data!.viewer.scopes).not.toContain("write_ownership");
    });

    it("answers a wrong password and an unknown address alike, and records the failure for the account's tenants", async () => {
      const wrong = (await signIn("ana@example.com", "not the password")).body.data!.signIn;
      const unknown = (await signIn("nobody@example.com", "not the password")).body.data!.signIn;
      expect(wrong).toEqual(unknown);
      expect(wrong).toMatchObject({
        accessToken: null,
        userErrors: [
          { field: ["input"], code: "INVALID_CREDENTIALS", message: "The email or password is wrong" },
        ],
      });
      const { rows } = await server.app.ownerPool.query(
        "SELECT action, actor_type::text, ip FROM audit_events WHERE action = 'SIGN_IN_FAILED'",
      );
      expect(rows).toEqual([expect.objectContaining({ action: "SIGN_IN_FAILED", actor_type: "USER" })]);
    });

    it("locks an account after repeated failures, even against the right password, for growing periods", async () => {
      for (let i = 0; i < 2; i++) {
        expect((await signIn("ana@example.com", "wrong")).body.data!.signIn.userErrors[0].code).toBe(
          "INVALID_CREDENTIALS",
        );
      }
      await signIn("ana@example.com", "wrong");
      const locked = (await signIn("ana@example.com", PASSWORD)).body.data!.signIn;
      expect(locked.accessToken).toBeNull();
      expect(locked.userErrors[0].code).toBe("SIGN_IN_LOCKED");
      expect(locked.retryAfterSeconds).toBeGreaterThan(0);
      expect(locked.retryAfterSeconds).toBeLessThanOrEqual(15);
      // An address that never failed is not locked out of another account.
      expect((await signIn("nobody@example.com", "x")).body.data!.signIn.userErrors[0].code).toBe(
        "INVALID_CREDENTIALS",
      );
    });

    it("slows an address down: beyond its burst, sign-in answers THROTTLED (HTTP 429) with Retry-After", async () => {
      const statuses: number[] = [];
      let last: Raw | undefined;
      for (let i = 0; i < 11; i++) {
        last = await signIn(`guess${i}@example.com`, "x");
        statuses.push(last.status);
      }
      expect(statuses.slice(0, 10).every((s) => s === 200)).toBe(true);
      expect(last!.status).toBe(429);
      expect(last!.body.errors?.[0]?.extensions?.code).toBe("THROTTLED");
      expect(Number(last!.headers.get("retry-after"))).toBeGreaterThan(0);
    });
  });

  describe("sessions", () => {
    it("rotates the refresh token, and a reused one ends the whole session", async () => {
      const first = await signIn("ana@example.com", PASSWORD);
      const original = refreshCookie(first.cookie);
      const rotated = await call(REFRESH, {}, { cookie: `isync_refresh=${original}` });
      const next = rotated.body.data!.refreshSession;
      expect(next.userErrors).toEqual([]);
      const newCookie = refreshCookie(rotated.cookie);
      expect(newCookie).not.toBe(original);
      expect((await call(VIEWER, {}, bearer(next.accessToken))).status).toBe(200);

      // The old token again: a stolen copy. The session ends, and with it every token it issued.
      const reuse = await call(REFRESH, {}, { cookie: `isync_refresh=${original}` });
      expect(reuse.body.data!.refreshSession).toEqual({
        accessToken: null,
        userErrors: [{ code: "SESSION_ENDED" }],
      });
      expect(
        (await call(REFRESH, {}, { cookie: `isync_refresh=${newCookie}` })).body.data!.refreshSession
          .accessToken,
      ).toBeNull();
      const after = await call(VIEWER, {}, bearer(next.accessToken));
      expect(after.status).toBe(401);
      expect(after.body.errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");
      const audit = await server.app.ownerPool.query(
        "SELECT details FROM audit_events WHERE action = 'SESSION_REVOKED' ORDER BY created_at DESC LIMIT 1",
      );
      expect(audit.rows[0].details).toEqual({ reason: "REFRESH_TOKEN_REUSED" });
    });

    it("signs out: the refresh cookie is cleared and the access token stops working", async () => {
      const res = await signIn("ana@example.com", PASSWORD);
      const token = res.body.data!.signIn.accessToken;
      const out = await call(
        "mutation { signOut { ok } }",
        {},
        { cookie: `isync_refresh=${refreshCookie(res.cookie)}` },
      );
      expect(out.body.data!.signOut.ok).toBe(true);
      expect(out.cookie).toMatch(/isync_refresh=;/);
      expect((await call(VIEWER, {}, bearer(token))).status).toBe(401);
    });

    it("refuses an expired access token and one signed with another key", async () => {
      const { rows } = await server.app.ownerPool.query(
        "SELECT id FROM users WHERE email = 'ana@example.com'",
      );
      const session = await server.app.services.identity.openSession(rows[0].id, {
        ip: null,
        userAgent: null,
      });
      const tokens = new AccessTokens(loadKey(undefined, loadConfig().DATA_DIR, "auth.key"));
      const expired = await tokens.sign(
        { userId: rows[0].id, sessionId: session.sessionId },
        new Date(Date.now() - 16 * 60_000),
      );
      const res = await call(VIEWER, {}, bearer(expired.token));
      expect(res.status).toBe(401);
      expect(res.body.errors?.[0]?.message).toMatch(/expired/);
      const forged = await new AccessTokens(Buffer.alloc(32, 7)).sign({
        userId: rows[0].id,
        sessionId: session.sessionId,
      });
      expect((await call(VIEWER, {}, bearer(forged.token))).status).toBe(401);
      expect((await call(VIEWER, {}, bearer(session.tokens.accessToken))).status).toBe(200);
    });

    it("refuses a cookie-authenticated mutation sent as a simple cross-site request (CSRF)", async () => {
      const res = await fetch(`${server.url}/graphql`, {
        method: "POST",
        headers: { "content-type": "text/plain", cookie: "isync_refresh=abc" },
        body: JSON.stringify({ query: REFRESH }),
      });
      expect(res.status).toBe(400);
      const get = await fetch(`${server.url}/graphql?query=${encodeURIComponent(REFRESH)}`, {
        headers: { "apollo-require-preflight": "true" },
      });
      expect(get.status).toBe(405);
    });
  });

  describe("API keys", () => {
    const CREATE = `mutation($input: CreateApiKeyInput!) {
      createApiKey(input: $input) { secret apiKey { id prefix scopes status } userErrors { field code } }
    }`;

    it("shows the secret once, stores only its hash, and lists the key by prefix with its scopes", async () => {
      const admin = await server.as("demo", "ADMIN");
      const created = (await call(CREATE, { input: { name: "Agency", scopes: ["read_inventory"] } }, admin))
        .body.data!.createApiKey;
      expect(created.userErrors).toEqual([]);
      expect(created.secret).toMatch(/^isk_[A-Za-z0-9_-]{43}$/);
      expect(created.secret.startsWith(created.apiKey.prefix)).toBe(true);
      const stored = await server.app.ownerPool.query("SELECT key_hash FROM api_keys WHERE prefix = $1", [
        created.apiKey.prefix,
      ]);
      expect(stored.rows[0].key_hash).toMatch(/^[0-9a-f]{64}$/);
      expect(JSON.stringify(stored.rows)).not.toContain(created.secret);

      const list = await call(
        "{ apiKeys { prefix scopes status lastUsedAt createdBy { name } } }",
        {},
        admin,
      );
      expect(JSON.stringify(list.body)).not.toContain(created.secret);
      expect(list.body.data!.apiKeys).toContainEqual(
        expect.objectContaining({
          prefix: created.apiKey.prefix,
          scopes: ["read_inventory"],
          status: "ACTIVE",
          lastUsedAt: null,
        }),
      );

      // The key works for its scopes, and only those; its first use is recorded.
      const key = bearer(created.secret);
      expect((await call("{ inventory(first: 1) { totalCount } }", {}, key)).status).toBe(200);
      expect((await call("{ alerts(first: 1) { totalCount } }", {}, key)).status).toBe(403);
      await expect
        .poll(async () => {
          const r = await server.app.ownerPool.query("SELECT last_used_at FROM api_keys WHERE prefix = $1", [
            created.apiKey.prefix,
          ]);
          return r.rows[0].last_used_at;
        })
        .not.toBeNull();
    });

    it("gives a key no scope its creator lacks, and lets no key create keys", async () => {
      const admin = await server.as("demo", "ADMIN");
      const editor = await server.as("demo", "EDITOR");
      const tooMuch = (await call(CREATE, { input: { name: "x", scopes: ["read_inventory"] } }, editor)).body;
      expect(tooMuch.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
      const key = await apiKeyOf(server.app, "demo", ["write_api_keys", "read_inventory"]);
      const byKey = (await call(CREATE, { input: { name: "x", scopes: ["read_inventory"] } }, key.headers))
        .body.data!.createApiKey;
      expect(byKey.userErrors).toEqual([{ field: [], code: "USER_REQUIRED" }]);
      const bad = (
        await call(CREATE, { input: { name: " ", scopes: [], expiresAt: "2000-01-01T00:00:00Z" } }, admin)
      ).body.data!.createApiKey;
      expect(bad.secret).toBeNull();
      expect(bad.userErrors.map((e: { code: string }) => e.code).sort()).toEqual([
        "INVALID_EXPIRY",
        "INVALID_NAME",
        "UNKNOWN_SCOPE",
      ]);
    });

    it("refuses a revoked key at once and an expired key", async () => {
      const admin = await server.as("demo", "ADMIN");
      const created = (await call(CREATE, { input: { name: "Temp", scopes: ["read_inventory"] } }, admin))
        .body.data!.createApiKey;
      const key = bearer(created.secret);
      expect((await call("{ inventory(first: 1) { totalCount } }", {}, key)).status).toBe(200);
      const revoked = await call(
        "mutation($id: ID!) { revokeApiKey(id: $id) { apiKey { status revokedAt } } }",
        { id: created.apiKey.id },
        admin,
      );
      expect(revoked.body.data!.revokeApiKey.apiKey.status).toBe("REVOKED");
      const after = await call("{ inventory(first: 1) { totalCount } }", {}, key);
      expect(after.status).toBe(401);
      expect(after.body.errors?.[0]?.message).toMatch(/revoked/);

      const expired = await apiKeyOf(server.app, "demo", ["read_inventory"], {
        expiresAt: new Date(Date.now() - 1000),
      });
      expect((await call("{ inventory(first: 1) { totalCount } }", {}, expired.headers)).status).toBe(401);
      const audit = await server.app.ownerPool.query(
        "SELECT action FROM audit_events WHERE action IN ('API_KEY_CREATED', 'API_KEY_REVOKED') ORDER BY created_at",
      );
      expect(audit.rows.map((r) => r.action)).toEqual(
        expect.arrayContaining(["API_KEY_CREATED", "API_KEY_REVOKED"]),
      );
    });

    it("acts only in its own tenant", async () => {
      const key = await apiKeyOf(server.app, "demo", ["read_inventory"]);
      const res = await call(
        "{ inventory(first: 1) { totalCount } }",
        {},
        { ...key.headers, "x-tenant": "beta" },
      );
      expect(res.status).toBe(403);
    });
  });

  describe("the team", () => {
    const INVITE = `mutation($input: InviteMemberInput!) {
      inviteMember(input: $input) { signUpUrl invitation { email role } userErrors { field code } }
    }`;
    const ACCEPT = `mutation($input: AcceptInvitationInput!) {
      acceptInvitation(input: $input) { accessToken userErrors { field code } }
    }`;
    const TEAM = "{ teamMembers { id role user { name email } } }";
    const token = (url: string) => new URL(url).hash.replace("#token=", "");

    it("invites a member with a one-time link; the new account joins with that role and the link then stops working", async () => {
      const owner = await server.as("demo");
      const invited = (await call(INVITE, { input: { email: "Bo@Example.com", role: "EDITOR" } }, owner)).body
        .data!.inviteMember;
      expect(invited.userErrors).toEqual([]);
      expect(invited.invitation).toEqual({ email: "bo@example.com", role: "EDITOR" });
      expect(invited.signUpUrl).toMatch(/\/accept-invitation#token=[A-Za-z0-9_-]{43}$/);
      expect(links.at(-1)).toEqual({ to: "bo@example.com", url: invited.signUpUrl });

      const short = await call(ACCEPT, {
        input: { token: token(invited.signUpUrl), name: "Bo", password: "short" },
      });
      expect(short.body.data!.acceptInvitation.userErrors[0].code).toBe("INVALID_PASSWORD");
      const joined = await call(ACCEPT, {
        input: { token: token(invited.signUpUrl), name: "Bo", password: PASSWORD },
      });
      const access = joined.body.data!.acceptInvitation.accessToken;
      expect(access).toEqual(expect.any(String));
      expect((await call(VIEWER, {}, bearer(access))).body.data!.viewer).toMatchObject({
        role: "EDITOR",
        tenant: { slug: "demo" },
      });
      const again = await call(ACCEPT, {
        input: { token: token(invited.signUpUrl), name: "Eve", password: PASSWORD },
      });
      expect(again.body.data!.acceptInvitation.userErrors[0].code).toBe("INVALID_TOKEN");

      const team = (await call(TEAM, {}, owner)).body.data!.teamMembers;
      expect(team).toContainEqual(
        expect.objectContaining({ role: "EDITOR", user: { name: "Bo", email: "bo@example.com" } }),
      );
    });

    it("revokes a pending invitation by the id the list gives; its link then stops working", async () => {
      const owner = await server.as("demo");
      const invited = (await call(INVITE, { input: { email: "di@example.com", role: "VIEWER" } }, owner)).body
        .data!.inviteMember;
      const listed = (await call("{ invitations { id email } }", {}, owner)).body.data!.invitations as {
        id: string;
        email: string;
      }[];
      const pending = listed.find((i) => i.email === "di@example.com")!;
      expect(pending.id).not.toMatch(/^[0-9a-f-]{36}$/);
      const REVOKE = `mutation($id: ID!) { revokeInvitation(id: $id) { invitation { id email } userErrors { code } } }`;
      const revoked = (await call(REVOKE, { id: pending.id }, owner)).body.data!.revokeInvitation;
      expect(revoked).toEqual({ invitation: { id: pending.id, email: "di@example.com" }, userErrors: [] });
      const twice = (await call(REVOKE, { id: pending.id }, owner)).body.data!.revokeInvitation;
      expect(twice.userErrors).toEqual([{ code: "NOT_FOUND" }]);
      const listedAfter = (await call("{ invitations { email } }", {}, owner)).body.data!.invitations;
      expect(listedAfter).not.toContainEqual({ email: "di@example.com" });
      const late = await call(ACCEPT, {
        input: { token: token(invited.signUpUrl), name: "Di", password: PASSWORD },
      });
      expect(late.body.data!.acceptInvitation.userErrors[0].code).toBe("INVALID_TOKEN");
    });

    it("keeps team members' emails from those without read_team, but shows users their own", async () => {
      const viewer = await server.as("demo", "VIEWER");
      expect((await call(TEAM, {}, viewer)).status).toBe(403);
      const me = (await call(VIEWER, {}, viewer)).body.data!.viewer;
      expect(me.user.email).toBe("viewer@demo.test");
    });

    it("lets only owners make owners, keeps the last owner, and changes a member's access at once", async () => {
      const admin = await server.as("demo", "ADMIN");
      const owner = await server.as("demo");
      const ownerInvite = (await call(INVITE, { input: { email: "cy@example.com", role: "OWNER" } }, admin))
        .body.data!.inviteMember;
      expect(ownerInvite.userErrors).toEqual([{ field: ["input", "role"], code: "ROLE_NOT_ALLOWED" }]);

      const team = (await call(TEAM, {}, owner)).body.data!.teamMembers as {
        id: string;
        role: string;
        user: { email: string };
      }[];
      const owners = team.filter((m) => m.role === "OWNER");
      expect(owners).toHaveLength(1);
      const demote = await call(
        "mutation($input: UpdateMemberRoleInput!) { updateMemberRole(input: $input) { member { role } userErrors { code } } }",
        { input: { memberId: owners[0]!.id, role: "ADMIN" } },
        owner,
      );
      expect(demote.body.data!.updateMemberRole.userErrors).toEqual([{ code: "LAST_OWNER" }]);
      const removeLast = await call(
        "mutation($id: ID!) { removeMember(id: $id) { userErrors { code } } }",
        { id: owners[0]!.id },
        owner,
      );
      expect(removeLast.body.data!.removeMember.userErrors).toEqual([{ code: "LAST_OWNER" }]);

      // An editor promoted to admin can manage the team on the next request; removed, they are out of the tenant.
      const editor = await server.user("demo", "EDITOR");
      const editorMember = team.find((m) => m.user.email === "editor@demo.test")!;
      expect((await call(TEAM, {}, editor.headers)).status).toBe(403);
      await call(
        "mutation($input: UpdateMemberRoleInput!) { updateMemberRole(input: $input) { member { role } } }",
        { input: { memberId: editorMember.id, role: "ADMIN" } },
        owner,
      );
      expect((await call(TEAM, {}, editor.headers)).status).toBe(200);
      await call(
        "mutation($id: ID!) { removeMember(id: $id) { removedMemberId } }",
        { id: editorMember.id },
        owner,
      );
      const gone = await call("{ inventory(first: 1) { totalCount } }", {}, editor.headers);
      expect(gone.status).toBe(403);
      expect(gone.body.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    });

    it("lets a user of several tenants choose one per request with x-tenant, and no other", async () => {
      const { rows } = await server.app.ownerPool.query("SELECT id FROM tenants WHERE slug = 'beta'");
      await server.app.services.identity.ensureMember(rows[0].id, {
        email: "ana@example.com",
        name: "Ana",
        password: PASSWORD,
        role: "VIEWER",
      });
      const token = (await signIn("ana@example.com", PASSWORD)).body.data!.signIn.accessToken;
      const inDemo = (await call(VIEWER, {}, bearer(token))).body.data!.viewer;
      expect(inDemo).toMatchObject({ tenant: { slug: "demo" }, role: "ADMIN" });
      expect(inDemo.memberships.map((m: { tenant: { slug: string } }) => m.tenant.slug)).toEqual([
        "demo",
        "beta",
      ]);
      const inBeta = (await call(VIEWER, {}, { ...bearer(token), "x-tenant": "beta" })).body.data!.viewer;
      expect(inBeta).toMatchObject({ tenant: { slug: "beta" }, role: "VIEWER" });
      const elsewhere = await call(VIEWER, {}, { ...bearer(token), "x-tenant": "gamma" });
      expect(elsewhere.status).toBe(403);
    });
  });

  describe("password reset", () => {
    it("sends a one-time link that sets a new password and ends every session", async () => {
      const old = (await signIn("ana@example.com", PASSWORD)).body.data!.signIn.accessToken;
      const asked = await call('mutation { requestPasswordReset(email: "ANA@example.com") { ok } }');
      expect(asked.body.data!.requestPasswordReset.ok).toBe(true);
      const unknown = await call('mutation { requestPasswordReset(email: "nobody@example.com") { ok } }');
      expect(unknown.body.data!.requestPasswordReset.ok).toBe(true);
      const link = links.filter((l) => l.url.includes("/reset-password#token=")).at(-1)!;
      expect(link.to).toBe("ana@example.com");
      const token = new URL(link.url).hash.replace("#token=", "");
      const RESET =
        "mutation($input: ResetPasswordInput!) { resetPassword(input: $input) { ok userErrors { code } } }";
      const done = await call(RESET, { input: { token, password: "a brand new passphrase" } });
      expect(done.body.data!.resetPassword).toEqual({ ok: true, userErrors: [] });
      expect((await call(VIEWER, {}, bearer(old))).status).toBe(401);
      expect(
        (await call(RESET, { input: { token, password: "another passphrase!" } })).body.data!.resetPassword
          .userErrors[0].code,
      ).toBe("INVALID_TOKEN");
      await resetRates();
      expect(
        (await signIn("ana@example.com", "a brand new passphrase")).body.data!.signIn.accessToken,
      ).toEqual(expect.any(String));
      await server.app.services.identity.ensureUser({
        email: "ana@example.com",
        name: "Ana",
        password: PASSWORD,
      });
    });
  });

  describe("the audit log", () => {
    it("lets owners and admins read who signed in, created keys and changed roles; not viewers", async () => {
      const admin = await server.as("demo", "ADMIN");
      const res = await call(
        "{ auditEvents(first: 100) { totalCount nodes { action actorType actorId } } }",
        {},
        admin,
      );
      const actions = res.body.data!.auditEvents.nodes.map((n: { action: string }) => n.action);
      expect(actions).toEqual(
        expect.arrayContaining(["SIGN_IN", "SIGN_IN_FAILED", "API_KEY_CREATED", "MEMBER_ROLE_CHANGED"]),
      );
      expect(
        (await call("{ auditEvents(first: 1) { totalCount } }", {}, await server.as("demo", "VIEWER")))
          .status,
      ).toBe(403);
    });
  });

  describe("security headers", () => {
    it("sends a content security policy and no CORS grant to an origin not configured", async () => {
      const res = await fetch(`${server.url}/graphql`, {
        method: "OPTIONS",
        headers: { origin: "https://evil.example", "access-control-request-method": "POST" },
      });
      expect(res.headers.get("access-control-allow-origin")).toBeNull();
      const page = await fetch(`${server.url}/healthz`);
      expect(page.headers.get("content-security-policy")).toMatch(/frame-ancestors 'none'/);
      expect(page.headers.get("x-content-type-options")).toBe("nosniff");
      const ide = await fetch(`${server.url}/graphql`, { headers: { accept: "text/html" } });
      const csp = ide.headers.get("content-security-policy")!;
      const nonce = /'nonce-([^']+)'/.exec(csp)![1];
      expect(await ide.text()).toContain(`nonce="${nonce}"`);
    });
  });
});
