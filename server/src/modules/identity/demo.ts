import fs from "node:fs";
import path from "node:path";
import type { IdentityService } from "./identity.service";
import { randomToken } from "./secrets";

export interface DemoAccount {
  email: string;
  name: string;
  role: "OWNER" | "VIEWER";
}

/** The demo tenant's accounts: its owner (seeded with the catalog) and a viewer who may only read. */
export function demoAccounts(slug: string): DemoAccount[] {
  return [
    { email: `owner@${slug}.example.com`, name: "Demo Owner", role: "OWNER" },
    { email: `viewer@${slug}.example.com`, name: "Demo Viewer", role: "VIEWER" },
  ];
}

/** DEMO_PASSWORD, or the one generated into the data folder on first start (so every start can print it). */
export function demoPassword(configured: string | undefined, dataDir: string): string {
  if (configured) return configured;
  const file = path.join(dataDir, "demo-password");
  if (fs.existsSync(file)) return fs.readFileSync(file, "utf8").trim();
  const password = randomToken(12);
  fs.mkdirSync(dataDir, { recursive: true });
  fs.writeFileSync(file, `${password}\n`, { mode: 0o600 });
  return password;
}

/** The demo's owner, before its tenant exists (the seed makes them its owner). */
export function ensureDemoOwner(identity: IdentityService, slug: string, password: string): Promise<string> {
  return identity.ensureUser({ ...demoAccounts(slug)[0]!, password });
}

/** Gives the demo tenant's accounts their password and role; returns them for the start log. */
export async function ensureDemoAccounts(
  identity: IdentityService,
  tenantId: string,
  slug: string,
  password: string,
) {
  const accounts = demoAccounts(slug);
  for (const account of accounts) await identity.ensureMember(tenantId, { ...account, password });
  return accounts;
}
