import nodemailer, { type Transporter } from "nodemailer";
import type pg from "pg";
import type { MailKind } from "../../generated/prisma/enums";
import { PollLoop } from "../../platform/poll-loop";
import { sanitizeMailError } from "./mail.rules";

export interface OutgoingMail {
  /** What the message is for, in the delivery log. */
  kind: MailKind;
  to: string;
  subject: string;
  text: string;
  /** The tenant whose delivery log shows it; null for none (a password reset belongs to a user, not a tenant). */
  tenantId?: string | null;
  /** The user it is addressed to, who sees it in their delivery log; null when there is none yet (an invitee). */
  recipientUserId?: string | null;
}

/** Attempts before a message is given up (about two hours of backoff in all). */
const MAX_ATTEMPTS = 8;
const BASE_DELAY_S = 15;
/** Messages one round sends at most; the next round starts at once while rounds come back full. */
const ROUND = 20;

/** The delay before attempt `attempts + 1`: 15 s, 30 s, 1 min, … capped at an hour. */
export function retryDelaySeconds(attempts: number): number {
  return Math.min(3600, BASE_DELAY_S * 2 ** Math.max(0, attempts - 1));
}

/** Writes a message to the outbox; the sender picks it up within a moment. */
export async function enqueueMail(owner: pg.Pool, mail: OutgoingMail): Promise<string> {
  const { rows } = await owner.query<{ id: string }>(
    `INSERT INTO mail_outbox (kind, to_address, subject, body, tenant_id, recipient_user_id)
     VALUES ($1::"MailKind", $2, $3, $4, $5, $6) RETURNING id`,
    [mail.kind, mail.to, mail.subject, mail.text, mail.tenantId ?? null, mail.recipientUserId ?? null],
  );
  return rows[0]!.id;
}

/**
 * Sends the outbox through SMTP (`SMTP_URL`, nodemailer). Each message is claimed with its row locked
 * (`FOR UPDATE SKIP LOCKED`) for the length of its send, so two processes never send one message at once, and
 * marked SENT in the same transaction. A process that dies mid-send leaves the row PENDING and it is sent again,
 * with the same Message-ID (`<outbox id@host>`): delivery is at least once, a duplicate recognisable as such.
 * Failures are retried with backoff; after 8 attempts the message is FAILED with its last error.
 */
export class MailSender {
  private readonly transport: Transporter;
  private readonly domain: string;
  private readonly loop: PollLoop;

  constructor(
    private readonly owner: pg.Pool,
    private readonly options: {
      smtpUrl: string;
      from: string;
      everyMs?: number;
      log: { warn(o: object, m: string): void; info(o: object, m: string): void };
    },
  ) {
    this.transport = nodemailer.createTransport(options.smtpUrl);
    this.domain = options.from.split("@")[1]?.replace(/>.*$/, "") || "localhost";
    this.loop = new PollLoop({
      everyMs: options.everyMs ?? 2_000,
      work: async (stopped) => {
        while (!stopped() && (await this.round()) === ROUND) {}
      },
      onError: (error) => options.log.warn({ err: error }, "mail outbox round failed; it runs again shortly"),
    });
  }

  start() {
    this.loop.start();
  }

  /** Sends what is due now (also called right after a message is written). */
  kick(): Promise<void> {
    return this.loop.kick();
  }

  /** Sends up to ROUND due messages, one transaction each; returns how many it took. */
  private async round(): Promise<number> {
    let taken = 0;
    for (; taken < ROUND; taken++) {
      const client = await this.owner.connect();
      try {
        await client.query("BEGIN");
        const { rows } = await client.query<{
          id: string;
          to_address: string;
          subject: string;
          body: string;
          attempts: number;
        }>(
          `SELECT id, to_address, subject, body, attempts FROM mail_outbox
            WHERE status = 'PENDING' AND next_attempt_at <= now()
            ORDER BY next_attempt_at LIMIT 1 FOR UPDATE SKIP LOCKED`,
        );
        const mail = rows[0];
        if (!mail) {
          await client.query("COMMIT");
          return taken;
        }
        const attempts = mail.attempts + 1;
        try {
          await this.transport.sendMail({
            from: this.options.from,
            to: mail.to_address,
            subject: mail.subject,
            text: mail.body,
            messageId: `<${mail.id}@${this.domain}>`,
          });
          await client.query(
            `UPDATE mail_outbox SET status = 'SENT', attempts = $2, sent_at = now(), body = NULL, last_error = NULL
              WHERE id = $1`,
            [mail.id, attempts],
          );
        } catch (error) {
          // The delivery log shows it to the tenant: never the SMTP URL's password, a link or a stack.
          const reason = sanitizeMailError(error);
          const givenUp = attempts >= MAX_ATTEMPTS;
          await client.query(
            `UPDATE mail_outbox SET attempts = $2, last_error = $3, status = $4,
                    body = CASE WHEN $4 = 'FAILED' THEN NULL ELSE body END,
                    next_attempt_at = now() + make_interval(secs => $5)
              WHERE id = $1`,
            [mail.id, attempts, reason, givenUp ? "FAILED" : "PENDING", retryDelaySeconds(attempts)],
          );
          this.options.log.warn(
            { mailId: mail.id, attempts, error: reason },
            givenUp ? "email given up" : "email not sent; retrying later",
          );
        }
        await client.query("COMMIT");
      } catch (error) {
        await client.query("ROLLBACK").catch(() => {});
        throw error;
      } finally {
        client.release();
      }
    }
    return taken;
  }

  async stop() {
    await this.loop.stop();
    this.transport.close();
  }
}
