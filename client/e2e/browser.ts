import fs from "node:fs";
import path from "node:path";
import { type Browser, chromium, type Page } from "playwright-core";
import { ROOT_DIR } from "../../server/src/platform/config";

/** Debian's Chromium unless CHROMIUM_PATH says otherwise: browser downloads are not available everywhere. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

// Headless as root, and no calls out to Google's services (their connections are refused here).
const CHROMIUM_FLAGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/** Browser tests serve the built dashboard: stops a test file at once, saying so, when it was not built. */
export function requireBuiltClient(): void {
  if (!fs.existsSync(path.join(ROOT_DIR, "client", "dist", "index.html"))) {
    throw new Error("client/dist is missing: run `pnpm --filter @inventory-sync/client build` first");
  }
}

/** Starts headless Chromium for a browser test. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_FLAGS });
}

/** Signs in through the dashboard's sign-in form and waits for the signed-in shell. */
export async function signIn(page: Page, url: string, account: { email: string; password: string }) {
  await page.goto(url);
  const form = page.getByRole("form", { name: "Sign in" });
  await form.getByLabel("Email").fill(account.email);
  await form.getByLabel("Password").fill(account.password);
  await form.getByRole("button", { name: "Sign in" }).click();
  await page.getByTestId("signed-in-as").waitFor();
}

/**
 * Waits for a toast in the app's toast region with this tone whose text matches, and returns its code (a
 * failure's GraphQL or userError code; null for a success).
 */
export async function toastShown(
  page: Page,
  tone: "success" | "failure",
  text: RegExp,
): Promise<string | null> {
  const region = page.getByRole("region", { name: "Notifications of actions" });
  const toast = region.locator(`[data-testid="toast"][data-tone="${tone}"]`).filter({ hasText: text }).last();
  await toast.waitFor();
  return toast.getAttribute("data-code");
}
