import { ApolloServer, type ApolloServerPlugin } from "@apollo/server";
import {
  ApolloServerPluginCacheControlDisabled,
  ApolloServerPluginLandingPageDisabled,
} from "@apollo/server/plugin/disabled";
import fastifyApollo, { fastifyApolloDrainPlugin } from "@as-integrations/fastify";
import { ApolloArmor } from "@escape.tech/graphql-armor";
import fastifyCookie from "@fastify/cookie";
import fastifyCors from "@fastify/cors";
import fastifyHelmet from "@fastify/helmet";
import Fastify, {
  type FastifyBaseLogger,
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
  LogController,
} from "fastify";
import { GraphQLError, type GraphQLSchema, getOperationAST, Kind } from "graphql";
import type pg from "pg";
import { buildContext } from "../app/context";
import type { PrismaClient } from "../generated/prisma/client";
import { checkOperationAccess, forbiddenError, unauthenticatedError } from "../graphql/access";
import type { Context, Services } from "../graphql/context";
import { actualQueryCost, type QueryBudget, requestedQueryCost } from "../graphql/cost";
import { ErrorCode, formatError } from "../graphql/errors";
import { metricsPlugin } from "../graphql/metrics.plugin";
import { queryTransactionPlugin } from "../graphql/transaction.plugin";
import { inputValidation } from "../graphql/validation";
import { ExportService } from "../modules/exports";
import { archivesDir } from "../modules/history";
import type { ClientInfo } from "../modules/identity/identity.service";
import type { Config } from "../platform/config";
import type { Migration } from "../platform/db";
import type { Logger } from "../platform/logger";
import type { Metrics } from "../platform/metrics";
import { registerDashboard } from "./dashboard";
import { registerExports } from "./exports";
import { graphqlOverHttpRules, registerHardening } from "./hardening";
import { registerHealth } from "./health";
import { registerHistoryArchives } from "./history-archives";
import { registerIde, wantsIde } from "./ide";
import { registerMetrics } from "./metrics";
import { registerSubscriptions } from "./subscriptions";
import { registerWebhooks } from "./webhooks";

export const GRAPHQL_PATH = "/graphql";
const TENANT_SLUG = /^[a-z0-9][a-z0-9-]{0,62}$/;

export interface ServerDeps {
  config: Pick<Config, "CLIENT_DIST" | "CORS_ORIGINS" | "METRICS_TOKEN" | "DATA_DIR">;
  schema: GraphQLSchema;
  prisma: PrismaClient;
  ownerPool: pg.Pool;
  migrations: Migration[];
  database: "embedded" | "external";
  services: Services;
  budget: QueryBudget;
  log: Logger;
  metrics: Metrics;
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

const first = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);

/** The tenant a request names with x-tenant (optional; it chooses among the caller's own tenants). */
export function requestedTenant(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== "string" || !TENANT_SLUG.test(value)) {
    throw new GraphQLError("x-tenant must be a tenant slug (lower-case letters, digits and dashes)", {
      extensions: { code: ErrorCode.BAD_USER_INPUT, http: { status: 400 } },
    });
  }
  return value;
}

/** Access first (nothing runs that the caller may not call), then the query-cost budget, reported after. */
function accessAndCostPlugin(budget: QueryBudget): ApolloServerPlugin<Context> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ contextValue, document, operationName, request, schema }) {
          const denied = checkOperationAccess(schema, document, operationName, contextValue.auth);
          if (denied) throw denied;
          if (!contextValue.auth) return;
          const cost = requestedQueryCost(schema, document, operationName, request.variables);
          contextValue.cost = await budget.charge(contextValue.auth, cost);
        },
        async willSendResponse({ contextValue, response, document, operationName }) {
          const charged = contextValue.cost;
          if (!charged || !contextValue.auth || response.body.kind !== "single") return;
          const operation = document ? getOperationAST(document, operationName) : null;
          const mutations =
            operation?.operation === "mutation"
              ? operation.selectionSet.selections.filter((s) => s.kind === Kind.FIELD).length
              : 0;
          const result = response.body.singleResult;
          const actual = actualQueryCost(result.data, mutations, charged.requestedQueryCost);
          const report = budget.settle(contextValue.auth, charged, actual, (error) =>
            contextValue.log.warn({ err: error }, "query cost refund failed"),
          );
          result.extensions = { ...result.extensions, cost: report };
        },
      };
    },
  };
}

/** The client's address and agent, as sessions, throttling and the audit log record them. */
export function clientInfo(request: FastifyRequest): ClientInfo {
  return { ip: request.ip ?? null, userAgent: first(request.headers["user-agent"])?.slice(0, 500) ?? null };
}

/** Builds the HTTP server: GraphQL with its IDE, health checks and the dashboard. Does not listen. */
export async function createServer(deps: ServerDeps): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: deps.log as FastifyBaseLogger,
    // Quiet by default: errors are logged with their request id, not one line per request.
    logController: new LogController({ disableRequestLogging: true }),
    requestIdHeader: "x-request-id",
    // A full bulkUpdateInventory call (10,000 rows with every field) is about 1 MiB of JSON.
    bodyLimit: MAX_BODY_BYTES,
  });
  registerHardening(app, { graphqlPath: GRAPHQL_PATH });

  await app.register(fastifyCookie);
  await app.register(fastifyHelmet, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        // React's style attributes; no inline scripts anywhere.
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", "data:"],
        connectSrc: ["'self'"],
        objectSrc: ["'none'"],
        frameAncestors: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
      },
    },
    // The API is called from other origins only where CORS_ORIGINS says; the pages embed nothing foreign.
    crossOriginResourcePolicy: { policy: "same-origin" },
  });
  await app.register(fastifyCors, {
    origin: deps.config.CORS_ORIGINS.length > 0 ? deps.config.CORS_ORIGINS : false,
    credentials: true,
    allowedHeaders: ["authorization", "content-type", "x-tenant", "x-request-id", "idempotency-key"],
    maxAge: 600,
  });

  registerHealth(app, deps);
  registerMetrics(app, { metrics: deps.metrics, token: deps.config.METRICS_TOKEN });
  app.addHook("onResponse", async (request, reply) => {
    deps.metrics.httpDuration.observe(
      {
        method: request.method,
        route: request.routeOptions.url ?? "unmatched",
        status: String(reply.statusCode),
      },
      reply.elapsedTime / 1000,
    );
  });

  const armor = graphqlLimits();
  const apollo = new ApolloServer<Context>({
    schema: deps.schema,
    plugins: [
      fastifyApolloDrainPlugin(app),
      ApolloServerPluginLandingPageDisabled(),
      // Responses carry no cache hints; without this plugin Apollo wraps every field's resolver to collect them.
      ApolloServerPluginCacheControlDisabled(),
      metricsPlugin(deps.metrics),
      ...armor.plugins,
      graphqlOverHttpRules(),
      inputValidation(),
      accessAndCostPlugin(deps.budget),
      queryTransactionPlugin(),
    ],
    validationRules: armor.validationRules,
    parseOptions: { maxTokens: MAX_TOKENS },
    allowBatchedHttpRequests: false,
    includeStacktraceInErrorResponses: false,
    introspection: true,
    // Cookie-authenticated mutations (refresh, sign-out) need a non-simple request: no cross-site form posts.
    csrfPrevention: true,
    formatError: (formatted, error) =>
      formatError(formatted, error, (err, errorId) => app.log.error({ err, errorId }, "resolver error")),
  });
  await apollo.start();

  const ide = await registerIde(app, GRAPHQL_PATH);
  app.addHook("onRequest", async (request, reply) => {
    if (request.url.split("?")[0] === GRAPHQL_PATH && wantsIde(request)) {
      return ide.send(reply);
    }
  });

  const authenticate = async (authorization: unknown, tenant: unknown) => {
    const slug = requestedTenant(tenant);
    const outcome = await deps.services.authenticator.authenticate(
      typeof authorization === "string" ? authorization : undefined,
      slug,
    );
    if (outcome && !outcome.ok) {
      throw outcome.code === "UNAUTHENTICATED"
        ? unauthenticatedError(outcome.message)
        : forbiddenError(outcome.message);
    }
    return outcome?.principal ?? null;
  };

  const context = async (request: FastifyRequest, reply: FastifyReply): Promise<Context> => {
    const principal = await authenticate(
      first(request.headers.authorization),
      first(request.headers["x-tenant"]),
    );
    return buildContext({
      prisma: deps.prisma,
      services: deps.services,
      principal,
      requestId: request.id,
      log: request.log,
      client: clientInfo(request),
      http: { cookies: request.cookies, reply, secure: request.protocol === "https" },
    });
  };
  await app.register(fastifyApollo(apollo), { path: GRAPHQL_PATH, context });
  registerSubscriptions(app, {
    path: GRAPHQL_PATH,
    schema: deps.schema,
    validationRules: armor.validationRules,
    maxTokens: MAX_TOKENS,
    budget: deps.budget,
    authenticate,
    context: (principal, requestId, log, client) =>
      buildContext({ prisma: deps.prisma, services: deps.services, principal, requestId, log, client }),
    maxPayloadBytes: MAX_BODY_BYTES,
    allowedOrigins: deps.config.CORS_ORIGINS,
  });

  await registerWebhooks(app, deps.services.webhookIntake, deps.metrics);
  const exports = new ExportService(deps.prisma, deps.schema, (err) =>
    app.log.error({ err }, "export failed"),
  );
  registerExports(app, exports, authenticate);
  registerHistoryArchives(app, deps.prisma, archivesDir(deps.config), authenticate);
  await registerDashboard(app, deps.config.CLIENT_DIST);
  return app;
}
