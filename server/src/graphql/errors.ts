import { randomUUID } from "node:crypto";
import { GraphQLError, type GraphQLFormattedError } from "graphql";
import { Field, ObjectType } from "type-graphql";

/** Stable error codes clients can branch on (extensions.code). */
export const ErrorCode = {
  BAD_USER_INPUT: "BAD_USER_INPUT",
  INVALID_CURSOR: "INVALID_CURSOR",
  PAGE_SIZE_EXCEEDED: "PAGE_SIZE_EXCEEDED",
  INVALID_ID: "INVALID_ID",
  NOT_FOUND: "NOT_FOUND",
  TENANT_NOT_FOUND: "TENANT_NOT_FOUND",
  /** No credential, or one that is invalid, expired or revoked (HTTP 401). */
  UNAUTHENTICATED: "UNAUTHENTICATED",
  /** The credential is fine but lacks the scope or the tenant (HTTP 403). */
  FORBIDDEN: "FORBIDDEN",
  /** The caller's query-cost budget or request rate is spent (HTTP 429, Retry-After). */
  THROTTLED: "THROTTLED",
  /** One query asks for more than a whole budget holds (HTTP 400). */
  MAX_COST_EXCEEDED: "MAX_COST_EXCEEDED",
  /** A list argument longer than the API takes (see graphql/validation.ts). */
  LIST_TOO_LONG: "LIST_TOO_LONG",
  /** A subscription sent over HTTP; subscriptions run over WebSocket (graphql-ws). */
  SUBSCRIPTION_NOT_SUPPORTED: "SUBSCRIPTION_NOT_SUPPORTED",
  /** A persisted query whose sha256Hash is not the hash of the query sent with it. */
  PERSISTED_QUERY_HASH_MISMATCH: "PERSISTED_QUERY_HASH_MISMATCH",
  /** A persisted query of a version other than 1. */
  PERSISTED_QUERY_VERSION_UNSUPPORTED: "PERSISTED_QUERY_VERSION_UNSUPPORTED",
  /** The HTTP request itself is malformed: no Host, a body that is not JSON, a body nested too deep. */
  BAD_REQUEST: "BAD_REQUEST",
  PAYLOAD_TOO_LARGE: "PAYLOAD_TOO_LARGE",
  UNSUPPORTED_MEDIA_TYPE: "UNSUPPORTED_MEDIA_TYPE",
  INTERNAL_SERVER_ERROR: "INTERNAL_SERVER_ERROR",
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

export function userInputError(message: string, code: ErrorCode = ErrorCode.BAD_USER_INPUT, field?: string) {
  return new GraphQLError(message, { extensions: { code, ...(field ? { field } : {}) } });
}

/** A row-level problem in a mutation payload (the Shopify convention: field path, code, message). */
@ObjectType({ description: "A problem with one part of a mutation's input." })
export class UserError {
  @Field(() => [String], { description: 'Path to the input field at fault, e.g. ["updates", "3", "price"].' })
  field!: string[];

  @Field(() => String)
  code!: string;

  @Field(() => String)
  message!: string;
}

// Codes whose messages are safe to show; anything else is an internal error and its message is hidden.
const PUBLIC_CODES = new Set<string>([
  ...Object.values(ErrorCode).filter((code) => code !== ErrorCode.INTERNAL_SERVER_ERROR),
  "GRAPHQL_PARSE_FAILED",
  "GRAPHQL_VALIDATION_FAILED",
  "PERSISTED_QUERY_NOT_FOUND",
  "PERSISTED_QUERY_NOT_SUPPORTED",
  "OPERATION_RESOLUTION_FAILURE",
]);

// Apollo's request pipeline raises these without a code (it then reads as INTERNAL_SERVER_ERROR).
const PIPELINE_CODES = new Map<string, ErrorCode>([
  ["provided sha does not match query", ErrorCode.PERSISTED_QUERY_HASH_MISMATCH],
  ["Unsupported persisted query version", ErrorCode.PERSISTED_QUERY_VERSION_UNSUPPORTED],
]);

/** An HTTP-status error raised on purpose without a code: a request error, not an internal one. */
function pipelineCode(error: unknown): ErrorCode | undefined {
  if (!(error instanceof GraphQLError) || error.extensions.code !== undefined) return undefined;
  const status = (error.extensions.http as { status?: number } | undefined)?.status;
  if (status === undefined || status >= 500) return undefined;
  return PIPELINE_CODES.get(error.message) ?? ErrorCode.BAD_REQUEST;
}

/**
 * Keeps known errors as they are, turns type-graphql's argument validation into BAD_USER_INPUT, names the
 * codeless request errors of Apollo's pipeline, and hides everything else behind INTERNAL_SERVER_ERROR with
 * an error id that is logged (by the caller) and answered, so a report can be matched to its log line.
 */
export function formatError(
  formatted: GraphQLFormattedError,
  error: unknown,
  log: (error: unknown, errorId: string) => void,
): GraphQLFormattedError {
  const original = error instanceof GraphQLError ? (error.originalError ?? error) : error;
  const code = formatted.extensions?.code as string | undefined;
  if (original && (original as { name?: string }).name === "ArgumentValidationError") {
    const details = (original as { extensions?: { validationErrors?: unknown } }).extensions
      ?.validationErrors;
    return {
      message: formatted.message,
      locations: formatted.locations,
      path: formatted.path,
      extensions: { code: ErrorCode.BAD_USER_INPUT, validationErrors: details },
    };
  }
  const requestCode = pipelineCode(error);
  if (requestCode) return { message: formatted.message, extensions: { code: requestCode } };
  if (code && PUBLIC_CODES.has(code)) {
    return { ...formatted, extensions: { ...formatted.extensions, stacktrace: undefined } };
  }
  const errorId = randomUUID();
  log(original, errorId);
  return {
    message: "Internal server error",
    locations: formatted.locations,
    path: formatted.path,
    extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR, errorId },
  };
}
