import path from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedTenant } from "../../server/src/modules/catalog/demo/seed";
import { createOwnerPool } from "../../server/src/platform/db";
import { startTestServer, type TestServer } from "../../server/test/app";
import { memberWithPassword } from "../../server/test/auth";
import { launchChromium, requireBuiltClient, signIn } from "./browser";

const SKUS = 240;
/** Set to a folder to keep a screenshot of each step there (they are never committed). */
const SCREENSHOTS = process.env.E2E_SCREENSHOTS;
const CHARTS = [
  "chart-products",
  "chart-value-platform",
  "chart-value-daily",
  "chart-stock",
  "chart-alerts-daily",
  "chart-alerts-open",
  "chart-sync",
  "chart-platforms",
];

describe("analytics page in a real browser", () => {
  let server: TestServer;
  let browser: Browser;
  let page: Page;
  const pageErrors: string[] = [];

  const countOf = async (testId: string) => Number(await page.getByTestId(testId).getAttribute("data-count"));
  async function inventoryTotal(search = ""): Promise<number> {
    await page.goto(`${server.url}/inventory${search}`);
    await page.locator("[data-testid='inventory-total'][data-count]").waitFor();
    await page.locator("table[aria-label='Inventory'][aria-busy='false']").waitFor();
    return countOf("inventory-total");
  }

  beforeAll(async () => {
    requireBuiltClient();
    server = await startTestServer(async (dbUrl) => {
      const pool = createOwnerPool(dbUrl);
      try {
        await seedTenant(pool, { slug: "demo", name: "Demo Store", skus: SKUS });
      } finally {
        await pool.end();
      }
    });
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    page.on("pageerror", (error) => pageErrors.push(error.message));
    await signIn(page, server.url, await memberWithPassword(server.app, "demo", "VIEWER"));
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it("draws every chart and shows the inventory page's total, for a viewer reaching it from the nav", async () => {
    const total = await inventoryTotal();
    expect(total).toBe(SKUS);
    // The inventory page's summary counts the same items.
    await expect.poll(() => page.getByTestId("summary-items").textContent()).toBe(String(total));

    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Analytics" }).click();
    await page.waitForURL(/\/analytics$/);
    await page.locator("[data-testid='analytics-total-items'][data-count]").waitFor();
    expect(await countOf("analytics-total-items")).toBe(total);
    for (const chart of CHARTS) {
      const box = page.getByTestId(chart);
      await box.locator("svg path").first().waitFor({ state: "attached", timeout: 10_000 });
      expect(await box.locator("svg path").count(), chart).toBeGreaterThan(0);
      expect(await box.getAttribute("data-ready")).toBe("true");
    }
    expect(
      await page.getByRole("table", { name: "Sync performance" }).locator("tbody tr").count(),
    ).toBeGreaterThan(0);
    if (SCREENSHOTS) await page.screenshot({ path: path.join(SCREENSHOTS, "analytics.png"), fullPage: true });
    expect(pageErrors).toEqual([]);
  });

  it("counts FBA items and each platform's items as the inventory page's filters do", async () => {
    await page.goto(`${server.url}/analytics`);
    await page.getByTestId("channel-items-FBA").waitFor();
    const fba = Number((await page.getByTestId("channel-items-FBA").textContent())!.replace(/\D/g, ""));
    const medusa = Number(
      (await page.getByTestId("platform-items-MEDUSA").textContent())!.replace(/\D/g, ""),
    );
    expect(fba).toBeGreaterThan(0);
    expect(await inventoryTotal("?channel=FBA")).toBe(fba);
    expect(await inventoryTotal("?platform=MEDUSA")).toBe(medusa);
  });

  it("follows the period picker and keeps it in the address", async () => {
    const days = () => page.getByTestId("analytics-range").getAttribute("data-days");
    await page.goto(`${server.url}/analytics`);
    await expect.poll(days).toBe("30");
    await page.getByRole("combobox", { name: "Period" }).selectOption("LAST_7_DAYS");
    await expect.poll(days).toBe("7");
    expect(page.url()).toContain("period=LAST_7_DAYS");
    await page.reload();
    await expect.poll(days).toBe("7");
    await page.getByTestId("chart-alerts-daily").locator("svg path").first().waitFor({ state: "attached" });
    expect(pageErrors).toEqual([]);
  });
});
