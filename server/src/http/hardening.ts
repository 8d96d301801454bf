import { randomUUID } from "node:crypto";
import type { IncomingMessage } from "node:http";
import type { ApolloServerPlugin } from "@apollo/server";
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { GraphQLError } from "graphql";
import Negotiator from "negotiator";
import { ErrorCode } from "../graphql/errors";
import { textProblem } from "../graphql/validation";

/** Deepest JSON a request body may nest (objects and arrays); GraphQL variables need a handful of levels. */
export const MAX_JSON_DEPTH = 64;

/** A request the server refuses on purpose: a 4xx with a code and a message meant for the caller. */
export class RequestError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/** Whether JSON text nests deeper than `maxDepth`, counted without parsing so a bomb never reaches JSON.parse. */
export function jsonTooDeep(text: string, maxDepth: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++;
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) {
      inString = true;
    } else if (c === 0x7b || c === 0x5b) {
      if (++depth > maxDepth) return true;
    } else if (c === 0x7d || c === 0x5d) {
      depth--;
    }
  }
  return false;
}

/** Parses a JSON body after checking its depth; throws a RequestError (400) for anything that is not JSON. */
export function parseJsonText(text: string, maxDepth = MAX_JSON_DEPTH): unknown {
  if (jsonTooDeep(text, maxDepth)) {
    throw new RequestError(400, ErrorCode.BAD_REQUEST, `The body nests deeper than ${maxDepth} levels`);
  }
  try {
    return JSON.parse(text);
  } catch {
    throw new RequestError(400, ErrorCode.BAD_REQUEST, "The body is not JSON");
  }
}

const isGraphqlRequest = (request: FastifyRequest, graphqlPath: string) =>
  request.url.split("?")[0] === graphqlPath;

/** Answers an error in the shape of the route: GraphQL's `errors` on the GraphQL path, `{ error }` elsewhere. */
function sendError(
  request: FastifyRequest,
  reply: FastifyReply,
  graphqlPath: string,
  status: number,
  extensions: { code: ErrorCode; errorId?: string },
  message: string,
) {
  const body = isGraphqlRequest(request, graphqlPath)
    ? { errors: [{ message, extensions }] }
    : { error: { ...extensions, message } };
  return reply.code(status).type("application/json; charset=utf-8").send(body);
}

// Fastify's own client errors describe the request (too large, unsupported type, empty body), never internals.
const FASTIFY_CODES = new Map<string, ErrorCode>([
  ["FST_ERR_CTP_BODY_TOO_LARGE", ErrorCode.PAYLOAD_TOO_LARGE],
  ["FST_ERR_CTP_INVALID_MEDIA_TYPE", ErrorCode.UNSUPPORTED_MEDIA_TYPE],
  ["FST_ERR_CTP_INVALID_CONTENT_LENGTH", ErrorCode.BAD_REQUEST],
  ["FST_ERR_CTP_EMPTY_JSON_BODY", ErrorCode.BAD_REQUEST],
  ["FST_ERR_CTP_INVALID_TYPE", ErrorCode.BAD_REQUEST],
]);

/** The request's Host as a URL authority, or null when it is missing, empty or not one. */
function validHost(request: FastifyRequest): string | null {
  const host = request.headers.host;
  if (!host) return null;
  try {
    new URL(request.url, `http://${host}`);
    return host;
  } catch {
    return null;
  }
}

/**
 * The HTTP edge every route shares: a request without a usable Host is a 400 (HTTP/1.0 clients send none), JSON
 * bodies are depth-checked before parsing and parsed without prototype keys, and the error handler answers 4xx
 * with a code and the request's own problem, anything else 500 with an error id that the log line carries too.
 */
export function registerHardening(app: FastifyInstance, options: { graphqlPath: string }) {
  const { graphqlPath } = options;
  app.addHook("onRequest", async (request, reply) => {
    if (!validHost(request)) {
      return sendError(
        request,
        reply,
        graphqlPath,
        400,
        { code: ErrorCode.BAD_REQUEST },
        "The request needs a Host header naming this server",
      );
    }
  });

  const parseSafely = app.getDefaultJsonParser("error", "error");
  app.removeContentTypeParser("application/json");
  app.addContentTypeParser("application/json", { parseAs: "string" }, (request, body, done) => {
    const text = body as string;
    if (jsonTooDeep(text, MAX_JSON_DEPTH)) {
      done(
        new RequestError(400, ErrorCode.BAD_REQUEST, `The body nests deeper than ${MAX_JSON_DEPTH} levels`),
      );
      return;
    }
    parseSafely(request, text, (error, value) => {
      if (!error) return done(null, value);
      const empty = (error as FastifyError).code === "FST_ERR_CTP_EMPTY_JSON_BODY";
      done(
        new RequestError(400, ErrorCode.BAD_REQUEST, empty ? "The body is empty" : "The body is not JSON"),
      );
    });
  });

  app.setErrorHandler((error: FastifyError | RequestError, request, reply) => {
    const status = error.statusCode ?? 500;
    if (status >= 400 && status < 500) {
      if (error instanceof RequestError) {
        return sendError(request, reply, graphqlPath, status, { code: error.code }, error.message);
      }
      const code = FASTIFY_CODES.get(error.code);
      const message = code ? error.message : "The request is malformed";
      return sendError(request, reply, graphqlPath, status, { code: code ?? ErrorCode.BAD_REQUEST }, message);
    }
    const errorId = randomUUID();
    request.log.error({ err: error, errorId }, "request failed");
    return sendError(
      request,
      reply,
      graphqlPath,
      500,
      { code: ErrorCode.INTERNAL_SERVER_ERROR, errorId },
      "Internal server error",
    );
  });
}

// Request errors the GraphQL-over-HTTP specification answers 200 under the legacy application/json type.
const LEGACY_OK_CODES = new Set<string>([
  "GRAPHQL_PARSE_FAILED",
  "GRAPHQL_VALIDATION_FAILED",
  ErrorCode.BAD_USER_INPUT,
  ErrorCode.LIST_TOO_LONG,
]);

const MEDIA_TYPES = ["application/json", "application/graphql-response+json"];

/** The media type Apollo answers with: application/json unless the Accept header prefers the newer type. */
function answersLegacyJson(accept: string | undefined): boolean {
  if (!accept) return true;
  return new Negotiator({ headers: { accept } }).mediaType(MEDIA_TYPES) === "application/json";
}

/**
 * GraphQL-over-HTTP rules Apollo does not apply itself: a subscription over HTTP is refused with its own code
 * (subscriptions run over WebSocket), and a document that fails to parse, validate or coerce answers 200 when the
 * response is application/json, as the specification recommends, and 400 under application/graphql-response+json.
 * No answer may be cached (`cache-control: no-store`).
 */
export function graphqlOverHttpRules(): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ operation }) {
          if (operation?.operation === "subscription") {
            throw new GraphQLError("Subscriptions run over WebSocket (graphql-ws) on the GraphQL path", {
              extensions: { code: ErrorCode.SUBSCRIPTION_NOT_SUPPORTED, http: { status: 400 } },
            });
          }
        },
        async willSendResponse({ request, response }) {
          // Answers are per credential and change with every write: no cache, shared or private, keeps one.
          response.http.headers.set("cache-control", "no-store");
          if (response.http.status !== 400 || response.body.kind !== "single") return;
          const result = response.body.singleResult;
          if (result.data !== undefined || !result.errors?.length) return;
          if (!result.errors.every((e) => LEGACY_OK_CODES.has(e.extensions?.code as string))) return;
          if (answersLegacyJson(request.http?.headers.get("accept"))) response.http.status = 200;
        },
      };
    },
  };
}

/**
 * Whether a WebSocket upgrade may proceed: browsers always send Origin, so a page may open the socket only from
 * the dashboard's own origin (the server's Host) or an origin the CORS list names. Clients without Origin are not
 * browsers and cannot ride a visitor's session.
 */
export function upgradeOriginAllowed(request: IncomingMessage, allowedOrigins: readonly string[]): boolean {
  const origin = request.headers.origin;
  if (origin === undefined) return true;
  let parsed: URL;
  try {
    parsed = new URL(origin);
  } catch {
    return false;
  }
  if (allowedOrigins.some((allowed) => allowed === parsed.origin)) return true;
  const host = request.headers.host;
  if (!host) return false;
  try {
    // Same host and port as the request itself; the scheme is lost behind a TLS-terminating proxy.
    return parsed.host === new URL(`${parsed.protocol}//${host}`).host;
  } catch {
    return false;
  }
}

const STRING_PARAMS = ["x-tenant", "tenant", "x-api-key", "authorization"];

/** What is wrong with a socket's connectionParams, or null: the values the server reads must be storable strings. */
export function connectionParamsProblem(params: unknown): string | null {
  if (params === undefined || params === null) return null;
  if (typeof params !== "object" || Array.isArray(params)) return "connectionParams must be an object";
  const values = params as Record<string, unknown>;
  for (const key of STRING_PARAMS) {
    if (!Object.hasOwn(values, key)) continue;
    const value = values[key];
    if (typeof value !== "string") return `connectionParams.${key} must be a string`;
    const problem = textProblem(value);
    if (problem) return `connectionParams.${key} ${problem}`;
  }
  return null;
}
