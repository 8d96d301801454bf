import path from "node:path";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { memberWithPassword } from "../../server/test/auth";
import { type SyncHarness, startSyncHarness } from "../../server/test/sync-harness";
import { launchChromium, requireBuiltClient, signIn, toastShown } from "./browser";

/** Set to a folder to keep a screenshot of each step there (they are never committed). */
const SCREENSHOTS = process.env.E2E_SCREENSHOTS;

describe("the settings page in a real browser", () => {
  let h: SyncHarness;
  let browser: Browser;
  const contexts: BrowserContext[] = [];

  async function freshPage(): Promise<Page> {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    contexts.push(context);
    return context.newPage();
  }

  beforeAll(async () => {
    requireBuiltClient();
    h = await startSyncHarness({ skus: 20 });
    browser = await launchChromium();
  });
  afterEach(async (context) => {
    const page = contexts.at(-1)?.pages().at(-1);
    if (SCREENSHOTS && page && context.task.result?.state === "fail")
      await page.screenshot({ path: path.join(SCREENSHOTS, `settings-failed-${contexts.length}.png`) });
  });
  afterAll(async () => {
    for (const context of contexts) await context.close();
    await browser?.close();
    await h?.close();
  });

  it("shows each connection's webhook URL and secret to an owner, tests the connection and rotates the secret", async () => {
    const page = await freshPage();
    await signIn(page, `${h.server.url}/settings`, await memberWithPassword(h.server.app, "demo", "OWNER"));
    const amazon = page.getByRole("article", { name: "Amazon US" });
    const secret = amazon.getByLabel("Amazon US webhook secret");
    await secret.waitFor();
    expect(await page.getByRole("article").count()).toBe(2);
    expect(
      await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Settings" }).count(),
    ).toBe(1);
    expect(await amazon.getByLabel("Amazon US webhook URL").inputValue()).toMatch(
      /\/webhooks\/we_[A-Za-z0-9_-]{32}$/,
    );
    const before = await secret.inputValue();
    expect(before).toMatch(/^whsec_/);
    expect(await secret.getAttribute("type")).toBe("password");
    await amazon.getByRole("button", { name: "Show" }).click();
    expect(await secret.getAttribute("type")).toBe("text");

    await amazon.getByRole("button", { name: "Test connection" }).click();
    await expect.poll(() => amazon.getByTestId("test-result").textContent()).toMatch(/^Reached in \d+ ms/);
    await expect.poll(() => amazon.getByTestId("health").getAttribute("data-status")).toBe("HEALTHY");

    await amazon.getByRole("button", { name: "Rotate secret" }).click();
    await amazon.getByRole("button", { name: "Rotate", exact: true }).click();
    await expect.poll(() => secret.inputValue()).not.toBe(before);
    await amazon.getByTestId("previous-secret").waitFor();
    // What the page shows is what the API now holds.
    const res = await h.server.gql<{ platformConnections: { kind: string; webhook: { secret: string } }[] }>(
      "{ platformConnections { kind webhook { secret } } }",
    );
    const current = res.data!.platformConnections.find((c) => c.kind === "AMAZON")!.webhook.secret;
    expect(await secret.inputValue()).toBe(current);
    if (SCREENSHOTS) await page.screenshot({ path: path.join(SCREENSHOTS, "settings.png"), fullPage: true });
  });

  it("changes the stock thresholds and the inventory follows; refuses an interval under 5 minutes beside its field", async () => {
    const page = await freshPage();
    await signIn(page, `${h.server.url}/settings`, await memberWithPassword(h.server.app, "demo", "OWNER"));
    const form = page.getByRole("form", { name: "Sync" });
    await form.getByLabel(/^Every/).fill("2");
    await form.getByRole("button", { name: "Save settings" }).click();
    await expect
      .poll(() => form.locator("[data-code]").first().getAttribute("data-code"))
      .toMatch(/^[A-Z_]+$/);
    expect(await toastShown(page, "failure", /./)).toBe(
      await form.locator("[data-code]").first().getAttribute("data-code"),
    );
    expect(
      await form
        .getByLabel(/^Every/)
        .locator("xpath=..")
        .locator(".field-error")
        .count(),
    ).toBe(1);
    const unchanged = await h.server.gql<{ platformSyncSettings: { syncIntervalMinutes: number } }>(
      "{ platformSyncSettings { syncIntervalMinutes } }",
    );
    expect(unchanged.data!.platformSyncSettings.syncIntervalMinutes).not.toBe(2);

    await form.getByLabel(/^Every/).fill("15");
    await form.getByLabel("Low stock at or below").fill("100000");
    await form.getByRole("button", { name: "Save settings" }).click();
    await form.getByTestId("settings-saved").waitFor();
    await toastShown(page, "success", /^Sync settings saved/);
    const saved = await h.server.gql<{
      platformSyncSettings: { syncIntervalMinutes: number; lowStockThreshold: number };
    }>("{ platformSyncSettings { syncIntervalMinutes lowStockThreshold } }");
    expect(saved.data!.platformSyncSettings).toEqual({ syncIntervalMinutes: 15, lowStockThreshold: 100000 });

    // Every item with stock is now low on it, in the page as in the API.
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Inventory" }).click();
    const rows = page.locator("table[aria-label='Inventory'] tbody tr[data-sku]");
    await rows.first().waitFor();
    await expect
      .poll(() =>
        page.locator("table[aria-label='Inventory'] tbody").getByText("In stock", { exact: true }).count(),
      )
      .toBe(0);
    expect(
      await page
        .locator("table[aria-label='Inventory'] tbody")
        .getByText("Low stock", { exact: true })
        .count(),
    ).toBeGreaterThan(0);

    // Back as it was, for the other tests.
    await h.server.gql(
      "mutation { updatePlatformSyncSettings(input: { lowStockThreshold: 10 }) { userErrors { code } } }",
    );
  });

  it("turns a connection off and on again", async () => {
    const page = await freshPage();
    await signIn(page, `${h.server.url}/settings`, await memberWithPassword(h.server.app, "demo", "OWNER"));
    const medusa = page.getByRole("article", { name: "Medusa Store" });
    // The box shows what the server holds: it turns once the change is saved.
    await medusa.getByLabel("Enabled").click();
    await medusa.getByText("Disabled", { exact: true }).waitFor();
    await toastShown(page, "success", /^Medusa Store: disabled/);
    const res = await h.server.gql<{ platformConnections: { kind: string; enabled: boolean }[] }>(
      "{ platformConnections { kind enabled } }",
    );
    expect(res.data!.platformConnections.find((c) => c.kind === "MEDUSA")?.enabled).toBe(false);
    await medusa.getByLabel("Enabled").click();
    await expect.poll(() => medusa.getByText("Disabled", { exact: true }).count()).toBe(0);
  });

  it("moves a connection up the priority order by keyboard, saves it and shows the saved order after a reload", async () => {
    const page = await freshPage();
    await signIn(page, `${h.server.url}/settings`, await memberWithPassword(h.server.app, "demo", "OWNER"));
    const shown = () =>
      page
        .locator("article.connection-card")
        .evaluateAll((cards) => cards.map((c) => c.getAttribute("aria-label")));
    const saved = async () => {
      const res = await h.server.gql<{ platformConnections: { name: string; priority: number }[] }>(
        "{ platformConnections { name priority } }",
      );
      return res.data!.platformConnections.map((c) => c.name);
    };
    await page.getByRole("article", { name: "Medusa Store" }).waitFor();
    const before = await shown();
    expect(before).toEqual(await saved());
    expect(before).toHaveLength(2);
    const [first, last] = before as [string, string];
    const lastCard = page.getByRole("article", { name: last });
    const firstCard = page.getByRole("article", { name: first });
    // At the ends of the list the way out is closed.
    expect(await firstCard.getByRole("button", { name: "Move up" }).isDisabled()).toBe(true);
    expect(await lastCard.getByRole("button", { name: "Move down" }).isDisabled()).toBe(true);

    await lastCard.getByRole("button", { name: "Move up" }).focus();
    await page.keyboard.press("Enter");
    expect(await toastShown(page, "success", new RegExp(`^${last} moved up: 1 of 2`))).toBeNull();
    await expect.poll(shown).toEqual([last, first]);
    expect(await saved()).toEqual([last, first]);
    // The focus stays on the moved card, on the button that still leads somewhere.
    await expect
      .poll(() => page.evaluate(() => document.activeElement?.closest("article")?.getAttribute("aria-label")))
      .toBe(last);
    expect(await page.evaluate(() => document.activeElement?.textContent)).toContain("Move down");

    await page.reload();
    await page.getByRole("article", { name: first }).waitFor();
    expect(await shown()).toEqual([last, first]);
    expect(await page.getByRole("article", { name: last }).getByTestId("priority").textContent()).toMatch(
      /^1 of 2/,
    );

    // And back down, by mouse, for the other tests.
    await page.getByRole("article", { name: last }).getByRole("button", { name: "Move down" }).click();
    await toastShown(page, "success", new RegExp(`^${last} moved down: 2 of 2`));
    await expect.poll(shown).toEqual([first, last]);
    expect(await saved()).toEqual([first, last]);
  });

  it("sets a connection's stock rules, refusing a share over 100 % beside its field", async () => {
    const page = await freshPage();
    await signIn(page, `${h.server.url}/settings`, await memberWithPassword(h.server.app, "demo", "OWNER"));
    const rules = page.getByRole("form", { name: "Amazon US stock rules" });
    const amazonRules = async () => {
      const res = await h.server.gql<{
        platformConnections: {
          kind: string;
          stockPercentage: number;
          stockBuffer: number;
          stockMax: number | null;
        }[];
      }>("{ platformConnections { kind stockPercentage stockBuffer stockMax } }");
      const { kind: _, ...values } = res.data!.platformConnections.find((c) => c.kind === "AMAZON")!;
      return values;
    };
    const before = await amazonRules();
    await rules.getByLabel("Share published (%)").fill("150");
    await rules.getByRole("button", { name: "Save stock rules" }).click();
    await rules.getByText("stockPercentage must be between 0 and 100").waitFor();
    await rules.getByLabel("Buffer (units held back)").fill("two");
    await rules.getByRole("button", { name: "Save stock rules" }).click();
    await rules.getByText("A whole number").waitFor();
    expect(await amazonRules()).toEqual(before);

    await rules.getByLabel("Share published (%)").fill("80");
    await rules.getByLabel("Buffer (units held back)").fill("2");
    await rules.getByLabel("Maximum published").fill("40");
    await rules.getByRole("button", { name: "Save stock rules" }).click();
    await rules.getByRole("status").filter({ hasText: "Saved" }).waitFor();
    expect(await amazonRules()).toEqual({ stockPercentage: 80, stockBuffer: 2, stockMax: 40 });
    await expect
      .poll(() => page.getByRole("article", { name: "Amazon US" }).getByTestId("stock-rules").textContent())
      .toBe("80 % of available, less 2, at most 40");

    // Back as it was, the maximum cleared by leaving it blank.
    await rules.getByLabel("Share published (%)").fill(String(before.stockPercentage));
    await rules.getByLabel("Buffer (units held back)").fill(String(before.stockBuffer));
    await rules.getByLabel("Maximum published").fill(before.stockMax == null ? "" : String(before.stockMax));
    await rules.getByRole("button", { name: "Save stock rules" }).click();
    await expect.poll(amazonRules).toEqual(before);
  });

  it("sets Medusa's credentials write-only: a refused URL is named beside its field, and a test uses what was saved", async () => {
    type Medusa = { id: string; endpoint: string | null; credentialsUpdatedAt: string | null };
    const medusaNow = async () => {
      const res = await h.server.gql<{ platformConnections: (Medusa & { kind: string })[] }>(
        "{ platformConnections { id kind endpoint credentialsUpdatedAt } }",
      );
      return res.data!.platformConnections.find((c) => c.kind === "MEDUSA")!;
    };
    const before = await medusaNow();
    expect(before.credentialsUpdatedAt).not.toBeNull();
    const apiKey = h.sandbox.credentials.medusa.apiKey;

    const page = await freshPage();
    await signIn(page, `${h.server.url}/settings`, await memberWithPassword(h.server.app, "demo", "OWNER"));
    const medusa = page.getByRole("article", { name: "Medusa Store" });
    const set = medusa.getByTestId("credentials-set");
    await expect.poll(() => set.getAttribute("data-updated-at")).toBe(before.credentialsUpdatedAt);
    expect(await set.textContent()).toMatch(/^set /);
    const form = medusa.getByRole("form", { name: "Medusa Store credentials" });
    const open = async () => {
      await medusa.getByRole("button", { name: "Replace credentials" }).click();
      await form.waitFor();
    };
    await open();
    const key = form.getByLabel("Admin API key");
    // The secret is never pre-filled, and typed into a password box.
    expect(await key.getAttribute("type")).toBe("password");
    expect(await key.inputValue()).toBe("");
    expect(await form.getByLabel("Store URL").inputValue()).toBe(before.endpoint ?? "");

    // An address on the server's own network: refused beside the URL, and nothing is saved.
    await form.getByLabel("Store URL").fill("http://10.0.0.7/");
    await key.fill("sk_refused");
    await form.getByRole("button", { name: "Save credentials" }).click();
    const urlError = form.getByLabel("Store URL").locator("xpath=..").locator(".field-error");
    await expect.poll(() => urlError.getAttribute("data-code")).toBe("ENDPOINT_NOT_ALLOWED");
    expect(await key.locator("xpath=..").locator(".field-error").count()).toBe(0);
    expect(await medusaNow()).toEqual(before);
    expect(await toastShown(page, "failure", /./)).toBe("ENDPOINT_NOT_ALLOWED");
    if (SCREENSHOTS)
      await page.screenshot({ path: path.join(SCREENSHOTS, "settings-credentials.png"), fullPage: true });

    // A key the store does not know is saved, and the test that follows fails with it.
    await form.getByLabel("Store URL").fill(h.sandbox.medusaBaseUrl);
    await key.fill("sk_not_the_stores_key");
    await form.getByRole("button", { name: "Save credentials" }).click();
    await toastShown(page, "success", /Medusa Store: credentials saved/);
    await form.waitFor({ state: "detached" });
    const wrong = await medusaNow();
    expect(wrong.credentialsUpdatedAt).not.toBe(before.credentialsUpdatedAt);
    expect(wrong.endpoint).toBe(h.sandbox.medusaBaseUrl);
    await expect.poll(() => set.getAttribute("data-updated-at")).toBe(wrong.credentialsUpdatedAt);
    await medusa.getByRole("button", { name: "Test connection" }).click();
    await expect.poll(() => medusa.getByTestId("test-result").textContent()).toMatch(/^Failed in \d+ ms/);
    await expect.poll(() => medusa.getByTestId("health").getAttribute("data-status")).not.toBe("HEALTHY");

    // The sandbox's own key: saved, and the connection is healthy again.
    await open();
    await key.fill(apiKey);
    await form.getByRole("button", { name: "Save credentials" }).click();
    await form.waitFor({ state: "detached" });
    await expect
      .poll(async () => (await medusaNow()).credentialsUpdatedAt)
      .not.toBe(wrong.credentialsUpdatedAt);
    expect(await medusa.getByTestId("test-result").count()).toBe(0);
    await medusa.getByRole("button", { name: "Test connection" }).click();
    await expect.poll(() => medusa.getByTestId("test-result").textContent()).toMatch(/^Reached in \d+ ms/);
    await expect.poll(() => medusa.getByTestId("health").getAttribute("data-status")).toBe("HEALTHY");
    // Write-only: the key is in no page the browser holds.
    expect(await page.content()).not.toContain(apiKey);
  });

  it("asks an Amazon connection for its SP-API credentials and names a missing one beside it", async () => {
    const page = await freshPage();
    await signIn(page, `${h.server.url}/settings`, await memberWithPassword(h.server.app, "demo", "ADMIN"));
    const amazon = page.getByRole("article", { name: "Amazon US" });
    await amazon.getByTestId("credentials-set").waitFor();
    const updatedAt = await amazon.getByTestId("credentials-set").getAttribute("data-updated-at");
    await amazon.getByRole("button", { name: "Replace credentials" }).click();
    const form = amazon.getByRole("form", { name: "Amazon US credentials" });
    for (const [label, type] of [
      ["LWA client ID", "text"],
      ["LWA client secret", "password"],
      ["Refresh token", "password"],
      ["Token URL", "url"],
      ["SP-API URL", "url"],
    ] as const) {
      expect(await form.getByLabel(label).getAttribute("type"), label).toBe(type);
    }
    expect(await form.getByLabel("LWA client secret").inputValue()).toBe("");
    await form.getByLabel("LWA client ID").fill("amzn1.application-oa2-client.x");
    await form.getByLabel("Refresh token").fill("Atzr|x");
    await form.getByRole("button", { name: "Save credentials" }).click();
    const secretError = form.getByLabel("LWA client secret").locator("xpath=..").locator(".field-error");
    await expect.poll(() => secretError.getAttribute("data-code")).toBe("REQUIRED");
    expect(await form.locator(".field-error").count()).toBe(1);
    await form.getByRole("button", { name: "Cancel" }).click();
    expect(await amazon.getByTestId("credentials-set").getAttribute("data-updated-at")).toBe(updatedAt);
    await amazon.getByRole("button", { name: "Test connection" }).click();
    await expect.poll(() => amazon.getByTestId("test-result").textContent()).toMatch(/^Reached in \d+ ms/);
  });

  it("shows a viewer health and URLs, but no secret and no controls", async () => {
    const page = await freshPage();
    await signIn(page, `${h.server.url}/settings`, await memberWithPassword(h.server.app, "demo", "VIEWER"));
    const amazon = page.getByRole("article", { name: "Amazon US" });
    await amazon.getByTestId("secret-hidden").waitFor();
    expect(await amazon.getByLabel("Amazon US webhook URL").inputValue()).toMatch(/\/webhooks\/we_/);
    expect(
      await page
        .getByRole("button", {
          name: /Test connection|Rotate secret|Save (settings|credentials)|(Set|Replace) credentials|Move (up|down)/,
        })
        .count(),
    ).toBe(0);
    expect(await page.getByRole("form", { name: /credentials$/ }).count()).toBe(0);
    expect(await page.getByRole("form", { name: /stock rules$/ }).count()).toBe(0);
    expect(await amazon.getByTestId("credentials-set").count()).toBe(0);
    // The viewer's own notification preferences are theirs to change.
    await page.getByRole("form", { name: "Notification preferences" }).waitFor();
    expect(
      await page.getByRole("form", { name: "Sync" }).getByLabel("Low stock at or below").isDisabled(),
    ).toBe(true);
    expect(await page.getByRole("alert").count()).toBe(0);
  });
});
