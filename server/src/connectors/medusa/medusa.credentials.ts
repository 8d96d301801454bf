import type { ConnectionConfig } from "../port";

/** Builds a MEDUSA connection config from MEDUSA_URL and MEDUSA_API_KEY; undefined when either is missing. */
export function medusaCredentialsFromEnv(env: NodeJS.ProcessEnv = process.env): ConnectionConfig | undefined {
  const url = env.MEDUSA_URL;
  const apiKey = env.MEDUSA_API_KEY;
  if (!url || !apiKey) return undefined;
  return {
    kind: "MEDUSA",
    endpoints: { api: url },
    credentials: { apiKey },
    options: env.MEDUSA_LOCATION_ID ? { locationId: env.MEDUSA_LOCATION_ID } : undefined,
  };
}
