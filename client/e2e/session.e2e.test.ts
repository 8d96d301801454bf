import path from "node:path";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { seedTenant } from "../../server/src/modules/catalog/demo/seed";
import { createOwnerPool } from "../../server/src/platform/db";
import { startTestServer, type TestServer } from "../../server/test/app";
import { memberWithPassword } from "../../server/test/auth";
import { launchChromium, requireBuiltClient, signIn } from "./browser";

/** Set to a folder to keep a screenshot of each step there (they are never committed). */
const SCREENSHOTS = process.env.E2E_SCREENSHOTS;

describe("signing in to the dashboard in a real browser", () => {
  let server: TestServer;
  let browser: Browser;
  const contexts: BrowserContext[] = [];

  async function freshPage(): Promise<Page> {
    const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    contexts.push(context);
    return context.newPage();
  }
  const total = (page: Page, count: number) =>
    page.locator(`[data-testid='inventory-total'][data-count='${count}']`).waitFor();
  const signInForm = (page: Page) => page.getByRole("form", { name: "Sign in" });

  beforeAll(async () => {
    requireBuiltClient();
    server = await startTestServer(async (dbUrl) => {
      const pool = createOwnerPool(dbUrl);
      try {
        await seedTenant(pool, { slug: "demo", name: "Demo Store", skus: 40 });
        await seedTenant(pool, { slug: "acme", name: "Acme Outdoor", skus: 25 });
      } finally {
        await pool.end();
      }
    });
    browser = await launchChromium();
  });

  afterEach(async (context) => {
    const page = contexts.at(-1)?.pages().at(-1);
    if (SCREENSHOTS && page && context.task.result?.state === "fail")
      await page.screenshot({
        path: path.join(SCREENSHOTS, `session-failed-${context.task.name.slice(0, 30)}.png`),
      });
  });

  afterAll(async () => {
    for (const context of contexts) await context.close();
    await browser?.close();
    await server?.close();
  });

  it("refuses a wrong password with its code, then signs in and keeps the session over a reload", async () => {
    const owner = await memberWithPassword(server.app, "demo", "OWNER");
    const page = await freshPage();
    await page.goto(`${server.url}/inventory`);
    const form = signInForm(page);
    await form.getByLabel("Email").fill(owner.email);
    await form.getByLabel("Password").fill("not the password");
    await form.getByRole("button", { name: "Sign in" }).click();
    await expect.poll(() => form.getByRole("alert").getAttribute("data-code")).toBe("INVALID_CREDENTIALS");
    expect(await form.getByLabel("Password").inputValue()).toBe("");

    await form.getByLabel("Password").fill(owner.password);
    await form.getByRole("button", { name: "Sign in" }).click();
    await total(page, 40);
    expect(await page.getByTestId("signed-in-as").textContent()).toBe(`${owner.name}Owner`);
    expect(await page.getByTestId("tenant-name").textContent()).toBe("Demo Store");
    if (SCREENSHOTS) await page.screenshot({ path: path.join(SCREENSHOTS, "session-signed-in.png") });

    // The access token lives in memory only; the refresh cookie is httpOnly and brings the session back.
    const stored = await page.evaluate(() => JSON.stringify({ ...localStorage, ...sessionStorage }));
    expect(stored).not.toMatch(/ey[A-Za-z0-9_-]{10,}\./);
    expect(await page.evaluate(() => document.cookie)).toBe("");
    await page.reload();
    await total(page, 40);
    expect(await signInForm(page).count()).toBe(0);
  });

  it("shows a viewer the sync page without the controls their role may not use", async () => {
    const viewer = await memberWithPassword(server.app, "demo", "VIEWER");
    const page = await freshPage();
    await signIn(page, server.url, viewer);
    expect(await page.getByTestId("signed-in-as").textContent()).toContain("Viewer");
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Sync" }).click();
    await page.getByTestId("read-only").waitFor();
    expect(await page.getByRole("button", { name: /start/i }).count()).toBe(0);
  });

  it("switches between the tenants a user belongs to, each with its own data", async () => {
    const person = await memberWithPassword(server.app, "demo", "EDITOR", "both");
    await memberWithPassword(server.app, "acme", "VIEWER", "both");
    const page = await freshPage();
    await signIn(page, server.url, person);
    const tenant = page.getByRole("combobox", { name: "Tenant" });
    await total(page, 40);
    expect(await tenant.inputValue()).toBe("demo");
    await tenant.selectOption("acme");
    await total(page, 25);
    expect(await page.getByTestId("signed-in-as").textContent()).toContain("Viewer");
    // The choice is the browser's: it stays after a reload.
    await page.reload();
    await total(page, 25);
    expect(await page.getByRole("combobox", { name: "Tenant" }).inputValue()).toBe("acme");
  });

  it("signs out for good: a reload shows the sign-in form, and the old refresh cookie opens nothing", async () => {
    const owner = await memberWithPassword(server.app, "demo", "OWNER", "leaving");
    const page = await freshPage();
    await signIn(page, server.url, owner);
    const cookies = await page.context().cookies();
    expect(cookies.find((c) => c.name === "isync_refresh")).toMatchObject({
      httpOnly: true,
      sameSite: "Strict",
    });

    await page.getByRole("button", { name: "Sign out" }).click();
    await signInForm(page).waitFor();
    expect(await page.getByText("You are signed out.").count()).toBe(1);
    await page.reload();
    await signInForm(page).waitFor();

    // The cookie from before signing out, replayed by hand: the session it belonged to has ended.
    const replay = await page.context().newPage();
    await replay.context().addCookies(cookies);
    await replay.goto(server.url);
    await signInForm(replay).waitFor();
  });

  it("tells a user removed from their last team so, and falls back when a remembered tenant is gone", async () => {
    const person = await memberWithPassword(server.app, "demo", "EDITOR", "removed");
    await memberWithPassword(server.app, "acme", "EDITOR", "removed");
    const page = await freshPage();
    await signIn(page, server.url, person);
    await page.getByRole("combobox", { name: "Tenant" }).selectOption("acme");
    await total(page, 25);

    const removeFrom = async (slug: string) => {
      const { rows } = await server.app.ownerPool.query<{ user_id: string }>(
        `DELETE FROM memberships WHERE user_id = (SELECT id FROM users WHERE email = $1)
            AND tenant_id = (SELECT id FROM tenants WHERE slug = $2) RETURNING user_id`,
        [person.email, slug],
      );
      server.app.services.authenticator.forget({ userId: rows[0]!.user_id });
    };
    await removeFrom("acme");
    await page.reload();
    await total(page, 40);
    expect(await page.getByTestId("tenant-name").textContent()).toBe("Demo Store");

    await removeFrom("demo");
    await page.reload();
    await page.getByRole("heading", { name: "No team yet" }).waitFor();
    await page.getByRole("button", { name: "Sign out" }).click();
    await signInForm(page).waitFor();
  });
});
