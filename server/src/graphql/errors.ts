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
  ...Object.values(ErrorCode),
  "GRAPHQL_PARSE_FAILED",
  "GRAPHQL_VALIDATION_FAILED",
  "BAD_REQUEST",
  "PERSISTED_QUERY_NOT_FOUND",
  "PERSISTED_QUERY_NOT_SUPPORTED",
  "OPERATION_RESOLUTION_FAILURE",
]);

/**
 * Keeps known errors as they are, turns type-graphql's argument validation into BAD_USER_INPUT, and hides
 * everything else behind INTERNAL_SERVER_ERROR (logged by the caller).
 */
export function formatError(
  formatted: GraphQLFormattedError,
  error: unknown,
  log: (error: unknown) => void,
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
  // Apollo labels any thrown Error INTERNAL_SERVER_ERROR: only a GraphQLError raised on purpose keeps its message.
  if (
    code &&
    PUBLIC_CODES.has(code) &&
    (code !== ErrorCode.INTERNAL_SERVER_ERROR || original instanceof GraphQLError)
  ) {
    return { ...formatted, extensions: { ...formatted.extensions, stacktrace: undefined } };
  }
  log(original);
  return {
    message: "Internal server error",
    locations: formatted.locations,
    path: formatted.path,
    extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR },
  };
}
