import type pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAppPrisma, createOwnerPool } from "../src/platform/db";
import { startTestServer, type TestServer } from "./app";
import { apiKeyOf } from "./auth";
import { createTenant, insertItems } from "./factories";
import { startMailbox } from "./mailbox";

const LOG = `query($first: Int, $after: String, $filter: MailDeliveryFilter) {
  mailDeliveries(first: $first, after: $after, filter: $filter) {
    totalCount
    pageInfo { hasNextPage endCursor }
    nodes { id kind to subject status attempts lastError nextAttemptAt createdAt sentAt }
  }
}`;

interface Delivery {
  id: string;
  kind: string;
  to: string;
  subject: string;
  status: string;
  attempts: number;
  lastError: string | null;
  nextAttemptAt: string | null;
  createdAt: string;
  sentAt: string | null;
}
interface Log {
  totalCount: number;
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  nodes: Delivery[];
}

describe("the email delivery log", () => {
  let server: TestServer;
  let mailbox: Awaited<ReturnType<typeof startMailbox>>;
  let app: { pool: pg.Pool; disconnect(): Promise<void> };
  let owner: Record<string, string>;
  let viewer: Record<string, string>;
  let editor: Record<string, string>;
  let rival: Record<string, string>;

  const log = async (headers: Record<string, string>, variables: Record<string, unknown> = {}) => {
    const res = await server.gql(LOG, { first: 50, ...variables }, headers);
    expect(res.errors).toBeUndefined();
    return res.data!.mailDeliveries as Log;
  };
  const until = async (ready: () => Promise<boolean> | boolean, what: string) => {
    const end = Date.now() + 20_000;
    while (!(await ready())) {
      if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  /** Runs `sql` as the app role in `tenantId` (none when null), as a request's queries run. */
  const asApp = async <T extends pg.QueryResultRow>(tenantId: string | null, sql: string) => {
    const c = await app.pool.connect();
    try {
      await c.query("BEGIN");
      if (tenantId) await c.query("SELECT set_config('app.tenant_id', $1, true)", [tenantId]);
      return (await c.query<T>(sql)).rows;
    } finally {
      await c.query("ROLLBACK").catch(() => {});
      c.release();
    }
  };

  beforeAll(async () => {
    mailbox = await startMailbox();
    server = await startTestServer(async (dbUrl) => {
      const pool = createOwnerPool(dbUrl);
      const demo = await createTenant(pool, "demo");
      await createTenant(pool, "rival");
      await insertItems(pool, demo, [
        { sku: "BEST-1", title: "Bestselling kettle", quantity: 20, bestseller: true },
      ]);
      await pool.end();
      return { SMTP_URL: mailbox.url, MAIL_FROM: "Inventory Sync <alerts@shop.test>" };
    });
    const { prisma, pool } = createAppPrisma(server.dbUrl, 2);
    app = { pool, disconnect: () => prisma.$disconnect() };
    owner = await server.as("demo");
    viewer = await server.as("demo", "VIEWER");
    editor = await server.as("demo", "EDITOR");
    rival = await server.as("rival");
  });
  afterAll(async () => {
    await app?.disconnect();
    await app?.pool.end();
    await server?.close();
    await mailbox?.close();
  });

  it("shows a refused notification as PENDING with its attempt and the server's reply, then SENT after the retry", async () => {
    const prefs = await server.gql(
      `mutation { updateNotificationPreferences(input: { emailMode: IMMEDIATE, priorities: [CRITICAL] }) { userErrors { code } } }`,
      {},
      viewer,
    );
    expect(prefs.data!.updateNotificationPreferences.userErrors).toEqual([]);
    mailbox.refuseNext(1);
    const sold = await server.gql(
      `mutation($input: BulkUpdateInventoryInput!) { bulkUpdateInventory(input: $input) { userErrors { code } } }`,
      { input: { updates: [{ sku: "BEST-1", quantity: 0 }], platforms: [] } },
      owner,
    );
    expect(sold.data!.bulkUpdateInventory.userErrors).toEqual([]);

    await until(async () => (await log(viewer)).nodes[0]?.attempts === 1, "the refused attempt");
    const [refused] = (await log(viewer)).nodes;
    expect(refused).toMatchObject({
      kind: "NOTIFICATION",
      to: "viewer@demo.test",
      subject: "[CRITICAL] Out of stock on every channel: BEST-1",
      status: "PENDING",
      attempts: 1,
      sentAt: null,
    });
    expect(refused!.lastError).toMatch(/^EMESSAGE: 451 .*Mailbox busy, try later$/);
    expect(Date.parse(refused!.nextAttemptAt!)).toBeGreaterThan(Date.now());
    expect(mailbox.received).toHaveLength(0);

    // The retry is due 15 s later; bring it forward instead of waiting.
    await server.app.ownerPool.query(
      "UPDATE mail_outbox SET next_attempt_at = now() WHERE status = 'PENDING'",
    );
    await until(async () => (await log(viewer)).nodes[0]?.status === "SENT", "the retried message");
    const [sent] = (await log(viewer)).nodes;
    expect(sent).toMatchObject({
      id: refused!.id,
      status: "SENT",
      attempts: 2,
      lastError: null,
      nextAttemptAt: null,
    });
    expect(Date.parse(sent!.sentAt!)).toBeGreaterThanOrEqual(Date.parse(sent!.createdAt));
    expect(mailbox.received.map((m) => m.to)).toEqual([["viewer@demo.test"]]);
  });

  it("shows each user the mail addressed to them, the tenant's admins all of it, no one another tenant's", async () => {
    const invite = (email: string, as: Record<string, string>) =>
      server.gql(
        `mutation($e: String!) { inviteMember(input: { email: $e, role: VIEWER }) { userErrors { code } } }`,
        { e: email },
        as,
      );
    expect((await invite("kim@shop.test", owner)).data!.inviteMember.userErrors).toEqual([]);
    expect((await invite("lee@rival.test", rival)).data!.inviteMember.userErrors).toEqual([]);
    // A password reset belongs to no tenant: the sender sends it, no delivery log shows it.
    await server.gql(
      `mutation { requestPasswordReset(email: "viewer@demo.test") { ok } }`,
      {},
      { authorization: "" },
    );
    await until(() => mailbox.received.length === 4, "the invitations and the reset");
    await until(
      async () =>
        (await server.app.ownerPool.query("SELECT 1 FROM mail_outbox WHERE status <> 'SENT'")).rowCount === 0,
      "every message sent",
    );

    const mine = await log(viewer);
    expect(mine.totalCount).toBe(1);
    expect(mine.nodes.map((d) => d.kind)).toEqual(["NOTIFICATION"]);
    expect((await log(editor)).totalCount).toBe(0);

    const all = await log(owner);
    expect(all.nodes.map((d) => [d.kind, d.to, d.status])).toEqual([
      ["INVITATION", "kim@shop.test", "SENT"],
      ["NOTIFICATION", "viewer@demo.test", "SENT"],
    ]);
    expect((await log(rival)).nodes.map((d) => d.to)).toEqual(["lee@rival.test"]);

    // A key that may read the audit log but not the team sees every message, the addresses masked.
    const auditor = (await apiKeyOf(server.app, "demo", ["read_settings", "read_audit"])).headers;
    expect((await log(auditor)).nodes.map((d) => d.to)).toEqual(["k***@shop.test", "v***@demo.test"]);
    const plain = (await apiKeyOf(server.app, "demo", ["read_settings"])).headers;
    const refused = await server.gql(LOG, {}, plain);
    expect(refused.errors?.[0]?.extensions).toMatchObject({ code: "FORBIDDEN", requiredScope: "read_audit" });

    // Filters and pages.
    expect((await log(owner, { filter: { kind: ["INVITATION"] } })).nodes.map((d) => d.kind)).toEqual([
      "INVITATION",
    ]);
    expect((await log(owner, { filter: { status: ["FAILED", "PENDING"] } })).totalCount).toBe(0);
    const first = await log(owner, { first: 1 });
    expect(first.pageInfo.hasNextPage).toBe(true);
    const second = await log(owner, { first: 1, after: first.pageInfo.endCursor });
    expect(second.nodes.map((d) => d.kind)).toEqual(["NOTIFICATION"]);
    expect(second.pageInfo.hasNextPage).toBe(false);
  });

  it("answers hostile arguments with codes", async () => {
    const codeOf = async (variables: Record<string, unknown>) =>
      (await server.gql(LOG, variables, owner)).errors?.[0]?.extensions?.code;
    expect(await codeOf({ after: "garbage" })).toBe("INVALID_CURSOR");
    expect(await codeOf({ after: Buffer.from('["createdAt:desc","x","1"]').toString("base64url") })).toBe(
      "INVALID_CURSOR",
    );
    expect(await codeOf({ first: 1000 })).toBe("PAGE_SIZE_EXCEEDED");
    expect(await codeOf({ first: -1 })).toBe("BAD_USER_INPUT");
    expect(await codeOf({ filter: { status: ["LOST"] } })).toBe("BAD_USER_INPUT");
    expect(await codeOf({ filter: { kind: "SPAM" } })).toBe("BAD_USER_INPUT");
    const anonymous = await server.gql(LOG, {}, { authorization: "" });
    expect(anonymous.errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");
  });

  it("lets the app role read its tenant's log but never a body, and nothing without a tenant", async () => {
    const { rows } = await server.app.ownerPool.query<{ id: string; slug: string }>(
      "SELECT id, slug FROM tenants WHERE slug IN ('demo', 'rival')",
    );
    const demo = rows.find((r) => r.slug === "demo")!.id;
    await expect(asApp(demo, "SELECT body FROM mail_outbox")).rejects.toMatchObject({ code: "42501" });
    await expect(asApp(demo, "SELECT * FROM mail_outbox")).rejects.toMatchObject({ code: "42501" });
    await expect(asApp(demo, "SELECT dedupe_key FROM mail_outbox")).rejects.toMatchObject({ code: "42501" });
    await expect(
      asApp(
        demo,
        "INSERT INTO mail_outbox (kind, to_address, subject) VALUES ('INVITATION', 'x@y.test', 'x')",
      ),
    ).rejects.toMatchObject({ code: "42501" });
    await expect(asApp(demo, "UPDATE mail_outbox SET status = 'SENT'")).rejects.toMatchObject({
      code: "42501",
    });
    const seen = await asApp<{ kind: string; tenant_id: string }>(
      demo,
      "SELECT kind, tenant_id FROM mail_outbox",
    );
    expect(seen.map((r) => r.kind).sort()).toEqual(["INVITATION", "NOTIFICATION"]);
    expect(new Set(seen.map((r) => r.tenant_id))).toEqual(new Set([demo]));
    expect(await asApp(null, "SELECT id FROM mail_outbox")).toEqual([]);
    // The alert's message names its alert and the viewer's notification of it.
    const linked = await server.app.ownerPool.query(
      `SELECT m.recipient_user_id = n.user_id AND m.alert_id = n.alert_id AND m.tenant_id = n.tenant_id AS linked
         FROM mail_outbox m JOIN notifications n ON n.id = m.notification_id WHERE m.kind = 'NOTIFICATION'`,
    );
    expect(linked.rows).toEqual([{ linked: true }]);
    // The owner (the sender) reads the tenant-less reset too.
    const everything = await server.app.ownerPool.query(
      "SELECT kind FROM mail_outbox WHERE tenant_id IS NULL",
    );
    expect(everything.rows.map((r) => r.kind)).toEqual(["PASSWORD_RESET"]);
  });

  it("shows a given-up message as FAILED, its error masked as its address is for a caller without read_team", async () => {
    const { rows } = await server.app.ownerPool.query<{ id: string }>(
      "SELECT id FROM tenants WHERE slug = 'demo'",
    );
    await server.app.ownerPool.query(
      `INSERT INTO mail_outbox (tenant_id, kind, to_address, subject, status, attempts, last_error)
       VALUES ($1, 'INVITATION', 'gone@shop.test', 'You are invited to Inventory Sync', 'FAILED', 8,
               '550 <gone@shop.test>: Recipient address rejected by smtp://mailer:hunter2@mx.shop.test')`,
      [rows[0]!.id],
    );
    const auditor = (await apiKeyOf(server.app, "demo", ["read_settings", "read_audit"])).headers;
    const failed = (await log(auditor, { filter: { status: ["FAILED"] } })).nodes;
    expect(failed).toEqual([
      expect.objectContaining({
        status: "FAILED",
        attempts: 8,
        to: "g***@shop.test",
        lastError: "550 <g***@shop.test>: Recipient address rejected by smtp://***@mx.shop.test",
        nextAttemptAt: null,
      }),
    ]);
    const [full] = (await log(owner, { filter: { status: ["FAILED"] } })).nodes;
    expect(full!.lastError).toBe(
      "550 <gone@shop.test>: Recipient address rejected by smtp://***@mx.shop.test",
    );
  });
});
