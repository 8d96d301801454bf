import { ApolloServer } from "@apollo/server";
import { ApolloServerPluginLandingPageDisabled } from "@apollo/server/plugin/disabled";
import fastifyApollo, { fastifyApolloDrainPlugin } from "@as-integrations/fastify";
import { ApolloArmor } from "@escape.tech/graphql-armor";
import Fastify, { type FastifyBaseLogger, type FastifyInstance, type FastifyRequest } from "fastify";
import { GraphQLError, type GraphQLSchema } from "graphql";
import type pg from "pg";
import { createLoaders } from "../app/loaders";
import { TenantDirectory } from "../app/tenants";
import type { PrismaClient } from "../generated/prisma/client";
import type { Context, Services } from "../graphql/context";
import { ErrorCode, formatError } from "../graphql/errors";
import { inputValidation } from "../graphql/validation";
import { requestActor } from "../modules/history/actor";
import type { Config } from "../platform/config";
import { type Migration, tenantDb } from "../platform/db";
import { registerDashboard } from "./dashboard";
import { graphqlOverHttpRules, registerHardening } from "./hardening";
import { registerHealth } from "./health";
import { registerIde, wantsIde } from "./ide";
import { registerSubscriptions } from "./subscriptions";
import { registerWebhooks } from "./webhooks";

export const GRAPHQL_PATH = "/graphql";
const TENANT_SLUG = /^[a-z0-9][a-z0-9-]{0,62}$/;

export interface ServerDeps {
  config: Pick<Config, "LOG_LEVEL" | "CLIENT_DIST" | "DEFAULT_TENANT" | "WEBHOOK_SECRET" | "CORS_ORIGINS">;
  schema: GraphQLSchema;
  prisma: PrismaClient;
  ownerPool: pg.Pool;
  migrations: Migration[];
  database: "embedded" | "external";
  services: Services;
}

/** Largest request body accepted, GraphQL and webhooks alike. */
export const MAX_BODY_BYTES = 8 * 1024 * 1024;

/** Most tokens a document may have; enforced by the parser itself so a syntax error stays a 400. */
export const MAX_TOKENS = 5000;

/**
 * The security limits every operation passes, over HTTP and WebSocket alike, introspection included. Fragments
 * are flattened (a spread adds no depth), so the standard introspection query (depth 15, cost about 15,600) is
 * the deepest legitimate operation and fits.
 */
export function graphqlLimits() {
  return new ApolloArmor({
    maxDepth: { n: 15, ignoreIntrospection: false, flattenFragments: true },
    maxAliases: { n: 20 },
    maxDirectives: { n: 20 },
    // armor's token plugin re-parses and turns syntax errors into 500s: the parser's own limit is used.
    maxTokens: { enabled: false },
    costLimit: { maxCost: 20_000, ignoreIntrospection: false, flattenFragments: true },
  }).protect();
}

/** Builds the HTTP server: GraphQL with its IDE, health checks and the dashboard. Does not listen. */
export async function createServer(deps: ServerDeps): Promise<FastifyInstance> {
  const app = Fastify({
    logger: { level: deps.config.LOG_LEVEL },
    requestIdHeader: "x-request-id",
    // A full bulkUpdateInventory call (10,000 rows with every field) is about 1 MiB of JSON.
    bodyLimit: MAX_BODY_BYTES,
  });
  const tenants = new TenantDirectory(deps.prisma);
  registerHardening(app, { graphqlPath: GRAPHQL_PATH });

  registerHealth(app, deps);

  const armor = graphqlLimits();
  const apollo = new ApolloServer<Context>({
    schema: deps.schema,
    plugins: [
      fastifyApolloDrainPlugin(app),
      ApolloServerPluginLandingPageDisabled(),
      ...armor.plugins,
      graphqlOverHttpRules(),
      inputValidation(),
    ],
    validationRules: armor.validationRules,
    parseOptions: { maxTokens: MAX_TOKENS },
    allowBatchedHttpRequests: false,
    includeStacktraceInErrorResponses: false,
    introspection: true,
    formatError: (formatted, error) =>
      formatError(formatted, error, (err, errorId) => app.log.error({ err, errorId }, "resolver error")),
  });
  await apollo.start();

  const idePage = await registerIde(app, GRAPHQL_PATH);
  app.addHook("onRequest", async (request, reply) => {
    if (request.url.split("?")[0] === GRAPHQL_PATH && wantsIde(request)) {
      return reply.type("text/html").send(idePage);
    }
  });

  const contextFor = async (slug: string, requestId: string, log: FastifyBaseLogger): Promise<Context> => {
    if (!TENANT_SLUG.test(slug)) {
      throw new GraphQLError("The x-tenant header must be a tenant slug", {
        extensions: { code: ErrorCode.BAD_USER_INPUT, http: { status: 400 } },
      });
    }
    const tenant = await tenants.bySlug(slug);
    const db = tenantDb(deps.prisma, tenant.id);
    return { requestId, tenant, db, loaders: createLoaders(db), services: deps.services, log };
  };
  const context = async (request: FastifyRequest): Promise<Context> => {
    const header = request.headers["x-tenant"];
    const slug = (Array.isArray(header) ? header[0] : header) ?? deps.config.DEFAULT_TENANT;
    return { ...(await contextFor(slug, request.id, request.log)), actor: requestActor(request.headers) };
  };
  await app.register(fastifyApollo(apollo), { path: GRAPHQL_PATH, context });
  registerSubscriptions(app, {
    path: GRAPHQL_PATH,
    schema: deps.schema,
    validationRules: armor.validationRules,
    maxTokens: MAX_TOKENS,
    maxPayloadBytes: MAX_BODY_BYTES,
    defaultTenant: deps.config.DEFAULT_TENANT,
    allowedOrigins: deps.config.CORS_ORIGINS,
    context: contextFor,
  });

  await registerWebhooks(app, {
    prisma: deps.prisma,
    services: deps.services,
    secret: deps.config.WEBHOOK_SECRET,
  });
  await registerDashboard(app, deps.config.CLIENT_DIST);
  return app;
}
