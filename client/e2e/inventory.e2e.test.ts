import fs from "node:fs";
import path from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedTenant } from "../../server/src/modules/catalog/demo/seed";
import { createOwnerPool } from "../../server/src/platform/db";
import { startTestServer, type TestServer } from "../../server/test/app";
import { memberWithPassword } from "../../server/test/auth";
import { launchChromium, requireBuiltClient, signIn, toastShown } from "./browser";

const SKUS = 300;
/** The server's rows per bulk call here: a selection of every matching row goes in several calls. */
const BULK_MAX_ROWS = 60;
const DEFAULT_PAGE_SIZE = 50;
/** Set to a folder to keep a screenshot of each step there (they are never committed). */
const SCREENSHOTS = process.env.E2E_SCREENSHOTS;

const rows = "table[aria-label='Inventory'] tbody tr[data-sku]";

/** RFC 4180 CSV (quoted cells, doubled quotes, newlines inside quotes) into rows of cells. */
function parseCsv(text: string): string[][] {
  const out: string[][] = [];
  let row: string[] = [];
  let cell = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ",") {
      row.push(cell);
      cell = "";
    } else if (c === "\n") {
      row.push(cell);
      out.push(row);
      row = [];
      cell = "";
    } else if (c !== "\r") cell += c;
  }
  if (cell || row.length) out.push([...row, cell]);
  return out;
}

describe("inventory page in a real browser", () => {
  let server: TestServer;
  let browser: Browser;
  let page: Page;
  const pageErrors: string[] = [];

  async function screenshot(name: string) {
    if (SCREENSHOTS) await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: false });
  }

  async function waitForTotal(count: number) {
    await page.locator(`[data-testid='inventory-total'][data-count='${count}']`).waitFor();
    await page.locator("table[aria-label='Inventory'][aria-busy='false']").waitFor();
  }

  async function skusShown(): Promise<string[]> {
    return page.locator(rows).evaluateAll((trs) => trs.map((tr) => tr.getAttribute("data-sku") ?? ""));
  }

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
      { env: { BULK_UPDATE_MAX_ROWS: String(BULK_MAX_ROWS) } },
    );
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
    page.on("pageerror", (error) => pageErrors.push(error.message));
    await signIn(page, server.url, await memberWithPassword(server.app, "demo", "EDITOR"));
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it("opens on the inventory with the demo tenant's total, a full first page and a column per platform", async () => {
    await page.goto(server.url);
    await page.waitForURL(/\/inventory$/);
    await waitForTotal(SKUS);

    expect(await page.locator(rows).count()).toBe(DEFAULT_PAGE_SIZE);
    const platforms = await page.locator("thead .platform-name").allTextContents();
    expect(platforms).toEqual(expect.arrayContaining(["Amazon", "Medusa"]));
    expect(await page.getByRole("navigation", { name: "Pagination" }).textContent()).toContain("1–50 of 300");
    await screenshot("inventory");
  });

  it("narrows the table to one item when its SKU is typed into the search box", async () => {
    // A SKU that matches nothing else and is not on the first page, so only the search can bring it up.
    const firstPage = await server.gql<{ inventory: { nodes: { sku: string }[] } }>(
      `{ inventory(first: ${DEFAULT_PAGE_SIZE}, orderBy: { field: TITLE }) { nodes { sku } } }`,
    );
    const onFirstPage = new Set(firstPage.data!.inventory.nodes.map((n) => n.sku));
    const lastPage = await server.gql<{ inventory: { nodes: { sku: string }[] } }>(
      `{ inventory(first: 20, orderBy: { field: TITLE, direction: DESC }) { nodes { sku } } }`,
    );
    let sku: string | undefined;
    for (const candidate of lastPage.data!.inventory.nodes.map((n) => n.sku)) {
      if (onFirstPage.has(candidate)) continue;
      const found = await server.gql<{ inventory: { totalCount: number } }>(
        "query ($search: String) { inventory(filter: { search: $search }) { totalCount } }",
        { search: candidate },
      );
      if (found.data?.inventory.totalCount === 1) {
        sku = candidate;
        break;
      }
    }
    expect(sku, "a SKU that only matches itself").toBeDefined();

    await waitForTotal(SKUS);
    const search = page.getByRole("searchbox", { name: "Search inventory" });
    await search.click();
    await search.pressSequentially(sku!);

    await waitForTotal(1);
    await page.locator(`${rows}[data-sku='${sku}']`).waitFor();
    expect(await skusShown()).toEqual([sku]);
    expect(new URL(page.url()).searchParams.get("q")).toBe(sku);
    await screenshot("inventory-search");

    await search.fill("");
    await waitForTotal(SKUS);
    expect(await page.locator(rows).count()).toBe(DEFAULT_PAGE_SIZE);
  });

  it("pages forward and back with cursors", async () => {
    await waitForTotal(SKUS);
    const pager = page.getByRole("navigation", { name: "Pagination" });
    const first = await skusShown();

    await pager.getByRole("button", { name: "Next" }).click();
    await pager.getByText("51–100 of 300").waitFor();
    await page.locator("table[aria-label='Inventory'][aria-busy='false']").waitFor();
    const second = await skusShown();
    expect(second).toHaveLength(DEFAULT_PAGE_SIZE);
    expect(second.filter((s) => first.includes(s))).toEqual([]);

    await pager.getByRole("button", { name: "Previous" }).click();
    await pager.getByText("1–50 of 300").waitFor();
    await page.locator("table[aria-label='Inventory'][aria-busy='false']").waitFor();
    expect(await skusShown()).toEqual(first);
  });

  it("filters by stock level from the Stock dropdown and clears the filter again", async () => {
    const expected = await server.gql<{ inventory: { totalCount: number } }>(
      "{ inventory(filter: { stockLevel: [OUT_OF_STOCK] }) { totalCount } }",
    );
    const outOfStock = expected.data!.inventory.totalCount;
    expect(outOfStock).toBeGreaterThan(0);
    await waitForTotal(SKUS);

    await page.getByRole("button", { name: "Stock", exact: true }).click();
    await page.getByRole("checkbox", { name: "Out of stock" }).check();
    await screenshot("inventory-filter");
    await page.keyboard.press("Escape");

    await waitForTotal(outOfStock);
    const badges = await page.locator(`${rows} td.cell-stock`).allTextContents();
    expect(badges.length).toBe(Math.min(outOfStock, DEFAULT_PAGE_SIZE));
    expect(new Set(badges)).toEqual(new Set(["Out of stock"]));
    expect(new URL(page.url()).searchParams.get("stock")).toBe("OUT_OF_STOCK");

    await page.getByRole("button", { name: "Clear all" }).click();
    await waitForTotal(SKUS);
  });

  it("shows a GraphQL error's message and recovers on retry", async () => {
    // Only the inventory's own query fails: the session and the account load as usual.
    await page.route("**/graphql", (route) =>
      /query InventoryPage\b/.test(route.request().postDataJSON()?.query ?? "")
        ? route.fulfill({
            status: 200,
            contentType: "application/json",
            body: JSON.stringify({
              data: null,
              errors: [{ message: "The inventory is resting", extensions: { code: "SERVICE_UNAVAILABLE" } }],
            }),
          })
        : route.continue(),
    );
    await page.reload();
    const alert = page.getByRole("alert");
    await alert.getByText("The inventory is resting").waitFor();
    expect(await alert.textContent()).toContain("SERVICE_UNAVAILABLE");
    await screenshot("inventory-error");

    await page.unroute("**/graphql");
    await alert.getByRole("button", { name: "Try again" }).click();
    await waitForTotal(SKUS);
    expect(await page.getByRole("alert").count()).toBe(0);
  });

  it("exports what the page shows (filter and sort) as CSV and JSON from the Export menu", async () => {
    const pageFilter = { stockLevel: ["IN_STOCK"], fulfillmentChannel: ["FBA"] };
    const expected: string[] = [];
    let after: string | null = null;
    for (let guard = 0; guard < 10; guard++) {
      const res: { data?: { inventory: { nodes: { sku: string }[]; pageInfo: Record<string, never> } } } =
        await server.gql(
          `query($filter: InventoryFilter, $after: String) {
            inventory(first: 250, after: $after, filter: $filter, orderBy: { field: PRICE, direction: DESC }) {
              nodes { sku } pageInfo { hasNextPage endCursor }
            }
          }`,
          { filter: pageFilter, after },
        );
      const conn = res.data!.inventory as unknown as {
        nodes: { sku: string }[];
        pageInfo: { hasNextPage: boolean; endCursor: string };
      };
      expected.push(...conn.nodes.map((n) => n.sku));
      if (!conn.pageInfo.hasNextPage) break;
      after = conn.pageInfo.endCursor;
    }
    expect(expected.length).toBeGreaterThan(0);
    expect(expected.length).toBeLessThan(SKUS);

    await page.goto(`${server.url}/inventory?stock=IN_STOCK&channel=FBA&sort=PRICE&dir=desc`);
    await waitForTotal(expected.length);

    const exportAs = async (label: string) => {
      await page.getByRole("button", { name: "Export" }).click();
      await screenshot(`inventory-export-${label.toLowerCase()}`);
      const [download] = await Promise.all([
        page.waitForEvent("download"),
        page.getByRole("menuitem", { name: label }).click(),
      ]);
      return { name: download.suggestedFilename(), text: fs.readFileSync((await download.path())!, "utf8") };
    };

    const csv = await exportAs("CSV");
    expect(csv.name).toMatch(/^inventory-demo-\d{4}-\d{2}-\d{2}\.csv$/);
    const [header, ...records] = parseCsv(csv.text);
    const sku = header!.indexOf("sku");
    expect(header!.slice(0, 3)).toEqual(["id", "sku", "asin"]);
    expect(records.map((r) => r[sku])).toEqual(expected);
    const channel = header!.indexOf("fulfillmentChannel");
    expect(new Set(records.map((r) => r[channel]))).toEqual(new Set(["FBA"]));

    const json = await exportAs("JSON");
    expect(json.name).toMatch(/\.json$/);
    const rowsOut = JSON.parse(json.text) as { sku: string; stockLevel: string }[];
    expect(rowsOut.map((r) => r.sku)).toEqual(expected);
    expect(new Set(rowsOut.map((r) => r.stockLevel))).toEqual(new Set(["IN_STOCK"]));
    await screenshot("inventory-export");
  });

  it("opens an item's own page from its SKU, with its listings and a timeline that shows a change just made", async () => {
    await page.goto(`${server.url}/inventory`);
    await waitForTotal(SKUS);
    const first = page.locator(rows).first();
    const sku = (await first.getAttribute("data-sku"))!;
    const before = await server.gql<{ inventory: { nodes: { quantity: number; title: string }[] } }>(
      `query($s: String) { inventory(first: 1, filter: { search: $s }) { nodes { quantity title } } }`,
      { s: sku },
    );
    const { quantity, title } = before.data!.inventory.nodes[0]!;
    const changed = await server.gql(
      `mutation($sku: String!, $q: Int!) { bulkUpdateInventory(input: { updates: [{ sku: $sku, quantity: $q }] }) { userErrors { code } } }`,
      { sku, q: quantity + 7 },
    );
    expect(changed.data!.bulkUpdateInventory.userErrors).toEqual([]);

    await first.getByRole("link", { name: sku }).click();
    await page.waitForURL(/\/inventory\/[^/]+$/);
    await page.getByRole("heading", { level: 1, name: title }).waitFor();
    expect(await page.getByTestId("item-record").textContent()).toContain(String(quantity + 7));
    expect(await page.getByRole("table", { name: "Listings" }).locator("tbody tr").count()).toBeGreaterThan(
      0,
    );
    const latest = page.getByRole("list", { name: "History" }).locator("li[data-field='quantity']").first();
    await expect.poll(() => latest.getByTestId("new-value").textContent()).toBe(String(quantity + 7));
    expect(await latest.textContent()).toContain(`${quantity} →`);
    await screenshot("item");

    // The History panel exports this item's history (and only this item's), the change just made first.
    const history = page.getByRole("region", { name: "History" });
    await history.getByRole("button", { name: "Export" }).click();
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      history.getByRole("menuitem", { name: "JSON" }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^history-demo-\d{4}-\d{2}-\d{2}\.json$/);
    const exported = JSON.parse(fs.readFileSync((await download.path())!, "utf8")) as Array<{
      sku: string;
      field: string;
      newValue: unknown;
    }>;
    expect(exported.length).toBeGreaterThan(0);
    expect(exported.filter((r) => r.sku !== sku)).toEqual([]);
    expect(exported.find((r) => r.field === "quantity")?.newValue).toBe(quantity + 7);

    // Its own URL: a reload lands on the same item.
    await page.reload();
    await page.getByRole("heading", { level: 1, name: title }).waitFor();
  });

  it("bulk-edits the selected rows: a preview first, problems per row with their codes, then the change and its job", async () => {
    await page.goto(`${server.url}/inventory`);
    await waitForTotal(SKUS);
    const chosen = (await skusShown()).slice(0, 3);
    for (const sku of chosen) await page.getByLabel(`Select ${sku}`).check();
    const panel = page.getByRole("form", { name: "Change 3 selected items" });
    await panel.waitFor();
    const apply = panel.getByRole("button", { name: "Apply" });
    expect(await apply.isDisabled()).toBe(true);

    // A price no platform takes: every row refused, with its code, and nothing written.
    await panel.getByLabel("Change").selectOption("SET_PRICE");
    await panel.getByLabel("Value").fill("-1");
    await panel.getByRole("button", { name: "Preview" }).click();
    const problems = panel.getByRole("list", { name: "Rows with problems" }).locator("li");
    await expect.poll(() => problems.count()).toBe(3);
    expect(await problems.first().locator("[data-code]").getAttribute("data-code")).toMatch(/^[A-Z_]+$/);

    const quantities = async () =>
      (
        await server.app.ownerPool.query<{ quantity: number }>(
          "SELECT quantity FROM seller_inventory WHERE sku = ANY($1) ORDER BY array_position($1, sku)",
          [chosen],
        )
      ).rows.map((r) => r.quantity);
    const before = await quantities();

    await panel.getByLabel("Change").selectOption("SET_QUANTITY");
    await panel.getByLabel("Value").fill("42");
    await panel.getByRole("button", { name: "Preview" }).click();
    const outcome = panel.getByTestId("bulk-outcome");
    await expect.poll(() => outcome.textContent()).toMatch(/^Preview: 3 would change/);
    expect(await quantities()).toEqual(before);
    await screenshot("inventory-bulk-preview");

    await apply.click();
    await expect.poll(() => outcome.getAttribute("data-dry-run")).toBe("false");
    expect(await outcome.textContent()).toMatch(/^3 changed/);
    await outcome.getByRole("link", { name: "Follow the job to the platforms" }).waitFor();
    expect(await quantities()).toEqual([42, 42, 42]);
    const shownQty = page.locator(`${rows}[data-sku='${chosen[0]}'] td.num`).first();
    await expect.poll(() => shownQty.textContent()).toBe("42");
    await panel.getByRole("button", { name: "Clear selection" }).click();
    expect(await panel.count()).toBe(0);
  });

  it("takes 200 rows selected by a shift-click range through a dry run and then for real, leaving out the one bad row", async () => {
    const ROWS = 200;
    // Amazon sets an FBA item's quantity itself, so a seller changing quantities works on FBM rows: the seller
    // has moved some items to their own fulfilment, enough for the range.
    await server.app.ownerPool.query(
      `UPDATE seller_inventory SET fulfillment_channel = 'FBM', inbound_quantity = 0
        WHERE id IN (SELECT id FROM seller_inventory WHERE fulfillment_channel = 'FBA' ORDER BY sku LIMIT $1)`,
      [ROWS],
    );
    const fbm = Number(
      (
        await server.app.ownerPool.query<{ n: string }>(
          "SELECT count(*) AS n FROM seller_inventory WHERE fulfillment_channel = 'FBM'",
        )
      ).rows[0]!.n,
    );
    expect(fbm).toBeGreaterThan(ROWS);
    await page.goto(`${server.url}/inventory?channel=FBM&size=250`);
    await waitForTotal(fbm);
    const chosen = (await skusShown()).slice(0, ROWS);
    expect(chosen.length).toBe(ROWS);
    const bad = chosen[37]!;
    // Every chosen row holds at least 3 except one that holds none: taking 1 from each cannot be done to that one.
    await server.app.ownerPool.query(
      "UPDATE seller_inventory SET quantity = CASE WHEN sku = $2 THEN 0 ELSE GREATEST(quantity, 3) END WHERE sku = ANY($1)",
      [chosen, bad],
    );
    const quantities = async () =>
      new Map(
        (
          await server.app.ownerPool.query<{ sku: string; quantity: number }>(
            "SELECT sku, quantity FROM seller_inventory WHERE sku = ANY($1)",
            [chosen],
          )
        ).rows.map((r) => [r.sku, r.quantity]),
      );
    const before = await quantities();
    await page.reload();
    await waitForTotal(fbm);

    await page.getByLabel(`Select ${chosen[0]}`).check();
    await page.getByLabel(`Select ${chosen[ROWS - 1]}`).click({ modifiers: ["Shift"] });
    const panel = page.getByRole("form", { name: `Change ${ROWS} selected items` });
    await panel.waitFor();
    await panel.getByLabel("Change").selectOption("ADJUST_QUANTITY");
    await panel.getByLabel("Value").fill("-1");
    await panel.getByRole("button", { name: "Preview" }).click();
    const outcome = panel.getByTestId("bulk-outcome");
    const summary = outcome.locator("p");
    await expect
      .poll(() => summary.textContent())
      .toBe(`Preview: ${ROWS - 1} would change, 1 with problems (left out).`);
    const problem = panel.getByRole("list", { name: "Rows with problems" }).locator(`li[data-sku='${bad}']`);
    expect(await problem.locator("[data-code]").getAttribute("data-code")).toBe("NEGATIVE_QUANTITY");
    // The row's problem is shown beside the row too.
    const badRow = page.locator(`${rows}[data-sku='${bad}']`);
    expect(await badRow.locator("[data-code='NEGATIVE_QUANTITY']").count()).toBe(1);
    expect(await quantities()).toEqual(before);
    await badRow.scrollIntoViewIfNeeded();
    await screenshot("inventory-bulk-200-preview");

    await panel.getByRole("button", { name: "Apply" }).click();
    await expect.poll(() => outcome.getAttribute("data-dry-run")).toBe("false");
    // More rows than one mutation takes (BULK_MAX_ROWS): several chunks, one job each, one summary.
    const jobs = Math.ceil(ROWS / BULK_MAX_ROWS);
    await outcome.getByRole("link", { name: `Follow job ${jobs} of ${jobs} to the platforms` }).waitFor();
    expect(await summary.textContent()).toBe(`${ROWS - 1} changed, 1 with problems (left out).`);
    expect(await outcome.getByRole("list", { name: "Jobs started" }).getByRole("link").count()).toBe(jobs);
    await toastShown(page, "failure", /^1 row refused: /);
    const after = await quantities();
    for (const sku of chosen)
      expect([sku, after.get(sku)]).toEqual([sku, before.get(sku)! - (sku === bad ? 0 : 1)]);
    await panel.getByRole("button", { name: "Clear selection" }).click();
    // Clearing the selection clears the marks beside the rows.
    expect(await page.locator(`${rows} .row-problem`).count()).toBe(0);
  });

  it("selects every row the filter matches beyond the page, previews and applies one price to exactly those", async () => {
    const filter = { stockLevel: ["IN_STOCK", "LOW_STOCK"] };
    const prices = async (f: Record<string, unknown> | null) => {
      const out = new Map<string, string | null>();
      let after: string | null = null;
      for (let guard = 0; guard < 20; guard++) {
        const res: { data?: { inventory: unknown } } = await server.gql(
          `query($filter: InventoryFilter, $after: String) {
            inventory(first: 250, after: $after, filter: $filter) {
              nodes { sku price } pageInfo { hasNextPage endCursor }
            }
          }`,
          { filter: f, after },
        );
        const conn = res.data!.inventory as {
          nodes: { sku: string; price: string | null }[];
          pageInfo: { hasNextPage: boolean; endCursor: string };
        };
        for (const n of conn.nodes) out.set(n.sku, n.price);
        if (!conn.pageInfo.hasNextPage) break;
        after = conn.pageInfo.endCursor;
      }
      return out;
    };
    const matching = [...(await prices(filter)).keys()];
    const before = await prices(null);
    expect(before.size).toBe(SKUS);
    // More than one page of the table, and more than one page (250) of the API's.
    expect(matching.length).toBeGreaterThan(250);
    expect(matching.length).toBeLessThan(SKUS);
    const price = "12.34";
    expect(matching.filter((sku) => before.get(sku) === price)).toEqual([]);

    await page.goto(`${server.url}/inventory?stock=IN_STOCK,LOW_STOCK`);
    await waitForTotal(matching.length);
    // Ticking the page's header box offers every matching row, not only the page's.
    await page.getByLabel("Select every row of this page").check();
    const banner = page.getByTestId("select-all-banner");
    await banner.getByRole("button", { name: `Select all ${matching.length} matching the filter` }).click();
    await banner.getByText(`All ${matching.length} items matching the filter are selected.`).waitFor();
    const panel = page.getByRole("form", { name: `Change all ${matching.length} matching items` });
    await panel.waitFor();
    const apply = panel.getByRole("button", { name: "Apply" });
    expect(await apply.isDisabled()).toBe(true);

    await panel.getByLabel("Change").selectOption("SET_PRICE");
    await panel.getByLabel("Value").fill(price);

    // Cancelled while collecting the matching rows: no change is sent and nothing can be applied.
    let release = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    const mutations: string[] = [];
    await page.route("**/graphql", async (route) => {
      const body = route.request().postDataJSON() as {
        query?: string;
        variables?: { after?: string };
      } | null;
      if (/mutation BulkUpdateInventory\b/.test(body?.query ?? "")) mutations.push(body!.query!);
      if (/query InventorySkus\b/.test(body?.query ?? "") && body?.variables?.after) await held;
      await route.continue();
    });
    await panel.getByRole("button", { name: "Preview" }).click();
    const progress = panel.getByTestId("bulk-progress");
    await progress.waitFor();
    expect(await progress.getAttribute("data-phase")).toBe("collecting");
    await expect.poll(() => progress.textContent()).toContain(`250 of ${matching.length}`);
    await progress.getByRole("button", { name: "Cancel" }).click();
    release();
    await expect.poll(() => progress.count()).toBe(0);
    expect(await panel.getByTestId("bulk-outcome").count()).toBe(0);
    expect(await apply.isDisabled()).toBe(true);
    expect(mutations).toEqual([]);
    await page.unroute("**/graphql");

    await panel.getByRole("button", { name: "Preview" }).click();
    const outcome = panel.getByTestId("bulk-outcome");
    await expect
      .poll(() => outcome.textContent(), { timeout: 20_000 })
      .toMatch(new RegExp(`^Preview: ${matching.length} would change`));
    expect(await panel.getByTestId("bulk-progress").count()).toBe(0);
    expect(await prices(null)).toEqual(before);
    await screenshot("inventory-bulk-matching-preview");

    // Applied in calls of the server's size, one progress bar for all of them; cancelled between two calls,
    // the first call's rows are changed and no later one is sent.
    const chunks = Math.ceil(matching.length / BULK_MAX_ROWS);
    expect(chunks).toBeGreaterThan(2);
    // The rows of every bulk call that writes (previews left out); while `holdSecond` is set, the second waits.
    const sent: number[] = [];
    let releaseSecond = () => {};
    let holdSecond: Promise<void> | null = new Promise<void>((resolve) => {
      releaseSecond = resolve;
    });
    await page.route("**/graphql", async (route) => {
      const body = route.request().postDataJSON() as {
        query?: string;
        variables?: { input?: { updates?: unknown[]; dryRun?: boolean } };
      } | null;
      const input = body?.variables?.input;
      if (/mutation BulkUpdateInventory\b/.test(body?.query ?? "") && input?.dryRun === false) {
        sent.push(input.updates?.length ?? 0);
        if (sent.length === 2 && holdSecond) await holdSecond;
      }
      await route.continue();
    });
    await apply.click();
    await expect.poll(() => sent.length).toBe(2);
    const sending = panel.getByTestId("bulk-progress");
    expect(await sending.getAttribute("data-phase")).toBe("sending");
    expect(await sending.textContent()).toContain(`${BULK_MAX_ROWS} of ${matching.length}`);
    expect(await panel.getByTestId("bulk-progress").count()).toBe(1);
    await sending.getByRole("button", { name: "Cancel" }).click();
    releaseSecond();
    await expect.poll(() => outcome.getAttribute("data-dry-run"), { timeout: 20_000 }).toBe("false");
    expect(sent).toEqual([BULK_MAX_ROWS, BULK_MAX_ROWS]);
    expect(await outcome.textContent()).toContain(
      `Cancelled after ${2 * BULK_MAX_ROWS} of ${matching.length} rows.`,
    );
    await toastShown(page, "success", new RegExp(`^Bulk edit cancelled after ${2 * BULK_MAX_ROWS} of`));
    const partly = await prices(null);
    expect([...partly].filter(([sku, p]) => p === price && before.get(sku) !== price).length).toBe(
      2 * BULK_MAX_ROWS,
    );

    // Applied again to the whole selection: every call goes out, the rows changed already come back unchanged.
    holdSecond = null;
    sent.length = 0;
    await panel.getByRole("button", { name: "Preview" }).click();
    await expect
      .poll(() => outcome.textContent(), { timeout: 20_000 })
      .toMatch(new RegExp(`^Preview: ${matching.length - 2 * BULK_MAX_ROWS} would change`));
    await apply.click();
    await expect.poll(() => outcome.getAttribute("data-dry-run"), { timeout: 20_000 }).toBe("false");
    expect(sent.length).toBe(chunks);
    // One toast for the whole run, not one per call.
    await toastShown(page, "success", new RegExp(`^${matching.length - 2 * BULK_MAX_ROWS} rows changed`));
    expect(
      await page
        .getByRole("region", { name: "Notifications of actions" })
        .locator('[data-testid="toast"]')
        .filter({ hasText: / rows changed/ })
        .count(),
    ).toBe(1);
    expect(sent.reduce((a, b) => a + b, 0)).toBe(matching.length);
    expect(await outcome.textContent()).toMatch(
      new RegExp(`^${matching.length - 2 * BULK_MAX_ROWS} changed.*${2 * BULK_MAX_ROWS} already so`),
    );
    await page.unroute("**/graphql");
    // The calls that changed something each started a job; the page links every one.
    expect(await outcome.getByRole("list", { name: "Jobs started" }).getByRole("link").count()).toBe(
      chunks - 2,
    );

    // Through the API: the matching rows hold the new price, every other row what it held.
    const after = await prices(null);
    const chosen = new Set(matching);
    for (const [sku, was] of before)
      expect([sku, after.get(sku)]).toEqual([sku, chosen.has(sku) ? price : was]);
    await panel.getByRole("button", { name: "Clear selection" }).click();
    expect(await panel.count()).toBe(0);
    expect(await banner.count()).toBe(0);
  });

  it("raised no uncaught errors in the page", () => {
    expect(pageErrors).toEqual([]);
  });
});
