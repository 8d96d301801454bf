import path from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { toGlobalId } from "../../server/src/graphql/global-id";
import { createOwnerPool } from "../../server/src/platform/db";
import { PgPubSub } from "../../server/src/platform/events";
import { memberWithPassword } from "../../server/test/auth";
import { advanceJob, insertJob, publishJob } from "../../server/test/subscriptions.fixtures";
import { type SyncHarness, startSyncHarness } from "../../server/test/sync-harness";
import { launchChromium, requireBuiltClient, signIn, toastShown } from "./browser";

const SKUS = 200;
/** Set to a folder to keep a screenshot of each step there (they are never committed). */
const SCREENSHOTS = process.env.E2E_SCREENSHOTS;
const WAIT = { timeout: 60_000 };

describe("sync page in a real browser", () => {
  let h: SyncHarness;
  let browser: Browser;
  let page: Page;
  let workerPool: ReturnType<typeof createOwnerPool>;
  /** Events from a bus of its own: a worker in another process reporting progress. */
  let worker: PgPubSub;
  const pageErrors: string[] = [];

  async function screenshot(name: string) {
    if (SCREENSHOTS)
      await page.screenshot({
        path: path.join(SCREENSHOTS, `sync-${name}.png`),
        fullPage: true,
        animations: "disabled",
      });
  }

  const overall = () => page.getByRole("progressbar", { name: "Overall progress" });
  const jobStatus = (status: string) =>
    page.locator(`[data-testid='sync-job-status'][data-status='${status}']`).waitFor(WAIT);

  beforeAll(async () => {
    requireBuiltClient();
    h = await startSyncHarness({ skus: SKUS });
    workerPool = createOwnerPool(h.server.dbUrl);
    worker = new PgPubSub(h.server.dbUrl, workerPool);
    // pool.end() resolves before its sockets close; dropping the database may still cut one.
    workerPool.on("error", () => {});
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    page.on("pageerror", (error) => pageErrors.push(error.message));
    await signIn(page, h.server.url, await memberWithPassword(h.server.app, "demo", "EDITOR"));
  });

  afterEach(async (context) => {
    if (context.task.result?.state === "fail") await screenshot(`failed-${context.task.name.slice(0, 40)}`);
  });

  afterAll(async () => {
    await browser?.close();
    await worker?.close();
    await workerPool?.end();
    await h?.close();
  });

  it("is in the nav and lists a job that starts while the page is open, then follows it live to its end", async () => {
    await page.goto(h.server.url);
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Sync" }).click();
    await page.waitForURL(/\/sync/);
    const total = page.getByTestId("sync-jobs-total");
    await total.waitFor(WAIT);
    const before = Number(await total.getAttribute("data-count"));

    // The list learns of the job from syncJobsUpdated alone: no reload, no polling.
    const owner = h.server.app.ownerPool;
    const jobId = await insertJob(owner, h.tenantId, SKUS);
    const id = toGlobalId("SyncJob", jobId);
    const row = page.locator(`table[aria-label='Sync jobs'] tr[data-job-id='${id}']`);
    // Published until the page shows it: the page's subscription may still be opening its socket.
    await expect
      .poll(
        async () => {
          await publishJob(worker, await advanceJob(owner, h.tenantId, jobId, { status: "FETCHING" }));
          return row.count();
        },
        { timeout: 30_000, interval: 500 },
      )
      .toBe(1);
    await page.locator(`[data-testid='sync-jobs-total'][data-count='${before + 1}']`).waitFor(WAIT);
    await row.getByRole("button").click();
    await jobStatus("FETCHING");
    expect(new URL(page.url()).searchParams.get("job")).toBe(id);

    const results = (amazon: number, medusa: number) => ({
      AMAZON: { total: SKUS / 2, processed: amazon, status: amazon === SKUS / 2 ? "SUCCEEDED" : "APPLYING" },
      MEDUSA: { total: SKUS / 2, processed: medusa, failed: medusa ? 1 : 0, status: "APPLYING" },
    });
    await publishJob(
      worker,
      await advanceJob(owner, h.tenantId, jobId, {
        status: "APPLYING",
        processed: 50,
        updated: 12,
        platformResults: results(40, 10),
      }),
    );
    await page
      .locator("[role='progressbar'][aria-label='Overall progress'][aria-valuenow='25']")
      .waitFor(WAIT);
    await page
      .locator("[role='progressbar'][aria-label='Amazon progress'][aria-valuenow='40']")
      .waitFor(WAIT);
    expect(await page.getByTestId("counter-updated").textContent()).toBe("12");
    await screenshot("running");

    await publishJob(
      worker,
      await advanceJob(owner, h.tenantId, jobId, {
        status: "SUCCEEDED",
        processed: SKUS,
        updated: 30,
        platformResults: results(100, 100),
      }),
    );
    await jobStatus("SUCCEEDED");
    expect(await overall().getAttribute("aria-valuenow")).toBe("100");
    await row.and(page.locator("[data-status='SUCCEEDED']")).waitFor(WAIT);
    expect(await page.getByTestId("counter-processed").textContent()).toBe(String(SKUS));
    await screenshot("succeeded");
  }, 90_000);

  it("asks a running job to stop from its cancel button, and shows it CANCELLED once the worker stops", async () => {
    const owner = h.server.app.ownerPool;
    const jobId = await insertJob(owner, h.tenantId, SKUS);
    await advanceJob(owner, h.tenantId, jobId, { status: "APPLYING", processed: 80 });
    await page.goto(`${h.server.url}/sync?job=${toGlobalId("SyncJob", jobId)}`);
    await jobStatus("APPLYING");

    await page.getByRole("button", { name: "Cancel sync" }).click();
    const cancelling = page.getByRole("button", { name: "Cancelling…" });
    await cancelling.waitFor(WAIT);
    expect(await cancelling.isDisabled()).toBe(true);
    expect(await toastShown(page, "success", /^Sync cancelled/)).toBeNull();
    // The request is recorded, and the page learnt it from the server, not only from its own click.
    await page.locator("[data-testid='sync-job-status'][data-cancel-requested='true']").waitFor(WAIT);
    await screenshot("cancelling");
    const { rows } = await owner.query<{ cancel_requested_at: Date | null }>(
      "SELECT cancel_requested_at FROM sync_jobs WHERE id = $1",
      [jobId],
    );
    expect(rows[0]!.cancel_requested_at).not.toBeNull();

    // The worker sees the request and ends the job.
    await publishJob(worker, await advanceJob(owner, h.tenantId, jobId, { status: "CANCELLED" }));
    await jobStatus("CANCELLED");
    expect(await page.getByRole("button", { name: /Cancel/ }).count()).toBe(0);
    // Cancelled is an outcome someone asked for, not a failure.
    await page.getByTestId("sync-job-cancelled").waitFor(WAIT);
    expect(await page.getByText("The sync failed.").count()).toBe(0);
  });

  it("filters the jobs by status, keeps the filter in the URL, and pages back through older jobs", async () => {
    const owner = h.server.app.ownerPool;
    for (let i = 0; i < 23; i++) {
      const id = await insertJob(owner, h.tenantId, 10);
      await advanceJob(owner, h.tenantId, id, { status: "FAILED" });
    }
    const { rows } = await owner.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM sync_jobs WHERE tenant_id = $1 AND status = 'FAILED'",
      [h.tenantId],
    );
    const failed = rows[0]!.n;
    const listed = page.locator("table[aria-label='Sync jobs'] tbody tr[data-job-id]");
    const statuses = () => listed.evaluateAll((trs) => trs.map((tr) => tr.getAttribute("data-status")));

    await page.goto(`${h.server.url}/sync?status=FAILED`);
    await expect.poll(() => listed.count(), WAIT).toBe(20);
    expect(new Set(await statuses())).toEqual(new Set(["FAILED"]));
    expect(await page.getByLabel("Status filter").inputValue()).toBe("FAILED");

    const pages = page.getByRole("navigation", { name: "Job pages" });
    await pages.getByRole("button", { name: "Older ›" }).click();
    await expect.poll(() => listed.count(), WAIT).toBe(Math.min(20, failed - 20));
    expect(new Set(await statuses())).toEqual(new Set(["FAILED"]));
    await pages.getByRole("button", { name: "Newest" }).click();
    await expect.poll(() => listed.count(), WAIT).toBe(20);

    await page.getByLabel("Status filter").selectOption("SUCCEEDED");
    await expect.poll(async () => new Set(await statuses()), WAIT).toEqual(new Set(["SUCCEEDED"]));
    expect(new URL(page.url()).searchParams.get("status")).toBe("SUCCEEDED");
    await page.getByRole("button", { name: "Clear" }).click();
    await expect.poll(() => new URL(page.url()).searchParams.get("status"), WAIT).toBeNull();
  });

  it("starts a full sync from the form and watches it run against the sandbox to SUCCEEDED", async () => {
    await page.goto(`${h.server.url}/sync`);
    await page.getByTestId("sync-jobs-total").waitFor(WAIT);
    // Every state the page shows for a job, recorded as the DOM changes, so no state can slip by unseen.
    await page.evaluate(() => {
      const seen: string[] = [];
      (window as unknown as { seenStates: string[] }).seenStates = seen;
      const record = () => {
        const row = document.querySelector("table[aria-label='Sync jobs'] tr[aria-selected='true']");
        const panel = document.querySelector("[data-testid='sync-job-status']");
        const bar = document.querySelector("[aria-label='Overall progress']");
        const states = [
          row ? `row:${row.getAttribute("data-status")}` : null,
          panel
            ? `panel:${panel.getAttribute("data-status")}@${bar?.getAttribute("aria-valuenow") ?? "?"}`
            : null,
        ];
        for (const state of states) if (state && !seen.includes(state)) seen.push(state);
      };
      new MutationObserver(record).observe(document.body, {
        subtree: true,
        childList: true,
        attributes: true,
      });
    });

    const form = page.getByRole("form", { name: "Start a sync" });
    await form.getByRole("radio", { name: /^Full/ }).check();
    expect(await form.getByRole("checkbox", { name: "Amazon" }).isChecked()).toBe(true);
    expect(await form.getByRole("checkbox", { name: "Medusa" }).isChecked()).toBe(true);
    await screenshot("form");
    await form.getByRole("button", { name: "Start sync" }).click();
    expect(await toastShown(page, "success", /^Sync started/)).toBeNull();

    await page.waitForURL(/[?&]job=/, WAIT);
    const id = new URL(page.url()).searchParams.get("job")!;
    await page.locator(`table[aria-label='Sync jobs'] tr[data-job-id='${id}']`).waitFor(WAIT);
    await jobStatus("SUCCEEDED");
    await page
      .locator("[role='progressbar'][aria-label='Overall progress'][aria-valuenow='100']")
      .waitFor(WAIT);
    await page
      .locator(`table[aria-label='Sync jobs'] tr[data-job-id='${id}'][data-status='SUCCEEDED']`)
      .waitFor(WAIT);
    await screenshot("engine-succeeded");

    const seen = await page.evaluate(() => (window as unknown as { seenStates: string[] }).seenStates);
    expect(seen).toContain("panel:SUCCEEDED@100");
    expect(seen).toContain("row:SUCCEEDED");
    // It was seen running before it ended: live updates, not a page that only ever showed the outcome.
    const running = seen.filter((s) => !/:(SUCCEEDED|FAILED|CANCELLED)/.test(s));
    expect(running.length, seen.join(", ")).toBeGreaterThan(0);
    const total = Number(await page.getByTestId("counter-total").textContent());
    expect(total).toBeGreaterThan(0);
    expect(await page.getByTestId("counter-processed").textContent()).toBe(String(total));
    expect(await page.getByRole("button", { name: "Cancel sync" }).count()).toBe(0);
  }, 120_000);

  it("runs a partial dry run of the SKUs typed in, after showing what is wrong with the input", async () => {
    const found = await h.server.gql<{ inventory: { nodes: { sku: string }[] } }>(
      "{ inventory(first: 2) { nodes { sku } } }",
    );
    const skus = found.data!.inventory.nodes.map((n) => n.sku);
    await page.goto(`${h.server.url}/sync`);
    const form = page.getByRole("form", { name: "Start a sync" });
    await form.getByRole("radio", { name: /^Partial/ }).check();
    await form.getByRole("button", { name: "Start sync" }).click();
    await form.getByRole("alert").getByText("List the SKUs to sync.").waitFor(WAIT);

    // Refused by the server: its userError shows beside the SKUs box.
    await form.getByRole("textbox", { name: "SKUs" }).fill("x".repeat(101));
    await form.getByRole("button", { name: "Start sync" }).click();
    await form
      .getByRole("alert")
      .getByText(/A SKU is 1 to 100 printable characters/)
      .waitFor(WAIT);
    await screenshot("partial-error");

    await form.getByRole("textbox", { name: "SKUs" }).fill(skus.join("\n"));
    await form.getByRole("checkbox", { name: /^Dry run/ }).check();
    await form.getByRole("button", { name: "Start dry run" }).click();
    await jobStatus("SUCCEEDED");
    expect(await form.getByRole("alert").count()).toBe(0);
    const heading = page.locator("#sync-job-heading");
    expect(await heading.textContent()).toContain("Partial sync");
    expect(await heading.textContent()).toContain("Dry run");
    expect(await page.locator(".sync-summary-head p").textContent()).toContain("2 SKUs");
    expect(await page.getByTestId("counter-total").textContent()).toBe("2");
    await screenshot("partial-succeeded");
  }, 120_000);

  it("raised no uncaught errors in the page", () => {
    expect(pageErrors).toEqual([]);
  });
});
