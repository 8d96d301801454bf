import { type App, buildApp } from "../src/app/boot";
import { loadConfig } from "../src/platform/config";
import { MIGRATIONS_DIR, readMigrations } from "../src/platform/db";
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
  gql<T = Record<string, any>>(
    query: string,
    variables?: Record<string, unknown>,
    headers?: Record<string, string>,
  ): Promise<GraphQLResponse<T>>;
  close(): Promise<void>;
}

/**
 * The real server on a fresh migrated database, listening on a random port; talk to it over HTTP. `prepare` runs
 * on the database first and may return configuration (such as EGRESS_ALLOWED_ORIGINS for a sandbox it started).
 */
export async function startTestServer(
  prepare?: (dbUrl: string) => Promise<void> | Promise<Record<string, string>>,
): Promise<TestServer> {
  const db = await createTestDatabase();
  const env = (await prepare?.(db.url)) ?? {};
  const config = loadConfig({
    ...process.env,
    DATABASE_URL: db.url,
    LOG_LEVEL: "warn",
    DB_POOL_SIZE: "4",
    ...env,
  });
  const app = await buildApp({
    url: db.url,
    config,
    migrations: readMigrations(MIGRATIONS_DIR),
    database: "external",
  });
  await app.http.listen({ port: 0, host: "127.0.0.1" });
  const { port } = app.http.server.address() as { port: number };
  const url = `http://127.0.0.1:${port}`;
  return {
    app,
    url,
    dbUrl: db.url,
    async gql(query, variables, headers) {
      const res = await fetch(`${url}/graphql`, {
        method: "POST",
        // As the dashboard's client asks: request errors then answer 4xx (GraphQL over HTTP).
        headers: {
          "content-type": "application/json",
          accept: "application/graphql-response+json, application/json",
          ...headers,
        },
        body: JSON.stringify({ query, variables }),
      });
      const body = (await res.json()) as GraphQLResponse<any>;
      return { status: res.status, data: body.data, errors: body.errors };
    },
    async close() {
      await app.close();
      await db.drop();
    },
  };
}
