import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createOwnerPool } from "../src/platform/db";
import { startTestServer, type TestServer } from "./app";
import { createTenant } from "./factories";
import { bodyOf, startMailbox } from "./mailbox";

describe("email through SMTP", () => {
  let server: TestServer;
  let mailbox: Awaited<ReturnType<typeof startMailbox>>;
  const outbox = async () =>
    (
      await server.app.ownerPool.query(
        `SELECT kind, to_address, status, attempts, last_error, body IS NULL AS cleared FROM mail_outbox
          ORDER BY created_at`,
      )
    ).rows;
  const waitFor = async (check: () => Promise<boolean> | boolean, what: string) => {
    const until = Date.now() + 20_000;
    while (!(await check())) {
      if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  };

  beforeAll(async () => {
    mailbox = await startMailbox();
    server = await startTestServer(async (dbUrl) => {
      const pool = createOwnerPool(dbUrl);
      await createTenant(pool, "demo");
      await pool.end();
      return { SMTP_URL: mailbox.url, MAIL_FROM: "Inventory Sync <no-reply@shop.test>" };
    });
  });
  afterAll(async () => {
    await server?.close();
    await mailbox?.close();
  });

  it("mails an invitation once, with a link that opens the team, and keeps no copy of the link", async () => {
    const owner = await server.as("demo");
    const res = await server.gql(
      `mutation { inviteMember(input: { email: "kim@shop.test", role: EDITOR }) { signUpUrl emailed userErrors { code } } }`,
      {},
      owner,
    );
    const url = res.data!.inviteMember.signUpUrl as string;
    expect(res.data!.inviteMember.userErrors).toEqual([]);
    expect(res.data!.inviteMember.emailed).toBe(true);
    await waitFor(() => mailbox.received.length === 1, "the invitation");
    const [mail] = mailbox.received;
    expect(mail!.to).toEqual(["kim@shop.test"]);
    expect(mail!.from).toBe("no-reply@shop.test");
    expect(mail!.raw).toMatch(/^Subject: You are invited to Inventory Sync/m);
    expect(mail!.raw).toMatch(/^Message-ID: <[0-9a-f-]{36}@shop\.test>/im);
    expect(bodyOf(mail!.raw)).toContain(url);
    await waitFor(async () => (await outbox())[0]?.status === "SENT", "the outbox row");
    expect(await outbox()).toEqual([
      {
        kind: "INVITATION",
        to_address: "kim@shop.test",
        status: "SENT",
        attempts: 1,
        last_error: null,
        cleared: true,
      },
    ]);

    // The link from the mailbox works.
    const token = new URL(url).hash.replace("#token=", "");
    const joined = await server.gql(
      `mutation($t: String!) { acceptInvitation(input: { token: $t, name: "Kim", password: "a long enough password" }) { accessToken userErrors { code } } }`,
      { t: token },
    );
    expect(joined.data!.acceptInvitation.userErrors).toEqual([]);
  });

  it("retries a message the mail server refuses, with the error kept, and delivers it once", async () => {
    mailbox.refuseNext(1);
    const before = mailbox.received.length;
    const res = await server.gql(`mutation { requestPasswordReset(email: "kim@shop.test") { ok } }`);
    expect(res.data!.requestPasswordReset.ok).toBe(true);
    await waitFor(
      async () => (await outbox()).some((r) => r.kind === "PASSWORD_RESET" && r.attempts === 1),
      "a try",
    );
    const failed = (await outbox()).find((r) => r.kind === "PASSWORD_RESET")!;
    expect(failed).toMatchObject({ status: "PENDING", attempts: 1, cleared: false });
    expect(failed.last_error).toMatch(/451|busy/i);
    expect(mailbox.received.length).toBe(before);

    // The next attempt is due 15 s later; bring it forward instead of waiting.
    await server.app.ownerPool.query(
      "UPDATE mail_outbox SET next_attempt_at = now() WHERE status = 'PENDING'",
    );
    await waitFor(() => mailbox.received.length === before + 1, "the retried reset mail");
    await waitFor(
      async () => (await outbox()).find((r) => r.kind === "PASSWORD_RESET")?.status === "SENT",
      "the sent row",
    );
    expect((await outbox()).find((r) => r.kind === "PASSWORD_RESET")).toMatchObject({
      status: "SENT",
      attempts: 2,
      cleared: true,
    });
    expect(bodyOf(mailbox.received.at(-1)!.raw)).toMatch(/\/reset-password#token=[A-Za-z0-9_-]{43}/);
    // Nothing more arrives: one message per request.
    await new Promise((r) => setTimeout(r, 2_500));
    expect(mailbox.received.length).toBe(before + 1);
  });
});
