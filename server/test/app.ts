import { type App, buildApp } from "../src/app/boot";
import type { LinkDelivery } from "../src/modules/identity";
import { loadConfig } from "../src/platform/config";
import { MIGRATIONS_DIR, readMigrations } from "../src/platform/db";
import { type Credential, signedInAs } from "./auth";
import { createTestDatabase } from "./database";

export interface GraphQLResponse<T = Record<string, unknown>> {
  status: number;
  data?: T;
  errors?: { message: string; extensions?: { code?: string; [k: string]: unknown }; path?: unknown[] }[];
}

export interface TestServer {
  app: App;
  url: string;
  dbUrl: string;
  /**
   * A GraphQL call over HTTP. Without an `authorization` header it acts as an owner of the `demo` tenant;
   * `authorization: ""` sends none (anonymous).
   */
  gql<T = Record<string, any>>(
    query: string,
    variables?: Record<string, unknown>,
    headers?: Record<string, string>,
  ): Promise<GraphQLResponse<T>>;
  /** Headers of a signed-in user of `slug` (an owner unless `role` says otherwise). */
  as(slug: string, role?: Parameters<typeof signedInAs>[2]): Promise<Record<string, string>>;
  /** That user: its id and headers (the one `gql` acts as by default is `user("demo")`). */
  user(slug: string, role?: Parameters<typeof signedInAs>[2]): Promise<Credential>;
  close(): Promise<void>;
}

export interface ServerOptions {
  /** Configuration beyond the defaults (variables as in the environment). */
  env?: Record<string, string>;
  /** Where invitation and reset links go. */
  deliver?: LinkDelivery;
  /** Where SNS certificates come from and how subscriptions are confirmed (the tests' own). */
  sns?: Parameters<typeof buildApp>[0]["sns"];
  /**
   * The pooler's URL for the test database: the server's pools connect there, and only its session connection
   * connects directly (DATABASE_SESSION_URL).
   */
  pooledUrl?: (directUrl: string) => string;
}

/**
 * The real server on a fresh migrated database, listening on a random port; talk to it over HTTP. `prepare` runs
 * on the database first and may return configuration (such as EGRESS_ALLOWED_ORIGINS for a sandbox it started).
 */
export async function startTestServer(
  prepare?: (dbUrl: string) => Promise<void> | Promise<Record<string, string>>,
  options: ServerOptions = {},
): Promise<TestServer> {
  const db = await createTestDatabase();
  const env = (await prepare?.(db.url)) ?? {};
  const server = await startServerOn(db.url, { ...options, env: { ...env, ...options.env } });
  return {
    ...server,
    async close() {
      await server.close();
      await db.drop();
    },
  };
}

/** Another server process on the same database (scaling out): same data, same shared budgets. */
export async function startServerOn(dbUrl: string, options: ServerOptions = {}): Promise<TestServer> {
  const poolsUrl = options.pooledUrl?.(dbUrl) ?? dbUrl;
  const config = loadConfig({
    ...process.env,
    DATABASE_URL: poolsUrl,
    DATABASE_SESSION_URL: dbUrl,
    LOG_LEVEL: "warn",
    DB_POOL_SIZE: "4",
    ...options.env,
  });
  const app = await buildApp({
    url: poolsUrl,
    config,
    migrations: readMigrations(MIGRATIONS_DIR),
    database: "external",
    deliver: options.deliver,
    sns: options.sns,
  });
  await app.http.listen({ port: 0, host: "127.0.0.1" });
  const { port } = app.http.server.address() as { port: number };
  const url = `http://127.0.0.1:${port}`;
  const credentials = new Map<string, Promise<Credential>>();
  const user = (slug: string, role: Parameters<typeof signedInAs>[2] = "OWNER") => {
    const key = `${slug}:${role}`;
    if (!credentials.has(key)) credentials.set(key, signedInAs(app, slug, role));
    return credentials.get(key)!;
  };
  const as = async (slug: string, role: Parameters<typeof signedInAs>[2] = "OWNER") =>
    (await user(slug, role)).headers;
  return {
    app,
    url,
    dbUrl,
    as,
    user,
    async gql(query, variables, headers = {}) {
      const given = Object.fromEntries(Object.entries(headers).filter(([, v]) => v !== ""));
      const auth = "authorization" in headers ? {} : await as("demo");
      const res = await fetch(`${url}/graphql`, {
        method: "POST",
        // As the dashboard's client asks: request errors then answer 4xx (GraphQL over HTTP).
        headers: {
          "content-type": "application/json",
          accept: "application/graphql-response+json, application/json",
          ...auth,
          ...given,
        },
        body: JSON.stringify({ query, variables }),
      });
      const body = (await res.json()) as GraphQLResponse<any>;
      return { status: res.status, data: body.data, errors: body.errors };
    },
    async close() {
      await app.close();
    },
  };
}
