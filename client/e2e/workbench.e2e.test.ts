import fs from "node:fs";
import path from "node:path";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { memberWithPassword } from "../../server/test/auth";
import { asTenant } from "../../server/test/factories";
import { type SyncHarness, startJob, startSyncHarness, waitForJob } from "../../server/test/sync-harness";
import { launchChromium, requireBuiltClient, signIn, toastShown } from "./browser";

/** Set to a folder to keep a screenshot of each page there (they are never committed). */
const SCREENSHOTS = process.env.E2E_SCREENSHOTS;

interface ConflictAlert {
  id: string;
  status: string;
  conflict: { id: string; sku: string; field: string } | null;
}

/**
 * The seller's workbench in a real browser, over conflicts a real sync found against the marketplace sandbox
 * (left open: the tenant resolves MANUAL), with the alerts that sync raised for them.
 */
describe("the conflicts and alerts pages in a real browser", () => {
  let h: SyncHarness;
  let browser: Browser;
  let priceAlerts: ConflictAlert[];
  const contexts: BrowserContext[] = [];

  async function freshPage(): Promise<Page> {
    const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    contexts.push(context);
    return context.newPage();
  }
  const shot = async (page: Page, name: string) => {
    if (SCREENSHOTS) await page.screenshot({ path: path.join(SCREENSHOTS, `workbench-${name}.png`) });
  };
  const alertStatus = async (id: string) =>
    (await h.server.gql(`query($id: ID!) { alert(id: $id) { status } }`, { id })).data!.alert
      .status as string;
  // Syncs' follow-up checks may raise alerts of their own meanwhile: the badge is compared with the server's count.
  const serverUrgentCount = async () =>
    (
      await h.server.gql(
        `{ alerts(first: 1, filter: { status: [OPEN], priority: [CRITICAL, HIGH] }) { totalCount } }`,
      )
    ).data!.alerts.totalCount as number;
  const badgeMatchesServer = async (page: Page) => (await urgentCount(page)) === (await serverUrgentCount());
  const urgentCount = (page: Page) =>
    page
      .getByTestId("urgent-alerts")
      .getAttribute("data-count")
      .then((n) => Number(n));

  beforeAll(async () => {
    requireBuiltClient();
    h = await startSyncHarness({ skus: 200 });
    const pool = h.server.app.ownerPool;
    await pool.query(`UPDATE platform_sync_settings SET conflict_strategy = 'MANUAL' WHERE tenant_id = $1`, [
      h.tenantId,
    ]);
    await pool.query(`DELETE FROM alerts WHERE tenant_id = $1`, [h.tenantId]);
    await pool.query(`DELETE FROM sync_conflicts WHERE tenant_id = $1`, [h.tenantId]);
    const { id } = await startJob(h.server, { type: "FULL" });
    expect((await waitForJob(h.server, id)).status).toBe("SUCCEEDED");
    const alerts = (
      await h.server.gql(
        `{ alerts(first: 250, filter: { type: [SYNC_CONFLICT], status: [OPEN] }) {
             nodes { id status conflict { id sku field } } } }`,
      )
    ).data!.alerts.nodes as ConflictAlert[];
    priceAlerts = alerts.filter((a) => a.conflict?.field === "price");
    expect(priceAlerts.length).toBeGreaterThanOrEqual(3);
    browser = await launchChromium();
  }, 180_000);

  afterEach(async (context) => {
    const page = contexts.at(-1)?.pages().at(-1);
    if (SCREENSHOTS && page && context.task.result?.state === "fail")
      await page.screenshot({
        path: path.join(SCREENSHOTS, `workbench-failed-${context.task.name.slice(0, 30)}.png`),
      });
  });

  afterAll(async () => {
    for (const context of contexts) await context.close();
    await browser?.close();
    await h?.close();
  });

  it("resolves a conflict by a platform's value, shows the RESOLUTION job, and closes its alert", async () => {
    const target = priceAlerts[0]!;
    const { sku } = target.conflict!;
    const page = await freshPage();
    await signIn(page, `${h.server.url}/conflicts`, await memberWithPassword(h.server.app, "demo", "EDITOR"));
    await page.locator("[data-testid='conflicts-total']").waitFor();
    await shot(page, "conflicts");

    // The inventory row's count links to this SKU's conflicts.
    await page.goto(`${h.server.url}/inventory?q=${encodeURIComponent(sku)}`);
    await page.locator(`tr[data-sku='${sku}'] .cell-issues a[href^='/conflicts']`).click();
    await expect
      .poll(() => new URL(page.url()).search, { timeout: 15_000 })
      .toBe(`?sku=${encodeURIComponent(sku)}`);

    const card = page.locator(`article[data-conflict-id='${target.conflict!.id}']`);
    await card.waitFor();
    const rows = card.locator("tbody tr");
    expect(await rows.count()).toBeGreaterThanOrEqual(2);
    expect(await rows.first().locator("td").first().textContent()).toMatch(/^\d+(\.\d+)?$/);
    await shot(page, "conflict-card");
    const medusa = (await card.locator("tr[data-platform='MEDUSA'] td").first().textContent())!.trim();

    await card.getByRole("button", { name: "Use Medusa's value" }).click();
    const outcome = page.getByTestId("outcome");
    await expect
      .poll(() => outcome.textContent())
      .toMatch(/resolved\. The platforms that disagreed are written/);
    await toastShown(page, "success", /resolved/);
    const jobLink = page.getByTestId("outcome-job");
    expect(await jobLink.getAttribute("href")).toMatch(/^\/sync\?job=/);
    await shot(page, "conflict-resolved");
    // Open conflicts of this SKU only: the resolved one has left the list.
    await card.waitFor({ state: "detached" });

    expect(await alertStatus(target.id)).toBe("RESOLVED");
    const resolved = (
      await h.server.gql(`query($id: ID!) { conflict(id: $id) { status resolvedValue } }`, {
        id: target.conflict!.id,
      })
    ).data!.conflict;
    expect(resolved.status).toBe("RESOLVED");
    expect(Number(resolved.resolvedValue)).toBe(Number(medusa));

    await page.goto(`${h.server.url}/alerts?sku=${encodeURIComponent(sku)}&status=RESOLVED`);
    const row = page.locator(`li[data-alert-id='${target.id}']`);
    await row.waitFor();
    expect(await row.getAttribute("data-status")).toBe("RESOLVED");
    await row.getByRole("link", { name: "Open the conflict" }).click();
    await page
      .locator(`article[data-conflict-id='${target.conflict!.id}'][data-status='RESOLVED']`)
      .waitFor();
  }, 60_000);

  it("counts a new critical alert in the top bar without a reload, and acknowledging it takes it off", async () => {
    const page = await freshPage();
    await signIn(page, `${h.server.url}/alerts`, await memberWithPassword(h.server.app, "demo", "EDITOR"));
    await page.getByTestId("urgent-alerts").waitFor();
    await expect.poll(() => badgeMatchesServer(page), { timeout: 15_000 }).toBe(true);
    await shot(page, "alerts");

    const rowId = await asTenant(h.server.app.ownerPool, h.tenantId, async (c) => {
      const { rows } = await c.query<{ id: string }>(
        `INSERT INTO alerts (type, priority, title, message, payload, updated_at)
         VALUES ('OUT_OF_STOCK', 'CRITICAL', 'Out of stock on AMAZON: E2E-BESTSELLER', 'No units left. Bestseller.', '{}', now())
         RETURNING id`,
      );
      return rows[0]!.id;
    });
    const withNew = await serverUrgentCount();
    // No reload, no action: the count moves by itself.
    await expect.poll(() => urgentCount(page), { timeout: 15_000 }).toBeGreaterThanOrEqual(withNew);
    await expect.poll(() => badgeMatchesServer(page), { timeout: 15_000 }).toBe(true);
    const critical = page.locator("section[data-priority='CRITICAL']");
    const row = critical.locator("li", { hasText: "E2E-BESTSELLER" });
    await row.waitFor({ timeout: 10_000 });
    await shot(page, "alerts-new-critical");

    await row.getByRole("button", { name: "Acknowledge" }).click();
    expect(await toastShown(page, "success", /^Alert acknowledged/)).toBeNull();
    await expect.poll(() => row.getAttribute("data-status"), { timeout: 15_000 }).toBe("ACKNOWLEDGED");
    await expect.poll(() => badgeMatchesServer(page), { timeout: 15_000 }).toBe(true);
    expect(await page.getByTestId("outcome").textContent()).toBe("Alert acknowledged.");
    const id = await row.getAttribute("data-alert-id");
    expect(await alertStatus(id!)).toBe("ACKNOWLEDGED");
    expect(Buffer.from(id!, "base64url").toString()).toBe(`Alert:${rowId}`);

    // Resolving it by selection clears it from the open list.
    await row.getByRole("checkbox").check();
    await page.getByRole("button", { name: "Resolve selected" }).click();
    await expect
      .poll(() => page.getByTestId("outcome").textContent(), { timeout: 15_000 })
      .toBe("1 alert resolved.");
    expect(await toastShown(page, "success", /^1 alert resolved/)).toBeNull();
    await row.waitFor({ state: "detached" });
    expect(await alertStatus(id!)).toBe("RESOLVED");

    // One resolved from its own row's button says so in a toast as well.
    await asTenant(h.server.app.ownerPool, h.tenantId, (c) =>
      c.query(
        `INSERT INTO alerts (type, priority, title, message, payload, updated_at)
         VALUES ('OUT_OF_STOCK', 'CRITICAL', 'Out of stock on AMAZON: E2E-SECOND', 'No units left.', '{}', now())`,
      ),
    );
    const second = critical.locator("li", { hasText: "E2E-SECOND" });
    await second.waitFor({ timeout: 15_000 });
    await second.getByRole("button", { name: "Resolve", exact: true }).click();
    expect(await toastShown(page, "success", /^Alert resolved/)).toBeNull();
    await second.waitFor({ state: "detached", timeout: 15_000 });
  }, 60_000);

  it("refuses an impossible value with its code, and resolves many selected by a strategy", async () => {
    const page = await freshPage();
    await signIn(
      page,
      `${h.server.url}/conflicts?type=PRICE`,
      await memberWithPassword(h.server.app, "demo", "EDITOR"),
    );
    const first = page.locator("article.conflict-card").first();
    await first.waitFor();
    await first.getByLabel(/^Value for/).fill("-3");
    await first.getByRole("button", { name: "Resolve to this value" }).click();
    await expect
      .poll(() => first.locator(".error-code").first().textContent(), { timeout: 15_000 })
      .toBe("INVALID_PRICE");
    // The toast region says so too, with the same code.
    expect(await toastShown(page, "failure", /./)).toBe("INVALID_PRICE");
    await shot(page, "conflict-refused");

    const openBefore = Number(await page.getByTestId("conflicts-total").getAttribute("data-count"));
    const cards = page.locator("article.conflict-card");
    await cards.nth(0).getByRole("checkbox").check();
    await cards.nth(1).getByRole("checkbox").check();
    await page.getByLabel("Strategy for the selected conflicts").selectOption("LOWEST_WINS");
    await page.getByRole("button", { name: "Resolve selected" }).click();
    await expect
      .poll(() => page.getByTestId("outcome").textContent())
      .toMatch(/^2 conflicts resolved by Lowest wins\./);
    expect(await toastShown(page, "success", /^2 conflicts resolved/)).toBeNull();
    await expect
      .poll(() => page.getByTestId("conflicts-total").getAttribute("data-count"))
      .toBe(String(openBefore - 2));
  }, 60_000);

  it("exports the conflicts and the alerts the page shows, with its filters", async () => {
    const page = await freshPage();
    await signIn(
      page,
      `${h.server.url}/conflicts?status=OPEN`,
      await memberWithPassword(h.server.app, "demo", "EDITOR"),
    );
    const exportJson = async () => {
      await page.getByRole("button", { name: "Export" }).click();
      const [download] = await Promise.all([
        page.waitForEvent("download"),
        page.getByRole("menuitem", { name: "JSON" }).click(),
      ]);
      return {
        name: download.suggestedFilename(),
        rows: JSON.parse(fs.readFileSync((await download.path())!, "utf8")) as {
          status: string;
          priority?: string;
        }[],
      };
    };
    const count = async (query: string) =>
      (await h.server.gql<Record<string, { totalCount: number }>>(query)).data!;

    await page.getByTestId("conflicts-total").waitFor();
    const conflicts = await exportJson();
    expect(conflicts.name).toMatch(/^conflicts-demo-\d{4}-\d{2}-\d{2}\.json$/);
    const open = await count("{ conflicts(first: 1, filter: { status: [OPEN] }) { totalCount } }");
    expect(conflicts.rows).toHaveLength(open.conflicts!.totalCount);
    expect(new Set(conflicts.rows.map((r) => r.status))).toEqual(
      new Set(open.conflicts!.totalCount ? ["OPEN"] : []),
    );

    await page.goto(`${h.server.url}/alerts?priority=CRITICAL,HIGH&status=OPEN`);
    await page.getByRole("heading", { name: "Alerts", level: 1 }).waitFor();
    const alerts = await exportJson();
    const urgent = await count(
      "{ alerts(first: 1, filter: { priority: [CRITICAL, HIGH], status: [OPEN] }) { totalCount } }",
    );
    expect(alerts.rows).toHaveLength(urgent.alerts!.totalCount);
    expect(
      alerts.rows.every((r) => (r.priority === "CRITICAL" || r.priority === "HIGH") && r.status === "OPEN"),
    ).toBe(true);
  });

  it("shows a viewer the conflicts and alerts without any control that changes them", async () => {
    const page = await freshPage();
    await signIn(page, `${h.server.url}/conflicts`, await memberWithPassword(h.server.app, "demo", "VIEWER"));
    await page.locator("article.conflict-card").first().waitFor();
    await page.getByTestId("read-only").waitFor();
    for (const name of [
      /^Use .* value$/,
      "Resolve by strategy",
      "Resolve to this value",
      "Ignore",
      "Resolve selected",
    ])
      expect(await page.getByRole("button", { name, exact: true }).count()).toBe(0);
    expect(await page.getByRole("checkbox").count()).toBe(0);
    expect(await page.getByRole("textbox", { name: /^Value for/ }).count()).toBe(0);
    await shot(page, "conflicts-viewer");

    await page.getByRole("link", { name: /^Alerts/ }).click();
    await page.locator("section[data-priority='HIGH'][data-count]").waitFor();
    await page.getByTestId("read-only").waitFor();
    for (const name of ["Acknowledge", "Resolve", "Resolve selected"])
      expect(await page.getByRole("button", { name, exact: true }).count()).toBe(0);
    await page.getByTestId("urgent-alerts").waitFor();
    const ids = await page
      .locator("li[data-alert-id]")
      .evaluateAll((rows) => rows.map((r) => r.getAttribute("data-alert-id")));
    expect(ids.length).toBeGreaterThan(0);
    expect(new Set(ids).size).toBe(ids.length);
    await shot(page, "alerts-viewer");
  }, 60_000);
});
