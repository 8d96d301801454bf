import path from "node:path";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { seedTenant } from "../../server/src/modules/catalog/demo/seed";
import { createOwnerPool } from "../../server/src/platform/db";
import { startTestServer, type TestServer } from "../../server/test/app";
import { memberWithPassword } from "../../server/test/auth";
import { launchChromium, requireBuiltClient, signIn, toastShown } from "./browser";

/** Set to a folder to keep a screenshot of each page there (they are never committed). */
const SCREENSHOTS = process.env.E2E_SCREENSHOTS;
const SKUS = 40;

interface Delivered {
  to: string;
  subject: string;
  url: string;
}

/** The answer of one GraphQL call made as a partner would: plain fetch, the key as a Bearer token. */
async function withKey(url: string, secret: string, query: string) {
  const res = await fetch(`${url}/graphql`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      accept: "application/graphql-response+json, application/json",
      authorization: `Bearer ${secret}`,
    },
    body: JSON.stringify({ query }),
  });
  const body = (await res.json()) as {
    data?: { inventory?: { totalCount: number } };
    errors?: { extensions?: { code?: string } }[];
  };
  return { status: res.status, data: body.data, code: body.errors?.[0]?.extensions?.code };
}

const INVENTORY = "{ inventory(first: 5) { totalCount nodes { sku } } }";
const WRITE = `mutation { bulkUpdateInventory(input: { updates: [{ sku: "X", quantity: 1 }], dryRun: true }) {
  userErrors { code } } }`;

describe("team and API key pages in a real browser", () => {
  let server: TestServer;
  let browser: Browser;
  /** The owner's page, signed in once for every test (sign-ins from one address are rate limited). */
  let owner: Page;
  const contexts: BrowserContext[] = [];
  const delivered: Delivered[] = [];
  const pageErrors: string[] = [];

  async function freshPage(): Promise<Page> {
    const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    contexts.push(context);
    const page = await context.newPage();
    page.on("pageerror", (error) => pageErrors.push(error.message));
    return page;
  }
  async function screenshot(page: Page, name: string) {
    if (SCREENSHOTS)
      await page.screenshot({
        path: path.join(SCREENSHOTS, `team-${name}.png`),
        fullPage: true,
        animations: "disabled",
      });
  }
  const nav = (page: Page) => page.getByRole("navigation", { name: "Main" });
  /** A link the server made, opened on this test server (its PUBLIC_URL is not the random port listened on). */
  const onServer = (link: string) => {
    const shown = new URL(link);
    return `${server.url}${shown.pathname}${shown.hash}`;
  };

  beforeAll(async () => {
    requireBuiltClient();
    server = await startTestServer(
      async (dbUrl) => {
        const pool = createOwnerPool(dbUrl);
        try {
          await seedTenant(pool, { slug: "demo", name: "Demo Store", skus: SKUS });
        } finally {
          await pool.end();
        }
      },
      { deliver: async (message) => void delivered.push(message) },
    );
    browser = await launchChromium();
    owner = await freshPage();
    await signIn(owner, server.url, await memberWithPassword(server.app, "demo", "OWNER"));
  });

  // Every sign-in, invitation and reset here comes from 127.0.0.1: each test starts with that address's budget full.
  beforeEach(async () => {
    await server.app.ownerPool.query("DELETE FROM rate_buckets WHERE key LIKE 'sign-in:%'");
  });

  afterEach(async (context) => {
    if (context.task.result?.state !== "fail") return;
    for (const [i, c] of contexts.entries()) {
      const page = c.pages().at(-1);
      if (page) await screenshot(page, `failed-${context.task.name.slice(0, 30)}-${i}`);
    }
  });

  afterAll(async () => {
    for (const context of contexts) await context.close();
    await browser?.close();
    await server?.close();
  });

  it("creates a read-only API key, shows its secret once, and revoking it locks it out", async () => {
    await nav(owner).getByRole("link", { name: "API keys" }).click();
    const form = owner.getByRole("form", { name: "Create an API key" });
    await form.getByLabel("Name").fill("Partner feed");

    // No scope chosen: refused before any request, beside the scopes.
    await form.getByRole("button", { name: "Create key" }).click();
    await form.locator(".field-error[data-code='REQUIRED']").waitFor();

    await form.getByRole("checkbox", { name: "read_inventory", exact: true }).check();
    await form.getByRole("button", { name: "Create key" }).click();
    const secretBox = owner.getByTestId("api-key-secret");
    await secretBox.waitFor();
    const secret = await secretBox.inputValue();
    expect(secret).toMatch(/^isk_/);
    await toastShown(owner, "success", /^Key "Partner feed" created/);
    expect(await owner.getByRole("alert").filter({ hasText: "shown only once" }).count()).toBe(1);
    const row = owner.locator("tr[data-name='Partner feed']");
    await row.waitFor();
    expect(await row.getAttribute("data-status")).toBe("ACTIVE");
    expect(await row.locator(".scope-tag").allTextContents()).toEqual(["read_inventory"]);
    // The list shows the key's prefix, never the secret.
    expect(await owner.locator("table[aria-label='API keys']").textContent()).not.toContain(secret);
    await screenshot(owner, "api-keys-created");

    const read = await withKey(server.url, secret, INVENTORY);
    expect(read.code).toBeUndefined();
    expect(read.data?.inventory?.totalCount).toBe(SKUS);
    expect((await withKey(server.url, secret, WRITE)).code).toBe("FORBIDDEN");

    // Dismissed, the secret is gone from the page for good.
    await owner.getByRole("button", { name: "I have copied it" }).click();
    expect(await owner.getByTestId("api-key-secret").count()).toBe(0);

    await row.getByRole("button", { name: "Revoke" }).click();
    await row.getByText("Whatever uses it stops working").waitFor();
    await row.getByRole("button", { name: "Revoke" }).click();
    await owner.locator("tr[data-name='Partner feed'][data-status='REVOKED']").waitFor();
    await toastShown(owner, "success", /^Key revoked/);
    expect(await row.getByRole("button", { name: "Revoke" }).count()).toBe(0);
    await screenshot(owner, "api-keys-revoked");

    // Verification is cached for a few seconds in each process: refused within them.
    await expect
      .poll(async () => (await withKey(server.url, secret, INVENTORY)).code, {
        timeout: 15_000,
        interval: 500,
      })
      .toBe("UNAUTHENTICATED");
  });

  it("invites a member, who opens the link in another browser and arrives signed in with that role", async () => {
    await nav(owner).getByRole("link", { name: "Team" }).click();
    const form = owner.getByRole("form", { name: "Invite a member" });
    await form.getByLabel("Email").fill("new.editor@people.test");
    await form.getByLabel("Role").selectOption("EDITOR");
    await form.getByRole("button", { name: "Invite" }).click();
    const linkBox = owner.getByTestId("invitation-link");
    await linkBox.waitFor();
    const link = await linkBox.inputValue();
    expect(new URL(link).pathname).toBe("/accept-invitation");
    expect(new URL(link).hash).toMatch(/^#token=[A-Za-z0-9_-]{43}$/);
    expect(await owner.getByText("This server sends no email, so no message was sent").count()).toBe(1);
    await owner.locator("tr[data-email='new.editor@people.test']").waitFor();
    await screenshot(owner, "team-invited");

    // An address already on the team: refused beside the email field, with its code.
    const self = await owner.getByTestId("signed-in-as").getAttribute("title");
    await form.getByLabel("Email").fill(self!);
    await form.getByRole("button", { name: "Invite" }).click();
    await form.locator(".field-error[data-code='ALREADY_MEMBER']").waitFor();
    expect(await form.locator(".field-error[data-code='ALREADY_MEMBER'] .error-code").textContent()).toBe(
      "ALREADY_MEMBER",
    );

    const invitee = await freshPage();
    await invitee.goto(onServer(link));
    const accept = invitee.getByRole("form", { name: "Join the team" });
    await accept.getByLabel("Your name").fill("Nadia Editor");
    await accept.getByLabel("Password").fill("short");
    await accept.getByRole("button", { name: "Join and sign in" }).click();
    await accept.locator(".field-error[data-code='INVALID_PASSWORD']").waitFor();
    await screenshot(invitee, "accept-invitation-error");

    await accept.getByLabel("Password").fill("a long enough password");
    await accept.getByRole("button", { name: "Join and sign in" }).click();
    await invitee.getByTestId("signed-in-as").waitFor();
    expect(await invitee.getByTestId("signed-in-as").textContent()).toBe("Nadia EditorEditor");
    expect(new URL(invitee.url()).pathname).toBe("/inventory");
    expect(new URL(invitee.url()).hash).toBe("");
    await invitee.locator(`[data-testid='inventory-total'][data-count='${SKUS}']`).waitFor();
    // An editor's nav has no Team or API keys.
    expect(await nav(invitee).getByRole("link", { name: "Team" }).count()).toBe(0);
    // The owner's page: the invitation is now a member.
    await owner.reload();
    await owner.locator("tr[data-email='new.editor@people.test'][data-role='EDITOR']").waitFor();
    expect(await owner.locator("table[aria-label='Pending invitations'] tr[data-email]").count()).toBe(0);
  });

  it("revokes a pending invitation, changes a member's role and removes a member", async () => {
    const member = await memberWithPassword(server.app, "demo", "VIEWER", "promoted");
    const leaving = await memberWithPassword(server.app, "demo", "VIEWER", "leaving");
    await owner.goto(`${server.url}/team`);
    const form = owner.getByRole("form", { name: "Invite a member" });
    await form.getByLabel("Email").fill("never.joins@people.test");
    await form.getByRole("button", { name: "Invite" }).click();
    const pending = owner.locator("tr[data-email='never.joins@people.test']");
    await pending.waitFor();
    const link = await owner.getByTestId("invitation-link").inputValue();
    await pending.getByRole("button", { name: "Revoke" }).click();
    await pending.getByRole("button", { name: "Revoke" }).click();
    await pending.waitFor({ state: "detached" });

    const row = owner.locator(`tr[data-email='${member.email}']`);
    await row.getByLabel(`Role of ${member.name}`).selectOption("ADMIN");
    await screenshot(owner, "team-role-change");
    await row.getByRole("button", { name: "Save role" }).click();
    await owner.locator(`tr[data-email='${member.email}'][data-role='ADMIN']`).waitFor();
    expect(await row.getByRole("button", { name: "Save role" }).count()).toBe(0);

    const gone = owner.locator(`tr[data-email='${leaving.email}']`);
    await gone.getByRole("button", { name: "Remove" }).click();
    await gone.getByText(`Remove ${leaving.name}?`).waitFor();
    await gone.getByRole("button", { name: "Remove" }).click();
    await gone.waitFor({ state: "detached" });

    // What the page showed is what the server holds.
    const { data } = await server.gql("{ teamMembers { role user { email } } invitations { email } }");
    const roles = Object.fromEntries(
      (data!.teamMembers as { role: string; user: { email: string } }[]).map((m) => [m.user.email, m.role]),
    );
    expect(roles[member.email]).toBe("ADMIN");
    expect(roles[leaving.email]).toBeUndefined();
    expect(data!.invitations.map((i: { email: string }) => i.email)).not.toContain("never.joins@people.test");

    // The revoked invitation's link opens nothing.
    const late = await freshPage();
    await late.goto(onServer(link));
    const accept = late.getByRole("form", { name: "Join the team" });
    await accept.getByLabel("Your name").fill("Too Late");
    await accept.getByLabel("Password").fill("a long enough password");
    await accept.getByRole("button", { name: "Join and sign in" }).click();
    await accept.locator(".field-error[data-code='INVALID_TOKEN']").waitFor();

    // An admin may not hand out ownership: the refusal shows beside the role picker, with its code.
    const admin = await freshPage();
    await signIn(admin, server.url, member);
    await admin.goto(`${server.url}/team`);
    const other = admin.locator("tr[data-email='new.editor@people.test']");
    await other.getByLabel("Role of Nadia Editor").selectOption("OWNER");
    await other.getByRole("button", { name: "Save role" }).click();
    await other.locator(".field-error[data-code='ROLE_NOT_ALLOWED']").waitFor();
    await screenshot(admin, "team-role-refused");
  });

  it("shows a viewer neither the Team nor the API keys pages, nor their nav entries", async () => {
    const viewer = await memberWithPassword(server.app, "demo", "VIEWER");
    const page = await freshPage();
    await signIn(page, server.url, viewer);
    await nav(page).getByRole("link", { name: "Inventory" }).waitFor();
    const links = await nav(page).getByRole("link").allTextContents();
    expect(links).toEqual(expect.arrayContaining(["Inventory", "Sync"]));
    expect(links.filter((l) => /Team|API keys/.test(l))).toEqual([]);
    for (const path of ["/team", "/api-keys"]) {
      await page.goto(`${server.url}${path}`);
      await page.getByTestId("not-allowed").waitFor();
      expect(await page.getByRole("button", { name: /invite|create key|revoke|remove/i }).count()).toBe(0);
    }
    await screenshot(page, "viewer-not-allowed");
  });

  it("resets a forgotten password from the sign-in page, answering alike for unknown addresses", async () => {
    const person = await memberWithPassword(server.app, "demo", "EDITOR", "forgetful");
    const page = await freshPage();
    await page.goto(server.url);
    await page.getByRole("button", { name: "Forgot password?" }).click();
    const ask = page.getByRole("form", { name: "Reset your password" });
    await screenshot(page, "forgot-password");
    await ask.getByLabel("Email").fill("nobody@people.test");
    await ask.getByRole("button", { name: "Send reset link" }).click();
    const unknownAnswer = await page.getByRole("status").textContent();
    expect(unknownAnswer).toContain("If nobody@people.test has an account");
    expect(delivered.filter((d) => d.to === "nobody@people.test")).toEqual([]);

    await page.getByRole("button", { name: "Back to sign-in" }).click();
    await page.getByRole("button", { name: "Forgot password?" }).click();
    await ask.getByLabel("Email").fill(person.email);
    await ask.getByRole("button", { name: "Send reset link" }).click();
    expect(await page.getByRole("status").textContent()).toBe(
      unknownAnswer!.replace("nobody@people.test", person.email),
    );
    await screenshot(page, "forgot-password-sent");
    const mail = delivered.find((d) => d.to === person.email);
    expect(mail?.url).toMatch(/\/reset-password#token=/);

    await page.goto(onServer(mail!.url));
    const reset = page.getByRole("form", { name: "Choose a new password" });
    await reset.locator("input[name=password]").fill("my brand new password");
    await reset.locator("input[name=repeat]").fill("my brand new passwork");
    await reset.getByRole("button", { name: "Set the new password" }).click();
    await reset.locator(".field-error[data-code='PASSWORDS_DIFFER']").waitFor();
    await screenshot(page, "reset-password");
    await reset.locator("input[name=repeat]").fill("my brand new password");
    await reset.getByRole("button", { name: "Set the new password" }).click();
    await page.getByRole("heading", { name: "Password changed" }).waitFor();
    expect(new URL(page.url()).hash).toBe("");

    await page.getByRole("link", { name: "Sign in" }).click();
    await signIn(page, server.url, { email: person.email, password: "my brand new password" });
    expect(await page.getByTestId("signed-in-as").textContent()).toContain("Editor");
  });

  it("raised no error in any page", () => {
    expect(pageErrors).toEqual([]);
  });
});
