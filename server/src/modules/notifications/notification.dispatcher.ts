import type pg from "pg";
import type { AlertPriority, AlertType, NotificationEmailMode } from "../../generated/prisma/enums";
import { PollLoop } from "../../platform/poll-loop";
import {
  DEFAULT_PREFERENCES,
  digestDue,
  emailPlan,
  localTime,
  matches,
  type Preferences,
} from "./notification.rules";

/** The routing key of a tenant's notification changes; subscribers keep those of their own user. */
export const NOTIFICATION_TOPIC = "notifications";

/** Alert events older than this are never turned into notifications (a server down for days does not flood). */
const WINDOW = "2 days";
const ROUND = 200;

interface EventRow {
  id: string;
  tenant_id: string;
  alert_id: string;
  kind: string;
  priority: AlertPriority;
  type: AlertType;
  title: string;
  message: string;
}

interface RecipientRow {
  user_id: string;
  email: string;
  types: AlertType[] | null;
  priorities: AlertPriority[] | null;
  in_app: boolean | null;
  email_mode: NotificationEmailMode | null;
  time_zone: string | null;
  quiet_start: number | null;
  quiet_end: number | null;
  digest_hour: number | null;
  notify_resolved: boolean | null;
  last_digest_at: Date | null;
}

/** Postgres returns enum arrays as their text form ({A,B}) unless it knows the type; read either. */
function list<T extends string>(value: T[] | string | null): T[] | null {
  if (value === null) return null;
  if (Array.isArray(value)) return value;
  const inner = value.replace(/^\{|\}$/g, "");
  return (inner ? inner.split(",") : []) as T[];
}

function preferencesOf(r: RecipientRow): Preferences {
  if (r.email_mode === null) return DEFAULT_PREFERENCES;
  return {
    types: list(r.types) ?? [],
    priorities: list(r.priorities) ?? DEFAULT_PREFERENCES.priorities,
    inApp: r.in_app ?? true,
    emailMode: r.email_mode,
    timeZone: r.time_zone ?? "UTC",
    quietStart: r.quiet_start,
    quietEnd: r.quiet_end,
    digestHour: r.digest_hour ?? 8,
    notifyResolved: r.notify_resolved ?? false,
  };
}

const RECIPIENTS = `
  SELECT m.user_id, u.email, p.types::text[] AS types, p.priorities::text[] AS priorities, p.in_app,
         p.email_mode::text AS email_mode, p.time_zone, p.quiet_start, p.quiet_end, p.digest_hour, p.notify_resolved, p.last_digest_at
    FROM memberships m JOIN users u ON u.id = m.user_id
    LEFT JOIN notification_preferences p ON p.tenant_id = m.tenant_id AND p.user_id = m.user_id
   WHERE m.tenant_id = $1`;

/**
 * Turns alert events (and resolutions, for users who opt in) into notifications: one per user per event for the users whose preferences match, and an
 * email through the mail outbox for those who want one now (held until their quiet hours end) or in their
 * daily digest. An event, its notifications and their outbox rows commit together, and both tables refuse a
 * second row for one (event, user), so no event is notified or mailed twice whatever process handles it.
 */
export class NotificationDispatcher {
  private readonly loop: PollLoop;
  private lastDigests = 0;

  constructor(
    private readonly owner: pg.Pool,
    private readonly options: {
      /** Email is off without it (no SMTP_URL): notifications stay in the app. */
      email: boolean;
      /** Called after mail was written, so it goes out at once. */
      kickMail?: () => void;
      publicUrl: string;
      everyMs?: number;
      log: { warn(o: object, m: string): void };
    },
  ) {
    this.loop = new PollLoop({
      everyMs: options.everyMs ?? 500,
      work: async (stopped) => {
        while (!stopped() && (await this.round()) === ROUND) {}
        // Digests are due by the hour: a look once a minute is enough.
        if (options.email && !stopped() && Date.now() - this.lastDigests >= 60_000) {
          this.lastDigests = Date.now();
          await this.digests(new Date());
        }
      },
      onError: (error) =>
        options.log.warn({ err: error }, "notification round failed; it runs again shortly"),
    });
  }

  start() {
    this.loop.start();
  }

  /** Handles what is waiting now: new alert events, then digests that are due. */
  kick(): Promise<void> {
    return this.loop.kick();
  }

  private async inTransaction<T>(fn: (c: pg.PoolClient) => Promise<T>): Promise<T> {
    const client = await this.owner.connect();
    try {
      await client.query("BEGIN");
      const result = await fn(client);
      await client.query("COMMIT");
      return result;
    } catch (error) {
      await client.query("ROLLBACK").catch(() => {});
      throw error;
    } finally {
      client.release();
    }
  }

  /** Notifies up to ROUND alert events not handled yet; returns how many it took. */
  async round(now = new Date()): Promise<number> {
    return this.inTransaction(async (c) => {
      const { rows: events } = await c.query<EventRow>(
        `SELECT e.id, e.tenant_id, e.alert_id, e.kind::text, e.priority::text, a.type::text, a.title, a.message
           FROM alert_events e JOIN alerts a ON a.id = e.alert_id
          WHERE e.created_at > now() - interval '${WINDOW}' AND e.kind IN ('RAISED', 'REOPENED', 'ESCALATED', 'RESOLVED')
            AND NOT EXISTS (SELECT 1 FROM notification_dispatches d WHERE d.alert_event_id = e.id)
          ORDER BY e.created_at, e.id LIMIT ${ROUND} FOR UPDATE OF e SKIP LOCKED`,
      );
      if (events.length === 0) return 0;
      const recipients = new Map<string, RecipientRow[]>();
      const touched = new Set<string>();
      let mailed = 0;
      for (const e of events) {
        let users = recipients.get(e.tenant_id);
        if (!users) {
          users = (await c.query<RecipientRow>(RECIPIENTS, [e.tenant_id])).rows;
          recipients.set(e.tenant_id, users);
        }
        for (const user of users) {
          const prefs = preferencesOf(user);
          if (!matches(prefs, e)) continue;
          const plan = this.options.email ? emailPlan(prefs, e, now) : { kind: "NONE" as const };
          if (!prefs.inApp && plan.kind === "NONE") continue;
          const { rows } = await c.query<{ id: string }>(
            `INSERT INTO notifications (tenant_id, user_id, alert_id, alert_event_id, kind, priority, type, title,
                                        message, in_app, email_state)
             VALUES ($1, $2, $3, $4, $5::"AlertEventKind", $6::"AlertPriority", $7::"AlertType", $8, $9, $10, $11)
             ON CONFLICT (alert_event_id, user_id) DO NOTHING RETURNING id`,
            [
              e.tenant_id,
              user.user_id,
              e.alert_id,
              e.id,
              e.kind,
              e.priority,
              e.type,
              e.title,
              e.message,
              prefs.inApp,
              plan.kind === "NOW" ? "QUEUED" : plan.kind === "DIGEST" ? "DIGEST" : "NONE",
            ],
          );
          if (rows.length === 0) continue;
          if (prefs.inApp) touched.add(`${e.tenant_id}|${user.user_id}`);
          if (plan.kind === "NOW") {
            const verb = {
              RAISED: "",
              REOPENED: "Again: ",
              ESCALATED: "Escalated: ",
              RESOLVED: "Resolved: ",
            }[e.kind];
            const inserted = await c.query(
              `INSERT INTO mail_outbox (kind, to_address, subject, body, next_attempt_at, dedupe_key, tenant_id,
                                        recipient_user_id, alert_id, notification_id)
               VALUES ('NOTIFICATION', $1, $2, $3, $4, $5, $6, $7, $8, $9)
               ON CONFLICT (dedupe_key) DO NOTHING RETURNING id`,
              [
                user.email,
                `[${e.priority}] ${verb}${e.title}`,
                `${e.message}\n\nPriority: ${e.priority}\nOpen the alerts: ${this.options.publicUrl}/alerts\n`,
                plan.sendAt,
                `alert-event:${e.id}:${user.user_id}`,
                e.tenant_id,
                user.user_id,
                e.alert_id,
                rows[0]!.id,
              ],
            );
            mailed += inserted.rowCount ?? 0;
          }
        }
        // A dispatcher whose snapshot predates another's commit may take the same event once its lock is gone:
        // the unique keys above make its inserts no-ops, and this one must not fail its whole round.
        await c.query(
          "INSERT INTO notification_dispatches (alert_event_id, tenant_id) VALUES ($1, $2) ON CONFLICT DO NOTHING",
          [e.id, e.tenant_id],
        );
      }
      for (const key of touched) {
        const [tenantId, userId] = key.split("|");
        await c.query("SELECT pg_notify('app_events', $1)", [
          JSON.stringify({ k: `${NOTIFICATION_TOPIC}:${tenantId}`, a: [{ tenantId, userId }] }),
        ]);
      }
      if (mailed > 0) this.options.kickMail?.();
      return events.length;
    });
  }

  /** Sends each due daily digest: one message per user per local day with what was held for it. */
  async digests(now: Date): Promise<number> {
    const { rows: due } = await this.owner.query<RecipientRow & { tenant_id: string }>(
      `SELECT DISTINCT n.tenant_id, n.user_id FROM notifications n WHERE n.email_state = 'DIGEST'`,
    );
    let sent = 0;
    for (const { tenant_id: tenantId, user_id: userId } of due) {
      sent += await this.inTransaction(async (c) => {
        const { rows } = await c.query<RecipientRow>(`${RECIPIENTS} AND m.user_id = $2 FOR UPDATE OF m`, [
          tenantId,
          userId,
        ]);
        const user = rows[0];
        if (!user) return 0;
        const prefs = preferencesOf(user);
        if (!digestDue(prefs, user.last_digest_at, now)) return 0;
        const { rows: held } = await c.query<{ id: string; priority: string; title: string }>(
          `UPDATE notifications SET email_state = 'DIGESTED'
            WHERE tenant_id = $1 AND user_id = $2 AND email_state = 'DIGEST'
            RETURNING id, priority::text, title`,
          [tenantId, userId],
        );
        await c.query(
          "UPDATE notification_preferences SET last_digest_at = $3 WHERE tenant_id = $1 AND user_id = $2",
          [tenantId, userId, now],
        );
        if (held.length === 0) return 0;
        const lines = held.map((n) => `- [${n.priority}] ${n.title}`).join("\n");
        await c.query(
          `INSERT INTO mail_outbox (kind, to_address, subject, body, dedupe_key, tenant_id, recipient_user_id)
           VALUES ('DIGEST', $1, $2, $3, $4, $5, $6) ON CONFLICT (dedupe_key) DO NOTHING`,
          [
            user.email,
            `Your alerts digest: ${held.length} new`,
            `${lines}\n\nOpen the alerts: ${this.options.publicUrl}/alerts\n`,
            `digest:${tenantId}:${userId}:${localTime(now, prefs.timeZone).date}`,
            tenantId,
            userId,
          ],
        );
        this.options.kickMail?.();
        return 1;
      });
    }
    return sent;
  }

  stop(): Promise<void> {
    return this.loop.stop();
  }
}
