import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import type { AxeResults } from "axe-core";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ROOT_DIR } from "../../server/src/platform/config";
import { apiKeyOf, memberWithPassword } from "../../server/test/auth";
import { type SyncHarness, startJob, startSyncHarness, waitForJob } from "../../server/test/sync-harness";
import { launchChromium, requireBuiltClient, signIn } from "./browser";

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
      // Nor may anything spill out of the box it sits in (a panel, a toolbar, a bar) where the window hides it not.
      const boxes = [
        ...document.querySelectorAll<HTMLElement>(".panel, .toolbar, .bulk-bar, .topbar, .page-header"),
      ];
      for (const box of boxes) {
        const edge = box.getBoundingClientRect().right + 1;
        for (const el of box.querySelectorAll<HTMLElement>("*")) {
          if (el.getBoundingClientRect().right <= edge || el.getBoundingClientRect().width === 0) continue;
          let hidden = false;
          for (let up = el.parentElement; up && up !== box; up = up.parentElement)
            if (getComputedStyle(up).overflowX !== "visible") hidden = true;
          if (!hidden && !names.includes(`spills: ${box.className}`)) names.push(`spills: ${box.className}`);
        }
      }
      // Nor may a table scroll sideways inside the frame it sits in: on a phone its rows become cards.
      const tables = [...document.querySelectorAll<HTMLTableElement>("main table")]
        .filter((table) => table.getBoundingClientRect().width > 0)
        .map((table) => {
          const frame = table.parentElement!;
          return {
            name: table.getAttribute("aria-label") ?? table.className,
            wide: Math.max(table.scrollWidth, frame.scrollWidth, table.getBoundingClientRect().width),
            room: frame.clientWidth,
          };
        })
        .filter((t) => t.wide > t.room + 1)
        .map((t) => `table ${t.name}: ${t.wide} px in ${t.room}`);
      return { scrollWidth: document.scrollingElement!.scrollWidth, innerWidth, names, tables };
    });

  beforeAll(async () => {
    requireBuiltClient();
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
    // A second member and a key, so the Team and API keys pages have rows to lay out and to ask about.
    await memberWithPassword(h.server.app, "demo", "EDITOR");
    await apiKeyOf(h.server.app, "demo", ["read_inventory"]);
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

  it("answers to / for search, j, k and x for rows, Shift-click for a range and ? for the list of keys", async () => {
    await page.setViewportSize({ width: 1280, height: 800 });
    await open("/inventory");
    const search = page.getByRole("searchbox");
    const ticked = () =>
      page
        .locator("table[aria-label='Inventory'] tbody tr[data-sku] .cell-select input")
        .evaluateAll((boxes) =>
          boxes.map((b, i) => ((b as HTMLInputElement).checked ? i : -1)).filter((i) => i >= 0),
        );
    const focusedSku = () =>
      page.evaluate(() => document.activeElement?.closest("tr[data-sku]")?.getAttribute("data-sku") ?? null);
    const skus = await page
      .locator("table[aria-label='Inventory'] tbody tr[data-sku]")
      .evaluateAll((rows) => rows.map((r) => r.getAttribute("data-sku")));

    await page.keyboard.press("/");
    expect(await search.evaluate((el) => el === document.activeElement)).toBe(true);
    // Inside a field the keys are text, not shortcuts.
    await page.keyboard.type("/jx");
    expect(await search.inputValue()).toBe("/jx");
    expect(await ticked()).toEqual([]);
    await search.fill("");
    await page.locator("main h1").click();

    await page.keyboard.press("j");
    expect(await focusedSku()).toBe(skus[0]);
    await page.keyboard.press("j");
    expect(await focusedSku()).toBe(skus[1]);
    await page.keyboard.press("x");
    await page.keyboard.press("k");
    expect(await focusedSku()).toBe(skus[0]);
    await page.keyboard.press("x");
    expect(await ticked()).toEqual([0, 1]);
    await page.keyboard.press("x");
    expect(await ticked()).toEqual([1]);

    const box = (i: number) => page.locator(`tr[data-sku='${skus[i]}'] .cell-select input`);
    await box(4).click();
    await box(8).click({ modifiers: ["Shift"] });
    expect(await ticked()).toEqual([1, 4, 5, 6, 7, 8]);
    await box(6).click({ modifiers: ["Shift"] });
    expect(await ticked()).toEqual([1, 4, 5]);

    await page.locator("main h1").click();
    await page.keyboard.press("?");
    const help = page.getByRole("dialog", { name: "Keyboard shortcuts" });
    await help.waitFor();
    expect(await help.textContent()).toContain("Focus the page's search box");
    await page.screenshot({ path: path.join(SHOTS, "shortcut-help-1280-light.png") });
    await page.keyboard.press("Escape");
    await help.waitFor({ state: "hidden" });
  });

  it("shows where the focus is on every control Tab reaches, in page order, in light and dark", async () => {
    for (const colorScheme of SCHEMES) {
      await page.emulateMedia({ colorScheme });
      await open("/inventory");
      const seen: string[] = [];
      const unmarked: string[] = [];
      for (let i = 0; i < 40; i++) {
        await page.keyboard.press("Tab");
        const focus = await page.evaluate(() => {
          const el = document.activeElement as HTMLElement;
          const style = getComputedStyle(el);
          // An outline of its own (the page's :focus-visible ring or the browser's), not one removed for a halo.
          const ring = style.outlineStyle !== "none" && Number.parseFloat(style.outlineWidth) >= 1;
          return {
            name: `${el.tagName.toLowerCase()} ${el.getAttribute("aria-label") ?? el.textContent?.trim().slice(0, 30)}`,
            marked: ring,
            top: el.getBoundingClientRect().top + window.scrollY,
          };
        });
        seen.push(focus.name);
        if (!focus.marked) unmarked.push(focus.name);
      }
      expect(unmarked, colorScheme).toEqual([]);
      // Top bar first, then the page: the nav, then the search box, then the table's rows.
      expect(seen.findIndex((n) => n.includes("Inventory"))).toBeLessThan(
        seen.findIndex((n) => n.startsWith("input") && n.includes("Search")),
      );
      expect(seen.some((n) => n.startsWith("a ") && /^a [A-Z]{3}-/.test(n))).toBe(true);
    }
    await page.emulateMedia({ colorScheme: "light" });
  });

  it("folds the nav behind a Menu button on a phone", async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    try {
      await open("/inventory");
      const nav = page.getByRole("navigation", { name: "Main" });
      const menu = page.getByRole("button", { name: "Menu" });
      expect(await nav.isVisible()).toBe(false);
      await menu.click();
      expect(await menu.getAttribute("aria-expanded")).toBe("true");
      await nav.getByRole("link", { name: "Sync" }).click();
      await page.getByRole("heading", { name: "Sync", level: 1 }).waitFor();
      expect(await nav.isVisible()).toBe(false);
    } finally {
      await page.setViewportSize({ width: 1280, height: 800 });
    }
  });

  it("shows the tables' rows as cards on a phone, whose tick boxes and actions still work", async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    try {
      await open("/inventory");
      const rows = page.locator("table[aria-label='Inventory'] tbody tr[data-sku]");
      const first = rows.first();
      const card = await first.evaluate((row) => ({
        display: getComputedStyle(row).display,
        labels: [...row.querySelectorAll("td[data-label]")]
          .filter((td) => getComputedStyle(td).display !== "none")
          .map((td) => getComputedStyle(td, "::before").content),
      }));
      expect(card.display).toBe("block");
      expect(card.labels).toEqual(expect.arrayContaining(['"Stock"', '"Available"', '"Price"']));
      await first.getByRole("checkbox").check();
      expect(await first.getByRole("checkbox").isChecked()).toBe(true);
      await page.getByLabel("Select every row of this page").check();
      expect(await rows.locator(".cell-select input:checked").count()).toBe(await rows.count());
      await page.getByLabel("Select every row of this page").uncheck();
      expect(await rows.locator(".cell-select input:checked").count()).toBe(0);

      // A job opens from its card.
      await open("/sync");
      const job = page.locator("table[aria-label='Sync jobs'] tbody tr").first();
      await job.getByRole("button").click();
      await page.getByTestId("sync-job-status").waitFor();
      expect(await job.getAttribute("aria-selected")).toBe("true");

      // A member's role and removal are in reach in the member's card; asked, and called off.
      await open("/team");
      const member = page.locator("table[aria-label='Team members'] tr[data-role='EDITOR']");
      await member.getByLabel(/^Role of /).selectOption("VIEWER");
      await member.getByRole("button", { name: "Undo" }).click();
      await member.getByRole("button", { name: "Remove" }).click();
      await member.getByRole("button", { name: "Cancel" }).click();
      await member.getByRole("button", { name: "Remove" }).waitFor();
    } finally {
      await page.setViewportSize({ width: 1280, height: 800 });
    }
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

  /** What opens over a page: each leaves the page with its popover, panel or menu open for axe to check. */
  const OVERLAYS: Record<string, () => Promise<void>> = {
    "notification centre": async () => {
      await open("/inventory");
      await page.getByRole("button", { name: /^Notifications, / }).click();
      await page.getByRole("region", { name: "Notifications", exact: true }).waitFor();
    },
    "export menu": async () => {
      await open("/inventory");
      await page.getByRole("button", { name: "Export" }).click();
      await page.getByRole("menu", { name: "Export format" }).waitFor();
    },
    "bulk edit with its preview": async () => {
      await open("/inventory");
      await page.getByLabel("Select every row of this page").check();
      const panel = page.locator("form.bulk-edit");
      await panel.getByLabel("Change").selectOption("SET_QUANTITY");
      await panel.getByLabel("Value").fill("7");
      await panel.getByRole("button", { name: "Preview" }).click();
      await panel.getByTestId("bulk-outcome").waitFor();
    },
    "team's confirmation to remove a member": async () => {
      await open("/team");
      const row = page.locator("table[aria-label='Team members'] tr[data-role='EDITOR']");
      await row.getByRole("button", { name: "Remove" }).click();
      await row.getByText(/^Remove .+\?$/).waitFor();
    },
    "API keys' confirmation to revoke a key": async () => {
      await open("/api-keys");
      const row = page.locator("table[aria-label='API keys'] tr[data-status='ACTIVE']").first();
      await row.getByRole("button", { name: "Revoke" }).click();
      await row.getByText(/^Revoke “.+”\? Whatever uses it stops working\.$/).waitFor();
    },
    "phone menu": async () => {
      await page.setViewportSize({ width: 390, height: 844 });
      await open("/inventory");
      await page.getByRole("button", { name: "Menu" }).click();
      await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Sync" }).waitFor();
    },
  };

  it("every signed-in page has no serious accessibility violation in light or dark", async () => {
    const found: Record<string, Finding[]> = {};
    for (const colorScheme of SCHEMES) {
      await page.emulateMedia({ colorScheme });
      for (const p of PAGES) {
        await open(p.path);
        const findings = await axeFindings();
        if (findings.length) found[`${p.name} (${colorScheme})`] = findings;
      }
      // The list of keyboard shortcuts, open over the last page.
      await page.locator("main h1").first().click();
      await page.keyboard.press("?");
      await page.getByRole("dialog", { name: "Keyboard shortcuts" }).waitFor();
      const findings = await axeFindings();
      if (findings.length) found[`shortcut help (${colorScheme})`] = findings;
      await page.keyboard.press("Escape");
      for (const [name, overlay] of Object.entries(OVERLAYS)) {
        await overlay();
        const over = await axeFindings();
        if (over.length) found[`${name} (${colorScheme})`] = over;
      }
      await page.setViewportSize({ width: 1280, height: 800 });
    }
    expect(found).toEqual({});
  }, 180_000);

  it("no page is wider than the window at 1,280 and 390 px, with a screenshot of each", async () => {
    const wide: string[] = [];
    for (const width of WIDTHS) {
      await page.setViewportSize({ width, height: width > 800 ? 800 : 844 });
      for (const colorScheme of SCHEMES) {
        await page.emulateMedia({ colorScheme });
        for (const p of PAGES) {
          await open(p.path);
          const { scrollWidth, innerWidth, names, tables } = await overflow();
          if (scrollWidth > innerWidth || names.some((n) => n.startsWith("spills")))
            wide.push(
              `${p.name} at ${width} px (${colorScheme}): ${scrollWidth} px wide, past the edge: ${names}`,
            );
          if (width < 800 && tables.length) wide.push(`${p.name} at ${width} px (${colorScheme}): ${tables}`);
          if (p.name === "inventory") {
            // The headings sit above the first row, not over it.
            const { head, row } = await page.locator("table[aria-label='Inventory']").evaluate((t) => ({
              head: Math.max(
                ...[...t.querySelectorAll("thead th")].map((th) => th.getBoundingClientRect().bottom),
              ),
              row: t.querySelector("tbody tr")!.getBoundingClientRect().top,
            }));
            if (head > row + 1)
              wide.push(`the inventory's headings cover its first row at ${width} px (${colorScheme})`);
          }
          if (p.name === "inventory" && width === 1280) {
            // Amazon's columns, both platforms and the issues, with nothing scrolled out of the table's frame.
            const frame = await page
              .locator(".table-wrap:has(table[aria-label='Inventory'])")
              .evaluate((el) => ({ scrollWidth: el.scrollWidth, clientWidth: el.clientWidth }));
            if (frame.scrollWidth > frame.clientWidth)
              wide.push(
                `the inventory table at 1280 px (${colorScheme}): ${frame.scrollWidth} px in ${frame.clientWidth}`,
              );
          }
          // The whole page, and the first screen as a person sees it on opening the page.
          await page.screenshot({
            path: path.join(SHOTS, `${p.name}-${width}-${colorScheme}.png`),
            fullPage: true,
          });
          await page.screenshot({ path: path.join(SHOTS, `${p.name}-${width}-${colorScheme}-top.png`) });
        }
      }
    }
    expect(wide).toEqual([]);
  }, 120_000);
});
