import type pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MailSender } from "../src/modules/mail";
import { NotificationDispatcher } from "../src/modules/notifications";
import { createOwnerPool } from "../src/platform/db";
import { createTestDatabase } from "./database";
import { asTenant, createTenant } from "./factories";
import { startMailbox } from "./mailbox";

const EVENTS = 30;
const USERS = 2;
const quiet = { warn: () => {}, info: () => {} };

/** Two processes' worth of dispatchers and mail senders (each with its own pool) racing on one database. */
describe("notification dispatchers and mail senders racing on one database", () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let mailbox: Awaited<ReturnType<typeof startMailbox>>;
  const pools: pg.Pool[] = [];
  let tenantId: string;

  const count = async (sql: string) => Number((await pools[0]!.query(sql)).rows[0].n);

  beforeAll(async () => {
    db = await createTestDatabase();
    mailbox = await startMailbox();
    pools.push(createOwnerPool(db.url), createOwnerPool(db.url));
    const pool = pools[0]!;
    ({ tenantId } = await createTenant(pool, "race"));
    for (let u = 0; u < USERS; u++) {
      const { rows } = await pool.query<{ id: string }>(
        "INSERT INTO users (email, name, updated_at) VALUES ($1, $1, now()) RETURNING id",
        [`user${u}@race.test`],
      );
      await asTenant(pool, tenantId, async (c) => {
        await c.query("INSERT INTO memberships (user_id, role, updated_at) VALUES ($1, 'EDITOR', now())", [
          rows[0]!.id,
        ]);
        await c.query(
          `INSERT INTO notification_preferences (user_id, types, priorities, email_mode, updated_at)
           VALUES ($1, '{}', '{CRITICAL,HIGH}', 'IMMEDIATE', now())`,
          [rows[0]!.id],
        );
      });
    }
    await asTenant(pool, tenantId, async (c) => {
      for (let i = 0; i < EVENTS; i++) {
        const { rows } = await c.query<{ id: string }>(
          `INSERT INTO alerts (type, priority, title, message, updated_at)
           VALUES ('OUT_OF_STOCK', 'CRITICAL', $1, 'Gone', now()) RETURNING id`,
          [`Out of stock: SKU-${i}`],
        );
        await c.query(
          `INSERT INTO alert_events (alert_id, kind, priority, cause) VALUES ($1, 'RAISED', 'CRITICAL', 'SYNC')`,
          [rows[0]!.id],
        );
      }
    });
  });
  afterAll(async () => {
    for (const p of pools) await p.end();
    await mailbox?.close();
    await db?.drop();
  });

  it("notifies and mails each event once per user whichever process takes it", async () => {
    const dispatchers = pools.map(
      (p) => new NotificationDispatcher(p, { email: true, publicUrl: "http://localhost", log: quiet }),
    );
    // Several rounds from both at once: row locks hand each event to one of them.
    const taken = await Promise.all([0, 1, 2, 3].map((i) => dispatchers[i % 2]!.round()));
    expect(taken.reduce((a, b) => a + b, 0)).toBe(EVENTS);
    expect(await count("SELECT count(*) AS n FROM notifications")).toBe(EVENTS * USERS);
    expect(await count("SELECT count(*) AS n FROM notification_dispatches")).toBe(EVENTS);
    expect(await count("SELECT count(*) AS n FROM mail_outbox")).toBe(EVENTS * USERS);

    // Events taken again (the cursor forgotten) add no notification and no email: the unique keys refuse them.
    await pools[0]!.query("DELETE FROM notification_dispatches");
    const again = await Promise.all(dispatchers.map((d) => d.round()));
    expect(again.reduce((a, b) => a + b, 0)).toBe(EVENTS);
    expect(await count("SELECT count(*) AS n FROM notifications")).toBe(EVENTS * USERS);
    expect(await count("SELECT count(*) AS n FROM mail_outbox")).toBe(EVENTS * USERS);

    const senders = pools.map(
      (p) => new MailSender(p, { smtpUrl: mailbox.url, from: "alerts@race.test", everyMs: 50, log: quiet }),
    );
    for (const s of senders) s.start();
    const end = Date.now() + 30_000;
    while ((await count("SELECT count(*) AS n FROM mail_outbox WHERE status <> 'SENT'")) > 0) {
      if (Date.now() > end) throw new Error("timed out waiting for the outbox to drain");
      await new Promise((r) => setTimeout(r, 100));
    }
    await Promise.all(senders.map((s) => s.stop()));
    expect(mailbox.received).toHaveLength(EVENTS * USERS);
    const ids = mailbox.received.map((m) => /^Message-ID: (.+)$/im.exec(m.raw)?.[1]?.trim());
    expect(new Set(ids).size).toBe(EVENTS * USERS);
    expect(await count("SELECT sum(attempts) AS n FROM mail_outbox")).toBe(EVENTS * USERS);
  });
});
