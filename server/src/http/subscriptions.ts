import type { IncomingMessage } from "node:http";
import type { FastifyBaseLogger, FastifyInstance } from "fastify";
import {
  type DocumentNode,
  type ExecutionArgs,
  GraphQLError,
  type GraphQLFormattedError,
  type GraphQLSchema,
  getOperationAST,
  parse,
  specifiedRules,
  type ValidationRule,
  validate,
} from "graphql";
import { CloseCode } from "graphql-ws";
import { useServer } from "graphql-ws/use/ws";
import { WebSocketServer } from "ws";
import type { Context } from "../graphql/context";
import { ErrorCode, formatError } from "../graphql/errors";
import { inputErrors } from "../graphql/validation";
import { requestActor } from "../modules/history/actor";
import { connectionParamsProblem, upgradeOriginAllowed } from "./hardening";

/** How long open sockets get to close cleanly on shutdown before they are cut. */
const CLOSE_GRACE_MS = 2_000;

export interface SubscriptionDeps {
  path: string;
  schema: GraphQLSchema;
  /** The same limits as over HTTP: graphql-armor's validation rules and the parser's token cap. */
  validationRules: ValidationRule[];
  maxTokens: number;
  /** Largest message a socket may send, as large as an HTTP request body. */
  maxPayloadBytes: number;
  defaultTenant: string;
  /** Origins besides the server's own that a browser may open a socket from (CORS_ORIGINS). */
  allowedOrigins: readonly string[];
  /** Builds the context HTTP requests get, for a tenant slug. */
  context(slug: string, requestId: string, log: FastifyBaseLogger): Promise<Context>;
}

function firstString(value: unknown): string | undefined {
  if (typeof value === "string") return value;
  if (Array.isArray(value) && typeof value[0] === "string") return value[0];
  return undefined;
}

/** The tenant a socket names: `x-tenant` or `tenant` in connectionParams, else the upgrade's header. */
function tenantSlug(params: Record<string, unknown> | undefined, request: IncomingMessage) {
  return (
    firstString(params?.["x-tenant"]) ??
    firstString(params?.tenant) ??
    firstString(request.headers["x-tenant"])
  );
}

function asGraphQLError(error: unknown): GraphQLError {
  if (error instanceof GraphQLError) return error;
  return new GraphQLError("Internal server error", {
    extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR },
    originalError: error instanceof Error ? error : undefined,
  });
}

/**
 * GraphQL over WebSocket (graphql-ws) on the HTTP server's own port and GraphQL path: the same schema,
 * context and limits as HTTP. Sockets are closed before the HTTP server, so shutdown never waits on them.
 */
export function registerSubscriptions(app: FastifyInstance, deps: SubscriptionDeps): void {
  const wss = new WebSocketServer({ noServer: true, maxPayload: deps.maxPayloadBytes });
  const log = app.log.child({ transport: "ws" });
  let sequence = 0;
  const format = (error: GraphQLError): GraphQLFormattedError => {
    const formatted = formatError(error.toJSON(), error, (err, errorId) =>
      log.error({ err, errorId }, "subscription error"),
    );
    // An HTTP status means nothing on a socket.
    const { http: _http, ...extensions } = formatted.extensions ?? {};
    return { ...formatted, extensions };
  };

  app.server.on("upgrade", (request, socket, head) => {
    const pathname = new URL(request.url ?? "/", "http://localhost").pathname;
    if (pathname !== deps.path) {
      socket.end("HTTP/1.1 404 Not Found\r\nConnection: close\r\n\r\n");
      return;
    }
    if (!upgradeOriginAllowed(request, deps.allowedOrigins)) {
      socket.end("HTTP/1.1 403 Forbidden\r\nConnection: close\r\n\r\n");
      return;
    }
    wss.handleUpgrade(request, socket, head, (ws) => wss.emit("connection", ws, request));
  });

  const server = useServer<Record<string, unknown>>(
    {
      schema: deps.schema,
      onConnect(ctx) {
        const problem = connectionParamsProblem(ctx.connectionParams);
        if (problem) ctx.extra.socket.close(CloseCode.BadRequest, problem);
        return !problem;
      },
      async onSubscribe(ctx, id, payload) {
        const requestId = `ws-${++sequence}`;
        const opLog = log.child({ reqId: requestId, operationId: id });
        let document: DocumentNode;
        try {
          document = parse(payload.query, { maxTokens: deps.maxTokens });
        } catch (error) {
          const e = asGraphQLError(error);
          return [
            new GraphQLError(e.message, {
              nodes: e.nodes,
              source: e.source,
              positions: e.positions,
              extensions: { code: "GRAPHQL_PARSE_FAILED" },
            }),
          ];
        }
        const errors = validate(deps.schema, document, [...specifiedRules, ...deps.validationRules]);
        if (errors.length > 0) {
          return errors.map(
            (e) =>
              new GraphQLError(e.message, {
                nodes: e.nodes,
                source: e.source,
                positions: e.positions,
                extensions: { ...e.extensions, code: "GRAPHQL_VALIDATION_FAILED" },
              }),
          );
        }
        const operation = getOperationAST(document, payload.operationName);
        if (!operation) {
          return [
            new GraphQLError("Name the operation to run", {
              extensions: { code: ErrorCode.BAD_USER_INPUT },
            }),
          ];
        }
        const inputProblems = inputErrors(deps.schema, document, operation, payload.variables);
        if (inputProblems.length > 0) return inputProblems;
        const slug = tenantSlug(ctx.connectionParams, ctx.extra.request) ?? deps.defaultTenant;
        let contextValue: Context;
        try {
          contextValue = await deps.context(slug, requestId, opLog);
        } catch (error) {
          return [asGraphQLError(error)];
        }
        // The socket also carries queries and mutations: they record who acted, as over HTTP.
        const apiKey = firstString(ctx.connectionParams?.["x-api-key"]);
        contextValue.actor = requestActor(apiKey ? { "x-api-key": apiKey } : ctx.extra.request.headers);
        return {
          schema: deps.schema,
          document,
          variableValues: payload.variables ?? undefined,
          operationName: payload.operationName ?? undefined,
          contextValue,
        } satisfies ExecutionArgs;
      },
      onNext(_ctx, _id, _payload, _args, result) {
        if (!result.errors?.length) return;
        return { ...result, errors: result.errors.map(format) };
      },
      onError(_ctx, _id, _payload, errors) {
        return errors.map(format);
      },
    },
    wss,
  );

  app.addHook("preClose", async () => {
    const cut = setTimeout(() => {
      for (const client of wss.clients) client.terminate();
    }, CLOSE_GRACE_MS);
    try {
      await server.dispose();
    } finally {
      clearTimeout(cut);
    }
  });
}
