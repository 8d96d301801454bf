import type pg from "pg";
import { amazonCredentialsFromEnv, medusaCredentialsFromEnv } from "../../connectors";
import type { Config } from "../../platform/config";
import { EgressPolicy } from "../../platform/egress";
import { DEMO_TENANT_SLUG } from "./demo";

/**
 * The process's egress policy: https only in production; trusted are the origins configuration names
 * (EGRESS_ALLOWED_ORIGINS, and the endpoints of the environment's own credentials).
 */
export function createEgressPolicy(
  config: Pick<Config, "NODE_ENV" | "EGRESS_ALLOWED_ORIGINS">,
  env: NodeJS.ProcessEnv = process.env,
): EgressPolicy {
  const fromEnvironment = [amazonCredentialsFromEnv(env), medusaCredentialsFromEnv(env)]
    .flatMap((c) => Object.values(c?.endpoints ?? {}))
    .filter((url) => URL.canParse(url));
  return new EgressPolicy({
    httpsOnly: config.NODE_ENV === "production",
    trustedOrigins: [...config.EGRESS_ALLOWED_ORIGINS, ...fromEnvironment],
  });
}

/** The tenant allowed the environment's credentials: ENV_CREDENTIALS_TENANT, else the demo tenant when seeded. */
export async function environmentTenantId(
  ownerPool: pg.Pool,
  config: Pick<Config, "ENV_CREDENTIALS_TENANT" | "SEED_DEMO">,
): Promise<string | undefined> {
  const slug = config.ENV_CREDENTIALS_TENANT ?? (config.SEED_DEMO ? DEMO_TENANT_SLUG : undefined);
  if (!slug) return undefined;
  const { rows } = await ownerPool.query<{ id: string }>("SELECT id FROM tenants WHERE slug = $1", [slug]);
  return rows[0]?.id;
}
