import { randomBytes } from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { databaseBefore } from "./database";

const DELIVERY_LOG = "20261220000000_mail_deliveries";

describe("the delivery log's migration over an outbox written before it", () => {
  let scratch: Awaited<ReturnType<typeof databaseBefore>>;
  let db: pg.Client;

  beforeAll(async () => {
    scratch = await databaseBefore(DELIVERY_LOG);
    db = new pg.Client({ connectionString: scratch.url });
    await db.connect();
  });
  afterAll(async () => {
    await db?.end();
    await scratch?.drop();
  });

  it("gives old messages a kind, their tenant and user from the dedupe key, and drops credentials from errors", async () => {
    const tenant = (
      await db.query<{ id: string }>(
        "INSERT INTO tenants (slug, name, updated_at) VALUES ('old', 'Old', now()) RETURNING id",
      )
    ).rows[0]!.id;
    const user = (
      await db.query<{ id: string }>(
        "INSERT INTO users (email, name, updated_at) VALUES ('ann@old.test', 'Ann', now()) RETURNING id",
      )
    ).rows[0]!.id;
    const alert = (
      await db.query<{ id: string }>(
        `INSERT INTO alerts (tenant_id, type, priority, title, message, dedupe_key, updated_at)
         VALUES ($1, 'OUT_OF_STOCK', 'CRITICAL', 't', 'm', 'k', now()) RETURNING id`,
        [tenant],
      )
    ).rows[0]!.id;
    const event = (
      await db.query<{ id: string }>(
        `INSERT INTO alert_events (tenant_id, alert_id, kind, priority, cause) VALUES ($1, $2, 'RAISED', 'CRITICAL', 'SYNC') RETURNING id`,
        [tenant, alert],
      )
    ).rows[0]!.id;
    await db.query(
      `INSERT INTO mail_outbox (kind, to_address, subject, body, dedupe_key, last_error) VALUES
         ('alert', 'ann@old.test', 'a', 'b', $1, 'Invalid login to smtp://mailer:hunter2@mail.old.test:587'),
         ('alert-digest', 'ann@old.test', 'd', 'b', $2, NULL),
         ('invitation', 'kim@old.test', 'i', 'b', NULL, NULL),
         ('password-reset', 'ann@old.test', 'r', 'b', NULL, NULL)`,
      [`alert-event:${event}:${user}`, `digest:${tenant}:${user}:2026-12-01`],
    );

    await scratch.migrate();

    const { rows } = await db.query(
      `SELECT kind::text, tenant_id, recipient_user_id, alert_id, last_error, body FROM mail_outbox ORDER BY subject`,
    );
    expect(rows).toEqual([
      {
        kind: "NOTIFICATION",
        tenant_id: tenant,
        recipient_user_id: user,
        alert_id: alert,
        last_error: "Invalid login to smtp://***@mail.old.test:587",
        body: "b",
      },
      {
        kind: "DIGEST",
        tenant_id: tenant,
        recipient_user_id: user,
        alert_id: null,
        last_error: null,
        body: "b",
      },
      {
        kind: "INVITATION",
        tenant_id: null,
        recipient_user_id: null,
        alert_id: null,
        last_error: null,
        body: "b",
      },
      {
        kind: "PASSWORD_RESET",
        tenant_id: null,
        recipient_user_id: null,
        alert_id: null,
        last_error: null,
        body: "b",
      },
    ]);
  });

  it("lets a sender that is no superuser but a member of inventory_maintenance read and send every message", async () => {
    const role = `sender_${randomBytes(4).toString("hex")}`;
    const stranger = `${role}_x`;
    await db.query(`CREATE ROLE ${role} NOLOGIN NOSUPERUSER NOBYPASSRLS IN ROLE inventory_maintenance`);
    await db.query(`CREATE ROLE ${stranger} NOLOGIN NOSUPERUSER NOBYPASSRLS`);
    try {
      for (const r of [role, stranger]) await db.query(`GRANT SELECT, UPDATE ON mail_outbox TO ${r}`);
      const as = async (r: string) => {
        await db.query(`BEGIN; SET LOCAL ROLE ${r}`);
        try {
          const sent = await db.query(
            "UPDATE mail_outbox SET status = 'SENT', body = NULL WHERE status = 'PENDING'",
          );
          return sent.rowCount;
        } finally {
          await db.query("ROLLBACK");
        }
      };
      // Row-level security is forced on the table: without the maintenance policy a sender would see nothing.
      expect(await as(stranger)).toBe(0);
      expect(await as(role)).toBe(4); // the four messages of the test above
    } finally {
      await db.query(`DROP OWNED BY ${role}, ${stranger}; DROP ROLE ${role}; DROP ROLE ${stranger}`);
    }
  });
});

describe("the delivery log's links to alerts and notifications", () => {
  let scratch: Awaited<ReturnType<typeof databaseBefore>>;
  let db: pg.Client;

  beforeAll(async () => {
    scratch = await databaseBefore("20261224000000_mail_outbox_links");
    db = new pg.Client({ connectionString: scratch.url });
    await db.connect();
  });
  afterAll(async () => {
    await db?.end();
    await scratch?.drop();
  });

  const one = async (sql: string, params: unknown[] = []) =>
    (await db.query<{ id: string }>(sql, params)).rows[0]!.id;

  it("clears links to rows that are gone, then refuses new ones and outlives the rows it names", async () => {
    const tenant = await one(
      "INSERT INTO tenants (slug, name, updated_at) VALUES ('t', 'T', now()) RETURNING id",
    );
    const user = await one(
      "INSERT INTO users (email, name, updated_at) VALUES ('u@t.test', 'U', now()) RETURNING id",
    );
    const alert = await one(
      `INSERT INTO alerts (tenant_id, type, priority, title, message, updated_at)
       VALUES ($1, 'LOW_STOCK', 'HIGH', 't', 'm', now()) RETURNING id`,
      [tenant],
    );
    const event = await one(
      `INSERT INTO alert_events (tenant_id, alert_id, kind, priority, cause)
       VALUES ($1, $2, 'RAISED', 'HIGH', 'SYNC') RETURNING id`,
      [tenant, alert],
    );
    const notification = await one(
      `INSERT INTO notifications (tenant_id, user_id, alert_id, alert_event_id, kind, priority, type, title, message)
       VALUES ($1, $2, $3, $4, 'RAISED', 'HIGH', 'LOW_STOCK', 't', 'm') RETURNING id`,
      [tenant, user, alert, event],
    );
    const gone = "00000000-0000-4000-8000-000000000001";
    await db.query(
      `INSERT INTO mail_outbox (kind, tenant_id, to_address, subject, alert_id, notification_id) VALUES
         ('NOTIFICATION', $1, 'u@t.test', 'kept', $2, $3),
         ('NOTIFICATION', $1, 'u@t.test', 'stale', $4, $4)`,
      [tenant, alert, notification, gone],
    );

    await scratch.migrate();

    const links = async () =>
      (await db.query(`SELECT subject, alert_id, notification_id FROM mail_outbox ORDER BY subject`)).rows;
    expect(await links()).toEqual([
      { subject: "kept", alert_id: alert, notification_id: notification },
      { subject: "stale", alert_id: null, notification_id: null },
    ]);
    await expect(
      db.query(
        `INSERT INTO mail_outbox (kind, tenant_id, to_address, subject, alert_id) VALUES ('NOTIFICATION', $1, 'u@t.test', 'x', $2)`,
        [tenant, gone],
      ),
    ).rejects.toMatchObject({ code: "23503" });

    // A removed user's notifications go; the messages they were sent stay in the log, unlinked.
    await db.query("DELETE FROM users WHERE id = $1", [user]);
    expect(await links()).toEqual([
      { subject: "kept", alert_id: alert, notification_id: null },
      { subject: "stale", alert_id: null, notification_id: null },
    ]);
  });
});
