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
import { checkOperationAccess, unauthenticatedError } from "../graphql/access";
import type { Context } from "../graphql/context";
import { type QueryBudget, requestedQueryCost } from "../graphql/cost";
import { ErrorCode, formatError } from "../graphql/errors";
import { inputErrors } from "../graphql/validation";
import type { ClientInfo } from "../modules/identity/identity.service";
import type { Principal } from "../platform/auth/principal";
import { connectionParamsProblem, upgradeOriginAllowed } from "./hardening";

/** How long open sockets get to close cleanly on shutdown before they are cut. */
const CLOSE_GRACE_MS = 2_000;
/** How often open sockets' credentials are checked again, so a revoked key or session loses its socket. */
const RECHECK_MS = 2_000;

export interface SubscriptionDeps {
  path: string;
  schema: GraphQLSchema;
  /** The same limits as over HTTP: graphql-armor's validation rules and the parser's token cap. */
  validationRules: ValidationRule[];
  maxTokens: number;
  budget: QueryBudget;
  /** Largest message a socket may send, as large as an HTTP request body. */
  maxPayloadBytes: number;
  /** Origins besides the server's own that a browser may open a socket from (CORS_ORIGINS). */
  allowedOrigins: readonly string[];
  /** The HTTP path's authentication: a principal, null without a credential; throws a GraphQLError. */
  authenticate(authorization: unknown, tenant: unknown): Promise<Principal | null>;
  /** Builds the context HTTP requests get, for a principal. */
  context(principal: Principal, requestId: string, log: FastifyBaseLogger, client: ClientInfo): Context;
}

interface SocketState {
  /** The credential and tenant from connectionParams, checked at connect and again per subscribe. */
  authorization: unknown;
  tenant: unknown;
  principal: Principal;
}

function firstString(value: unknown): string | undefined {
  if (typeof value === "string") return value;
  if (Array.isArray(value) && typeof value[0] === "string") return value[0];
  return undefined;
}

/** connectionParams as graphql-ws clients send them: `authorization` (or `Authorization`) and `x-tenant`. */
function credentials(params: Record<string, unknown> | undefined, request: IncomingMessage) {
  return {
    authorization:
      params?.authorization ?? params?.Authorization ?? firstString(request.headers.authorization),
    tenant: params?.["x-tenant"] ?? firstString(request.headers["x-tenant"]),
  };
}

function asGraphQLError(error: unknown): GraphQLError {
  if (error instanceof GraphQLError) return error;
  return new GraphQLError("Internal server error", {
    extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR },
    originalError: error instanceof Error ? error : undefined,
  });
}

function clientOf(request: IncomingMessage): ClientInfo {
  return {
    ip: request.socket.remoteAddress ?? null,
    userAgent: firstString(request.headers["user-agent"])?.slice(0, 500) ?? null,
  };
}

/**
 * GraphQL over WebSocket (graphql-ws) on the HTTP server's own port and GraphQL path: the same schema,
 * authentication, access rules, budgets and limits as HTTP. A socket authenticates in connectionParams at
 * connect (4401 without a valid credential), is checked again per subscribe, and is closed (4403) within a
 * few seconds once its key or session is revoked. Sockets are closed before the HTTP server on shutdown.
 */
export function registerSubscriptions(app: FastifyInstance, deps: SubscriptionDeps): void {
  const wss = new WebSocketServer({ noServer: true, maxPayload: deps.maxPayloadBytes });
  const log = app.log.child({ transport: "ws" });
  const sockets = new Map<import("ws").WebSocket, SocketState>();
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

  const server = useServer<Record<string, unknown>, { state?: SocketState }>(
    {
      schema: deps.schema,
      async onConnect(ctx) {
        const problem = connectionParamsProblem(ctx.connectionParams);
        if (problem) {
          ctx.extra.socket.close(CloseCode.BadRequest, problem);
          return false;
        }
        const given = credentials(ctx.connectionParams, ctx.extra.request);
        try {
          const principal = await deps.authenticate(given.authorization, given.tenant);
          if (!principal) {
            ctx.extra.socket.close(
              CloseCode.Unauthorized,
              "Unauthorized: send authorization in connectionParams",
            );
            return false;
          }
          ctx.extra.state = { ...given, principal };
          sockets.set(ctx.extra.socket, ctx.extra.state);
          return true;
        } catch (error) {
          const code = asGraphQLError(error).extensions.code;
          ctx.extra.socket.close(
            code === ErrorCode.FORBIDDEN ? CloseCode.Forbidden : CloseCode.Unauthorized,
            code === ErrorCode.FORBIDDEN ? "Forbidden" : "Unauthorized",
          );
          return false;
        }
      },
      onClose(ctx) {
        sockets.delete(ctx.extra.socket);
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
        const state = ctx.extra.state;
        let principal: Principal | null;
        try {
          // Checked again: the key or session may have been revoked, or the role changed, since connect.
          principal = state ? await deps.authenticate(state.authorization, state.tenant) : null;
          if (!principal) return [unauthenticatedError()];
          const denied = checkOperationAccess(deps.schema, document, payload.operationName, principal);
          if (denied) return [denied];
          await deps.budget.charge(
            principal,
            requestedQueryCost(deps.schema, document, payload.operationName, payload.variables ?? undefined),
          );
        } catch (error) {
          return [asGraphQLError(error)];
        }
        return {
          schema: deps.schema,
          document,
          variableValues: payload.variables ?? undefined,
          operationName: payload.operationName ?? undefined,
          contextValue: deps.context(principal, requestId, opLog, clientOf(ctx.extra.request)),
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

  // Revocation reaches open sockets too: each credential is checked again every few seconds.
  const recheck = setInterval(() => {
    for (const [socket, state] of sockets) {
      deps.authenticate(state.authorization, state.tenant).then(
        (principal) => {
          if (!principal) socket.close(CloseCode.Unauthorized, "Unauthorized");
        },
        (error) => {
          const code = error instanceof GraphQLError ? error.extensions.code : undefined;
          if (code === ErrorCode.UNAUTHENTICATED || code === ErrorCode.FORBIDDEN) {
            socket.close(CloseCode.Forbidden, "Forbidden: the credential was revoked");
          } else {
            log.warn({ err: error }, "could not check a socket's credential again");
          }
        },
      );
    }
  }, RECHECK_MS);
  recheck.unref();

  app.addHook("preClose", async () => {
    clearInterval(recheck);
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
