import type { Browser, BrowserContext } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { memberWithPassword } from "../../server/test/auth";
import { type SyncHarness, startSyncHarness } from "../../server/test/sync-harness";
import { launchChromium, requireBuiltClient, signIn } from "./browser";

describe("the notification bell in a real browser", () => {
  let h: SyncHarness;
  let browser: Browser;
  let context: BrowserContext;

  beforeAll(async () => {
    requireBuiltClient();
    h = await startSyncHarness({ skus: 20 });
    browser = await launchChromium();
  });
  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await h?.close();
  });

  it("shows a sold-out bestseller live in the top bar, lists it and marks it read", async () => {
    context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    await signIn(page, `${h.server.url}/inventory`, await memberWithPassword(h.server.app, "demo", "EDITOR"));
    const badge = page.getByTestId("unread-notifications");
    await badge.waitFor();
    // Whatever the first sync raised is read first, so the count below is this sale's alone.
    await page.getByRole("button", { name: /^Notifications, / }).click();
    const markAll = page.getByRole("button", { name: "Mark all read" });
    if (await markAll.isEnabled()) await markAll.click();
    await page.waitForFunction(
      () =>
        document.querySelector('[data-testid="unread-notifications"]')?.getAttribute("data-count") === "0",
    );
    await page.keyboard.press("Escape");

    const { rows } = await h.server.app.ownerPool.query(
      `SELECT sku FROM seller_inventory WHERE status = 'ACTIVE' AND quantity > 5 ORDER BY sku LIMIT 1`,
    );
    const sku = rows[0].sku as string;
    await h.server.app.ownerPool.query("UPDATE seller_inventory SET is_bestseller = true WHERE sku = $1", [
      sku,
    ]);
    const sold = await h.server.gql(
      `mutation($input: BulkUpdateInventoryInput!) { bulkUpdateInventory(input: $input) { userErrors { code } } }`,
      { input: { updates: [{ sku, quantity: 0 }], platforms: [] } },
    );
    expect(sold.errors).toBeUndefined();

    // Pushed over the subscription: no reload.
    await page.waitForFunction(
      () =>
        Number(document.querySelector('[data-testid="unread-notifications"]')?.getAttribute("data-count")) >
        0,
      undefined,
      { timeout: 15_000 },
    );
    await page.getByRole("button", { name: /^Notifications, / }).click();
    const panel = page.getByRole("region", { name: "Notifications" });
    await panel.getByText(`New: Out of stock on every channel: ${sku}`).waitFor();
    await panel.getByRole("button", { name: `Mark read: Out of stock on every channel: ${sku}` }).click();
    await panel
      .getByRole("button", { name: `Mark read: Out of stock on every channel: ${sku}` })
      .waitFor({ state: "detached" });
    const rest = panel.getByRole("button", { name: "Mark all read" });
    if (await rest.isEnabled()) await rest.click();
    await page.waitForFunction(
      () =>
        document.querySelector('[data-testid="unread-notifications"]')?.getAttribute("data-count") === "0",
    );
    expect(await panel.locator("li.is-unread").count()).toBe(0);
  });

  it("saves the user's own preferences from the settings page, refusing an unknown time zone beside its field", async () => {
    await context.close();
    context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    const account = await memberWithPassword(h.server.app, "demo", "VIEWER");
    await signIn(page, `${h.server.url}/settings`, account);
    const form = page.getByRole("form", { name: "Notification preferences" });
    await form.waitFor();
    await form.getByLabel("high").uncheck();
    await form.getByLabel("out of stock").check();
    await form.getByLabel("sync error").check();
    await form.getByLabel("Also when an alert resolves").check();
    await form.getByLabel("Email").selectOption("DAILY_DIGEST");
    await form.getByLabel("Digest hour").selectOption("18");
    await form.getByLabel("Time zone").fill("Mars/Olympus");
    await form.getByRole("button", { name: "Save preferences" }).click();
    await form.locator(`[data-code="INVALID_TIME_ZONE"]`).waitFor();
    await form.getByLabel("Time zone").fill("Europe/Berlin");
    await form.getByLabel("Quiet from").fill("22:00");
    await form.getByLabel("Quiet until").fill("07:00");
    await form.getByRole("button", { name: "Save preferences" }).click();
    await form.getByRole("status").filter({ hasText: "Saved" }).waitFor();
    const { rows } = await h.server.app.ownerPool.query(
      `SELECT p.types::text[] AS types, p.priorities::text[] AS priorities, p.email_mode::text AS mode, p.digest_hour, p.notify_resolved, p.time_zone, p.quiet_start, p.quiet_end
         FROM notification_preferences p JOIN users u ON u.id = p.user_id WHERE u.email = $1`,
      [account.email],
    );
    expect(rows).toEqual([
      {
        types: ["OUT_OF_STOCK", "SYNC_ERROR"],
        priorities: ["CRITICAL"],
        mode: "DAILY_DIGEST",
        digest_hour: 18,
        notify_resolved: true,
        time_zone: "Europe/Berlin",
        quiet_start: 1320,
        quiet_end: 420,
      },
    ]);
  });
});
