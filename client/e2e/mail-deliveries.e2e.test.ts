import path from "node:path";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { seedTenant } from "../../server/src/modules/catalog/demo/seed";
import { createOwnerPool } from "../../server/src/platform/db";
import { startTestServer, type TestServer } from "../../server/test/app";
import { memberWithPassword } from "../../server/test/auth";
import { startMailbox } from "../../server/test/mailbox";
import { launchChromium, requireBuiltClient, signIn } from "./browser";

/** Set to a folder to keep a screenshot of each step there (they are never committed). */
const SCREENSHOTS = process.env.E2E_SCREENSHOTS;

describe("the email delivery log on the settings page in a real browser", () => {
  let server: TestServer;
  let mailbox: Awaited<ReturnType<typeof startMailbox>>;
  let browser: Browser;
  const contexts: BrowserContext[] = [];

  async function freshPage(width = 1280): Promise<Page> {
    const context = await browser.newContext({ viewport: { width, height: 900 } });
    contexts.push(context);
    return context.newPage();
  }
  const shot = async (page: Page, name: string) => {
    if (SCREENSHOTS)
      await page.screenshot({ path: path.join(SCREENSHOTS, `mail-${name}.png`), fullPage: true });
  };
  const log = (page: Page) => page.getByRole("region", { name: "Email deliveries" });

  beforeAll(async () => {
    requireBuiltClient();
    mailbox = await startMailbox();
    server = await startTestServer(async (dbUrl) => {
      const pool = createOwnerPool(dbUrl);
      try {
        await seedTenant(pool, { slug: "demo", name: "Demo Store", skus: 10 });
      } finally {
        await pool.end();
      }
      return { SMTP_URL: mailbox.url, MAIL_FROM: "Inventory Sync <no-reply@shop.test>" };
    });
    browser = await launchChromium();
  });
  afterEach(async (context) => {
    const page = contexts.at(-1)?.pages().at(-1);
    if (SCREENSHOTS && page && context.task.result?.state === "fail") await shot(page, "failed");
  });
  afterAll(async () => {
    for (const context of contexts) await context.close();
    await browser?.close();
    await server?.close();
    await mailbox?.close();
  });

  it("shows an invitation the owner sends in the log as SENT, in a table on a desktop and in cards at 390 px", async () => {
    const page = await freshPage();
    await signIn(page, `${server.url}/team`, await memberWithPassword(server.app, "demo", "OWNER"));
    const form = page.getByRole("form", { name: "Invite a member" });
    await form.getByLabel("Email").fill("kim@people.test");
    await form.getByLabel("Role").selectOption("EDITOR");
    await form.getByRole("button", { name: "Invite" }).click();
    await expect.poll(() => mailbox.received.length, { timeout: 20_000 }).toBe(1);

    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Settings" }).click();
    const rows = log(page).getByTestId("mail-delivery");
    await rows.first().waitFor();
    // The row may still have been PENDING when the page asked: Refresh until the sender's commit shows.
    await expect
      .poll(
        async () => {
          if ((await rows.first().getAttribute("data-status")) !== "SENT")
            await log(page).getByRole("button", { name: "Refresh" }).click();
          return rows.first().getAttribute("data-status");
        },
        { timeout: 20_000 },
      )
      .toBe("SENT");
    expect(await rows.count()).toBe(1);
    const cells = await rows.first().locator("td").allTextContents();
    expect(cells.slice(0, 5)).toEqual([
      "Sent",
      "Invitation",
      "kim@people.test",
      "You are invited to Inventory Sync",
      "1",
    ]);
    expect(cells[5]).toBe("—");
    expect(await log(page).getByRole("navigation", { name: "Pagination" }).textContent()).toContain(
      "1–1 of 1",
    );
    await shot(page, "desktop");

    await page.setViewportSize({ width: 390, height: 844 });
    await expect
      .poll(() => page.evaluate(() => document.documentElement.scrollWidth))
      .toBeLessThanOrEqual(390);
    expect(await log(page).locator("thead").isVisible()).toBe(false);
    expect(await rows.first().getByText("kim@people.test").isVisible()).toBe(true);
    await shot(page, "phone");
  });

  it("follows a message the mail server refused from PENDING to SENT while the page stays open", async () => {
    const page = await freshPage();
    await signIn(page, `${server.url}/team`, await memberWithPassword(server.app, "demo", "OWNER"));
    mailbox.refuseNext(1);
    const form = page.getByRole("form", { name: "Invite a member" });
    await form.getByLabel("Email").fill("lee@people.test");
    await form.getByLabel("Role").selectOption("VIEWER");
    await form.getByRole("button", { name: "Invite" }).click();
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Settings" }).click();
    const row = log(page).getByTestId("mail-delivery").filter({ hasText: "lee@people.test" });
    // Refused once: pending, with the attempt and the server's reply, and the page says it keeps looking.
    const cells = row.locator("td");
    await expect.poll(() => cells.nth(4).textContent(), { timeout: 20_000 }).toBe("1");
    expect(await row.getAttribute("data-status")).toBe("PENDING");
    expect(await cells.nth(5).textContent()).toMatch(/451 .*Mailbox busy, try later/);
    expect(await log(page).locator("p.muted").first().textContent()).toContain(
      "Pending messages are checked again every 5 seconds.",
    );
    await shot(page, "pending");
    // The retry is due 15 s later; bring it forward. Nobody clicks Refresh: the page asks again by itself.
    await server.app.ownerPool.query(
      "UPDATE mail_outbox SET next_attempt_at = now() WHERE status = 'PENDING'",
    );
    await expect.poll(() => row.getAttribute("data-status"), { timeout: 20_000 }).toBe("SENT");
    expect(await cells.nth(4).textContent()).toBe("2");
    expect(await log(page).locator("p.muted").first().textContent()).not.toContain("Pending messages");

    // The filters ask the server: nothing is pending any more, and every invitation was sent.
    await log(page).getByLabel("Status filter").selectOption("PENDING");
    await log(page).getByTestId("mail-deliveries-empty").waitFor();
    expect(await log(page).getByTestId("mail-deliveries-empty").textContent()).toBe(
      "No email matches these filters.",
    );
    await log(page).getByLabel("Status filter").selectOption("SENT");
    await log(page).getByLabel("Kind filter").selectOption("INVITATION");
    await row.waitFor();
    const shown = await log(page)
      .getByTestId("mail-delivery")
      .evaluateAll((rows) => rows.map((r) => [r.getAttribute("data-status"), r.children[1]?.textContent]));
    expect(new Set(shown.map(([status, kind]) => `${status} ${kind}`))).toEqual(new Set(["SENT Invitation"]));
    await log(page).getByLabel("Kind filter").selectOption("PASSWORD_RESET");
    await log(page).getByTestId("mail-deliveries-empty").waitFor();
  });

  it("shows a viewer an empty log, a skeleton while it loads and a failed request with its code", async () => {
    const page = await freshPage(390);
    let release = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    let answered = 0;
    await page.route("**/graphql", async (route) => {
      const body = route.request().postDataJSON() as { query?: string } | null;
      if (!/query MailDeliveries\b/.test(body?.query ?? "")) return route.continue();
      answered++;
      if (answered === 1) {
        await held;
        return route.fulfill({
          status: 200,
          contentType: "application/json",
          body: JSON.stringify({
            data: null,
            errors: [{ message: "`after` is not a valid cursor", extensions: { code: "INVALID_CURSOR" } }],
          }),
        });
      }
      return route.continue();
    });
    await signIn(page, `${server.url}/settings`, await memberWithPassword(server.app, "demo", "VIEWER"));
    await log(page).getByRole("progressbar", { name: "Loading email deliveries" }).waitFor();
    release();
    const failure = log(page).getByRole("alert");
    await failure.waitFor();
    expect(await failure.locator(".error-code").textContent()).toBe("INVALID_CURSOR");
    await failure.getByRole("button", { name: "Try again" }).click();
    await log(page).getByTestId("mail-deliveries-empty").waitFor();
    expect(await log(page).getByTestId("mail-deliveries-empty").textContent()).toBe(
      "No email has been sent yet.",
    );
    expect(await log(page).getByTestId("mail-delivery").count()).toBe(0);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await shot(page, "empty");
  });
});
