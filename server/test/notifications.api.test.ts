import { type Client, createClient } from "graphql-ws";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { toGlobalId } from "../src/graphql/global-id";
import { NotificationDispatcher } from "../src/modules/notifications";
import { createOwnerPool } from "../src/platform/db";
import { startTestServer, type TestServer } from "./app";
import { apiKeyOf } from "./auth";
import { createTenant, insertItems } from "./factories";
import { bodyOf, startMailbox } from "./mailbox";

const PREFS = `mutation($input: NotificationPreferencesInput!) {
  updateNotificationPreferences(input: $input) {
    preferences { types priorities inApp emailMode emailAvailable timeZone quietStart quietEnd digestHour }
    userErrors { field code }
  }
}`;
const LIST = `{ unreadNotificationCount notifications(first: 20) { totalCount nodes { id kind priority type title readAt alertId } } }`;
const MARK = `mutation($input: MarkNotificationsReadInput!) {
  markNotificationsRead(input: $input) { marked unreadCount userErrors { field code } }
}`;
const BULK = `mutation($input: BulkUpdateInventoryInput!) {
  bulkUpdateInventory(input: $input) { userErrors { code } }
}`;

interface Listed {
  unreadNotificationCount: number;
  notifications: {
    totalCount: number;
    nodes: Array<{
      id: string;
      kind: string;
      priority: string;
      type: string;
      title: string;
      readAt: string | null;
      alertId: string;
    }>;
  };
}

describe("notifications of alert events, in the app and by email", () => {
  let server: TestServer;
  let mailbox: Awaited<ReturnType<typeof startMailbox>>;
  let owner: Record<string, string>;
  let viewer: Record<string, string>;
  let editor: Record<string, string>;
  const clients: Client[] = [];
  /** The owner's unread counts as notificationsUpdated pushes them. */
  const counts: number[] = [];

  const gql = async (query: string, variables: Record<string, unknown>, headers: Record<string, string>) => {
    const res = await server.gql(query, variables, headers);
    expect(res.errors).toBeUndefined();
    return res.data as Record<string, any>;
  };
  const listed = async (headers: Record<string, string>) =>
    (await gql(LIST, {}, headers)) as unknown as Listed;
  const until = async (ready: () => Promise<boolean> | boolean, what: string) => {
    const end = Date.now() + 20_000;
    while (!(await ready())) {
      if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  const outbox = async () =>
    (
      await server.app.ownerPool.query(
        `SELECT kind, to_address, status, dedupe_key, next_attempt_at > now() + interval '1 minute' AS held
           FROM mail_outbox ORDER BY created_at`,
      )
    ).rows;
  const sellOut = (sku: string) =>
    gql(BULK, { input: { updates: [{ sku, quantity: 0 }], platforms: [] } }, owner);

  beforeAll(async () => {
    mailbox = await startMailbox();
    server = await startTestServer(async (dbUrl) => {
      const pool = createOwnerPool(dbUrl);
      const demo = await createTenant(pool, "demo");
      await insertItems(pool, demo, [
        { sku: "BEST-1", title: "Bestselling kettle", quantity: 20, bestseller: true },
        { sku: "BEST-2", title: "Bestselling mug", quantity: 20, bestseller: true },
      ]);
      await pool.end();
      return { SMTP_URL: mailbox.url, MAIL_FROM: "Inventory Sync <alerts@shop.test>" };
    });
    owner = await server.as("demo");
    viewer = await server.as("demo", "VIEWER");
    editor = await server.as("demo", "EDITOR");
  });
  afterAll(async () => {
    for (const c of clients) await c.dispose();
    await server?.close();
    await mailbox?.close();
  });

  it("starts from defaults: urgent alerts in the app, no email, and refuses preferences that make no sense", async () => {
    const res = await gql(
      "{ notificationPreferences { types priorities inApp emailMode emailAvailable timeZone quietStart digestHour } }",
      {},
      viewer,
    );
    expect(res.notificationPreferences).toEqual({
      types: [],
      priorities: ["CRITICAL", "HIGH"],
      inApp: true,
      emailMode: "OFF",
      emailAvailable: true,
      timeZone: "UTC",
      quietStart: null,
      digestHour: 8,
    });
    const bad = await gql(
      PREFS,
      { input: { timeZone: "Mars/Olympus", quietStart: 1440, digestHour: 24, priorities: [] } },
      viewer,
    );
    expect(bad.updateNotificationPreferences.preferences).toBeNull();
    expect(bad.updateNotificationPreferences.userErrors.map((e: { code: string }) => e.code).sort()).toEqual([
      "EMPTY",
      "INCOMPLETE",
      "INVALID_TIME_ZONE",
      "OUT_OF_RANGE",
      "OUT_OF_RANGE",
    ]);
    const unknownType = await server.gql(PREFS, { input: { types: ["NOT_A_TYPE"] } }, viewer);
    expect(unknownType.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
    const badCursor = await server.gql(
      '{ notifications(first: 5, after: "garbage") { totalCount } }',
      {},
      viewer,
    );
    expect(badCursor.errors?.[0]?.extensions?.code).toBe("INVALID_CURSOR");
    const key = (await apiKeyOf(server.app, "demo", ["read_alerts"])).headers;
    const byKey = await server.gql("{ unreadNotificationCount }", {}, key);
    expect(byKey.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
  });

  it("notifies matching users live and mails the subscribed one once, the quiet one later", async () => {
    const saved = await gql(PREFS, { input: { emailMode: "IMMEDIATE", priorities: ["CRITICAL"] } }, owner);
    expect(saved.updateNotificationPreferences.userErrors).toEqual([]);
    // The editor is in quiet hours around the clock in Tokyo: the mail waits, the app shows it at once.
    await gql(
      PREFS,
      { input: { emailMode: "IMMEDIATE", timeZone: "Asia/Tokyo", quietStart: 0, quietEnd: 1439 } },
      editor,
    );

    const client = createClient({
      url: `${server.url.replace(/^http/, "ws")}/graphql`,
      webSocketImpl: WebSocket,
      connectionParams: owner,
      retryAttempts: 0,
    });
    clients.push(client);
    client.subscribe<{ notificationsUpdated: { unreadCount: number } }>(
      { query: "subscription { notificationsUpdated { unreadCount } }" },
      {
        next: (r) => {
          expect(r.errors).toBeUndefined();
          counts.push(r.data!.notificationsUpdated.unreadCount);
        },
        error: (e) => {
          throw e;
        },
        complete: () => {},
      },
    );
    await new Promise((r) => setTimeout(r, 300));

    expect((await sellOut("BEST-1")).bulkUpdateInventory.userErrors).toEqual([]);
    await until(() => counts.includes(1), "the live unread count");
    const mine = await listed(owner);
    expect(mine.unreadNotificationCount).toBe(1);
    expect(mine.notifications.nodes).toEqual([
      expect.objectContaining({
        kind: "RAISED",
        priority: "CRITICAL",
        type: "OUT_OF_STOCK",
        title: "Out of stock on every channel: BEST-1",
        readAt: null,
      }),
    ]);
    // The viewer hears about it in the app only (email is off by default).
    expect((await listed(viewer)).notifications.nodes.map((n) => n.title)).toEqual([
      "Out of stock on every channel: BEST-1",
    ]);

    await until(() => mailbox.received.length >= 1, "the email");
    // Another dispatcher over the same database finds nothing left to send.
    const second = new NotificationDispatcher(server.app.ownerPool, {
      email: true,
      publicUrl: "http://localhost",
      log: { warn: () => {} },
    });
    expect(await second.round()).toBe(0);
    await new Promise((r) => setTimeout(r, 1500));
    expect(mailbox.received).toHaveLength(1);
    const [mail] = mailbox.received;
    const { id } = await server.user("demo");
    const email = (await server.app.ownerPool.query("SELECT email FROM users WHERE id = $1", [id])).rows[0]
      .email;
    expect(mail!.to).toEqual([email]);
    expect(mail!.from).toBe("alerts@shop.test");
    expect(mail!.raw).toMatch(/^Subject: \[CRITICAL\] Out of stock on every channel: BEST-1/m);
    expect(bodyOf(mail!.raw)).toContain("Bestselling kettle has no units available to sell anywhere.");

    const rows = await outbox();
    expect(rows.filter((r) => r.kind === "NOTIFICATION")).toHaveLength(2);
    const sent = rows.find((r) => r.status === "SENT")!;
    const held = rows.find((r) => r.status === "PENDING")!;
    expect(sent.held).toBe(false);
    expect(held.held).toBe(true);
    expect(sent.dedupe_key).toMatch(/^alert-event:[0-9a-f-]{36}:[0-9a-f-]{36}$/);
  });

  it("marks notifications read, the user's own only, and pushes the new count", async () => {
    const mine = await listed(owner);
    const theirs = await listed(viewer);
    const foreign = await gql(MARK, { input: { ids: [theirs.notifications.nodes[0]!.id] } }, owner);
    expect(foreign.markNotificationsRead).toEqual({
      marked: 0,
      unreadCount: 1,
      userErrors: [{ field: ["input", "ids", "0"], code: "NOT_FOUND" }],
    });
    const wrongType = await gql(MARK, { input: { ids: [toGlobalId("Alert", crypto.randomUUID())] } }, owner);
    expect(wrongType.markNotificationsRead.userErrors[0].code).toBe("INVALID_ID");
    const none = await gql(MARK, { input: {} }, owner);
    expect(none.markNotificationsRead.userErrors[0].code).toBe("INVALID");

    const done = await gql(MARK, { input: { ids: [mine.notifications.nodes[0]!.id] } }, owner);
    expect(done.markNotificationsRead).toEqual({ marked: 1, unreadCount: 0, userErrors: [] });
    await until(() => counts.at(-1) === 0, "the count pushed after reading");
    expect((await listed(owner)).notifications.nodes[0]!.readAt).not.toBeNull();
    expect((await listed(viewer)).unreadNotificationCount).toBe(1);
    const all = await gql(MARK, { input: { all: true } }, viewer);
    expect(all.markNotificationsRead).toMatchObject({ marked: 1, unreadCount: 0 });
  });

  it("holds digest users' alerts for one message a day", async () => {
    await gql(
      PREFS,
      { input: { emailMode: "DAILY_DIGEST", digestHour: 0, priorities: ["CRITICAL"] } },
      viewer,
    );
    const before = mailbox.received.length;
    await sellOut("BEST-2");
    await until(
      async () => (await listed(viewer)).unreadNotificationCount === 1,
      "the viewer's notification",
    );
    const digest = new NotificationDispatcher(server.app.ownerPool, {
      email: true,
      publicUrl: "http://localhost",
      log: { warn: () => {} },
    });
    await digest.digests(new Date());
    // Sent once a day: a second look the same day sends nothing.
    expect(await digest.digests(new Date())).toBe(0);
    const rows = await outbox();
    expect(rows.filter((r) => r.kind === "DIGEST")).toHaveLength(1);
    await until(
      () => mailbox.received.slice(before).some((m) => /^Subject: Your alerts digest: 1 new/m.test(m.raw)),
      "the digest",
    );
    const digestMail = mailbox.received
      .slice(before)
      .find((m) => /^Subject: Your alerts digest/m.test(m.raw))!;
    expect(bodyOf(digestMail.raw)).toContain("- [CRITICAL] Out of stock on every channel: BEST-2");
  });

  it("notifies an alert's resolution to the users who opted in, in the app and by email", async () => {
    const saved = await gql(PREFS, { input: { notifyResolved: true } }, owner);
    expect(saved.updateNotificationPreferences.userErrors).toEqual([]);
    const alertId = (await listed(owner)).notifications.nodes.find(
      (n) => n.title === "Out of stock on every channel: BEST-1",
    )!.alertId;
    const before = mailbox.received.length;
    const viewerBefore = (await listed(viewer)).notifications.totalCount;
    const resolved = await gql(
      "mutation($id: ID!) { resolveAlert(id: $id) { userErrors { code } } }",
      { id: alertId },
      owner,
    );
    expect(resolved.resolveAlert.userErrors).toEqual([]);
    await until(
      async () => (await listed(owner)).notifications.nodes.some((n) => n.kind === "RESOLVED"),
      "the resolution notification",
    );
    expect((await listed(owner)).notifications.nodes[0]).toMatchObject({
      kind: "RESOLVED",
      alertId,
      title: "Out of stock on every channel: BEST-1",
    });
    await until(
      () => mailbox.received.slice(before).some((m) => /^Subject: \[CRITICAL\] Resolved: /m.test(m.raw)),
      "the resolution email",
    );
    // The viewer did not opt in: the alert's resolution adds nothing for them.
    expect(server.app.services.notifications).toBeDefined();
    await server.app.services.notifications?.kick();
    expect((await listed(viewer)).notifications.totalCount).toBe(viewerBefore);
  });
});
