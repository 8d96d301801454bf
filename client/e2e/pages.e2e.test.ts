import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import type { AxeResults } from "axe-core";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ROOT_DIR } from "../../server/src/platform/config";
import { memberWithPassword } from "../../server/test/auth";
import { type SyncHarness, startJob, startSyncHarness, waitForJob } from "../../server/test/sync-harness";
import { launchChromium, signIn } from "./browser";

const require = createRequire(import.meta.url);
const AXE = require.resolve("axe-core/axe.min.js", { paths: [path.join(ROOT_DIR, "client")] });
/** Where the layout screenshots go (`.data` is never committed). */
const SHOTS = path.join(ROOT_DIR, ".data", "screenshots");
const WIDTHS = [1280, 390] as const;
const SCHEMES = ["light", "dark"] as const;

/** Every page of the dashboard for a signed-in owner; `:item` is one inventory item's page. */
const PAGES = [
  { name: "inventory", path: "/inventory" },
  { name: "item", path: "/inventory/:item" },
  { name: "sync", path: "/sync" },
  { name: "conflicts", path: "/conflicts" },
  { name: "alerts", path: "/alerts" },
  { name: "settings", path: "/settings" },
  { name: "team", path: "/team" },
  { name: "api-keys", path: "/api-keys" },
];

interface Finding {
  id: string;
  impact: string;
  help: string;
  targets: string[];
}

/**
 * Every page in a real browser, over a tenant that a real sync has filled with jobs, conflicts and alerts: axe-core
 * finds no serious or critical violation in light or dark, and no page is wider than a 1,280 px desktop or a
 * 390 px phone.
 */
describe("every page's layout and accessibility in a real browser", () => {
  let h: SyncHarness;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let itemId = "";

  const urlOf = (p: string) => `${h.server.url}${p.replace(":item", encodeURIComponent(itemId))}`;

  /** Waits until the page has its heading and nothing on it is still loading. */
  async function settled() {
    await page.locator("main h1").first().waitFor();
    await page.waitForFunction(
      () =>
        document.querySelectorAll("main .loading-state, main .spinner, main [aria-busy='true']").length === 0,
      undefined,
      { timeout: 15_000 },
    );
  }

  async function open(p: string) {
    await page.goto(urlOf(p));
    await settled();
  }

  async function axeFindings(on: Page = page): Promise<Finding[]> {
    const results = (await on.evaluate(() =>
      (window as unknown as { axe: { run(c: Document, o: object): Promise<unknown> } }).axe.run(document, {
        resultTypes: ["violations"],
      }),
    )) as AxeResults;
    return results.violations
      .filter((v) => v.impact === "serious" || v.impact === "critical")
      .map((v) => ({
        id: v.id,
        impact: v.impact ?? "",
        help: v.help,
        targets: v.nodes.slice(0, 5).map((n) => n.target.join(" ")),
      }));
  }

  /** The page's width against the window's, and the outermost elements that reach past the window's edge. */
  const overflow = () =>
    page.evaluate(() => {
      const innerWidth = window.innerWidth;
      const clipped = (el: HTMLElement) => {
        for (let up = el.parentElement; up && up !== document.body; up = up.parentElement)
          if (getComputedStyle(up).overflowX !== "visible") return true;
        return false;
      };
      const past = [...document.querySelectorAll<HTMLElement>("body *")].filter(
        (el) => el.getBoundingClientRect().right > innerWidth + 0.5 && !clipped(el),
      );
      const names = past
        .filter((el) => !past.includes(el.parentElement!))
        .slice(0, 4)
        .map((el) => `${el.tagName.toLowerCase()}.${[...el.classList].join(".")}`);
      return { scrollWidth: document.scrollingElement!.scrollWidth, innerWidth, names };
    });

  beforeAll(async () => {
    if (!fs.existsSync(path.join(ROOT_DIR, "client", "dist", "index.html"))) {
      throw new Error("client/dist is missing: run `pnpm --filter @inventory-sync/client build` first");
    }
    fs.mkdirSync(SHOTS, { recursive: true });
    h = await startSyncHarness({ skus: 120 });
    // One full sync leaves jobs, listings, open conflicts and their alerts for every page to show.
    await h.server.app.ownerPool.query(
      `UPDATE platform_sync_settings SET conflict_strategy = 'MANUAL' WHERE tenant_id = $1`,
      [h.tenantId],
    );
    const { id } = await startJob(h.server, { type: "FULL" });
    expect((await waitForJob(h.server, id)).status).toBe("SUCCEEDED");
    itemId = (await h.server.gql(`{ inventory(first: 1) { nodes { id } } }`)).data!.inventory.nodes[0].id;
    browser = await launchChromium();
    context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    await context.addInitScript({ path: AXE });
    page = await context.newPage();
    await signIn(page, h.server.url, await memberWithPassword(h.server.app, "demo", "OWNER"));
  }, 180_000);

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await h?.close();
  });

  it("the sign-in page has no serious accessibility violation in light or dark", async () => {
    const signedOut = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    await signedOut.addInitScript({ path: AXE });
    try {
      const fresh = await signedOut.newPage();
      for (const colorScheme of SCHEMES) {
        await fresh.emulateMedia({ colorScheme });
        await fresh.goto(h.server.url);
        await fresh.getByRole("form", { name: "Sign in" }).waitFor();
        expect(await axeFindings(fresh), `sign-in (${colorScheme})`).toEqual([]);
      }
    } finally {
      await signedOut.close();
    }
  });

  it("every signed-in page has no serious accessibility violation in light or dark", async () => {
    const found: Record<string, Finding[]> = {};
    for (const colorScheme of SCHEMES) {
      await page.emulateMedia({ colorScheme });
      for (const p of PAGES) {
        await open(p.path);
        const findings = await axeFindings();
        if (findings.length) found[`${p.name} (${colorScheme})`] = findings;
      }
    }
    expect(found).toEqual({});
  }, 120_000);

  it("no page is wider than the window at 1,280 and 390 px, with a screenshot of each", async () => {
    const wide: string[] = [];
    for (const width of WIDTHS) {
      await page.setViewportSize({ width, height: width > 800 ? 800 : 844 });
      for (const colorScheme of SCHEMES) {
        await page.emulateMedia({ colorScheme });
        for (const p of PAGES) {
          await open(p.path);
          const { scrollWidth, innerWidth, names } = await overflow();
          if (scrollWidth > innerWidth)
            wide.push(
              `${p.name} at ${width} px (${colorScheme}): ${scrollWidth} px wide, past the edge: ${names}`,
            );
          await page.screenshot({
            path: path.join(SHOTS, `${p.name}-${width}-${colorScheme}.png`),
            fullPage: true,
          });
        }
      }
    }
    expect(wide).toEqual([]);
  }, 120_000);
});
