import fs from "node:fs";
import path from "node:path";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { ROOT_DIR } from "../../server/src/platform/config";
import { memberWithPassword } from "../../server/test/auth";
import { type SyncHarness, startSyncHarness } from "../../server/test/sync-harness";
import { launchChromium, signIn } from "./browser";

/** Set to a folder to keep a screenshot of each step there (they are never committed). */
const SCREENSHOTS = process.env.E2E_SCREENSHOTS;

describe("the connections page in a real browser", () => {
  let h: SyncHarness;
  let browser: Browser;
  const contexts: BrowserContext[] = [];

  async function freshPage(): Promise<Page> {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    contexts.push(context);
    return context.newPage();
  }

  beforeAll(async () => {
    if (!fs.existsSync(path.join(ROOT_DIR, "client", "dist", "index.html"))) {
      throw new Error("client/dist is missing: run `pnpm --filter @inventory-sync/client build` first");
    }
    h = await startSyncHarness({ skus: 20 });
    browser = await launchChromium();
  });
  afterEach(async (context) => {
    const page = contexts.at(-1)?.pages().at(-1);
    if (SCREENSHOTS && page && context.task.result?.state === "fail")
      await page.screenshot({ path: path.join(SCREENSHOTS, `connections-failed-${contexts.length}.png`) });
  });
  afterAll(async () => {
    for (const context of contexts) await context.close();
    await browser?.close();
    await h?.close();
  });

  it("shows each connection's webhook URL and secret to an owner, tests the connection and rotates the secret", async () => {
    const page = await freshPage();
    await signIn(
      page,
      `${h.server.url}/connections`,
      await memberWithPassword(h.server.app, "demo", "OWNER"),
    );
    const amazon = page.getByRole("article", { name: "Amazon US" });
    const secret = amazon.getByLabel("Amazon US webhook secret");
    await secret.waitFor();
    expect(await page.getByRole("article").count()).toBe(2);
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
    if (SCREENSHOTS)
      await page.screenshot({ path: path.join(SCREENSHOTS, "connections.png"), fullPage: true });
  });

  it("shows a viewer health and URLs, but no secret and no controls", async () => {
    const page = await freshPage();
    await signIn(
      page,
      `${h.server.url}/connections`,
      await memberWithPassword(h.server.app, "demo", "VIEWER"),
    );
    const amazon = page.getByRole("article", { name: "Amazon US" });
    await amazon.getByTestId("secret-hidden").waitFor();
    expect(await amazon.getByLabel("Amazon US webhook URL").inputValue()).toMatch(/\/webhooks\/we_/);
    expect(await page.getByRole("button", { name: /Test connection|Rotate secret/ }).count()).toBe(0);
    expect(await page.getByRole("alert").count()).toBe(0);
  });
});
