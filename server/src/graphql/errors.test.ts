import { GraphQLError } from "graphql";
import { describe, expect, it, vi } from "vitest";
import { ErrorCode, formatError, userInputError } from "./errors";

const formatted = (error: GraphQLError) => ({
  ...error.toJSON(),
  extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR, ...error.extensions },
});

describe("formatError", () => {
  it("keeps a known error's code and message", () => {
    const error = userInputError("`first` must not be negative", ErrorCode.BAD_USER_INPUT, "first");
    const log = vi.fn();
    expect(formatError(formatted(error), error, log)).toMatchObject({
      message: "`first` must not be negative",
      extensions: { code: "BAD_USER_INPUT", field: "first" },
    });
    expect(log).not.toHaveBeenCalled();
  });

  it("hides an unexpected error behind INTERNAL_SERVER_ERROR and logs it", () => {
    const cause = new Error("connection refused to 10.0.0.5:5432");
    const error = new GraphQLError(cause.message, { originalError: cause });
    const log = vi.fn();
    const out = formatError(formatted(error), error, log);
    expect(out).toMatchObject({
      message: "Internal server error",
      extensions: { code: "INTERNAL_SERVER_ERROR" },
    });
    expect(JSON.stringify(out)).not.toContain("10.0.0.5");
    const errorId = out.extensions?.errorId;
    expect(errorId).toMatch(/^[0-9a-f-]{36}$/);
    expect(log).toHaveBeenCalledWith(cause, errorId);
  });

  it("hides graphql-js's own execution errors, which carry no code", () => {
    const error = new GraphQLError('Abstract type "Node" was resolved to a type "constructor"');
    const out = formatError(formatted(error), error, vi.fn());
    expect(out).toMatchObject({
      message: "Internal server error",
      extensions: { code: "INTERNAL_SERVER_ERROR" },
    });
  });

  it("names the request errors Apollo raises without a code, and keeps them request errors", () => {
    const mismatch = new GraphQLError("provided sha does not match query", {
      extensions: { http: { status: 400 } },
    });
    expect(formatError(formatted(mismatch), mismatch, vi.fn())).toEqual({
      message: "provided sha does not match query",
      extensions: { code: "PERSISTED_QUERY_HASH_MISMATCH" },
    });
    const other = new GraphQLError("Some other request problem", { extensions: { http: { status: 400 } } });
    expect(formatError(formatted(other), other, vi.fn()).extensions?.code).toBe("BAD_REQUEST");
  });

  it("turns argument validation into BAD_USER_INPUT with its details", () => {
    const cause = Object.assign(new Error("Argument Validation Error"), {
      name: "ArgumentValidationError",
      extensions: { validationErrors: [{ property: "first" }] },
    });
    const error = new GraphQLError(cause.message, { originalError: cause });
    expect(formatError(formatted(error), error, vi.fn())).toMatchObject({
      extensions: { code: "BAD_USER_INPUT", validationErrors: [{ property: "first" }] },
    });
  });
});
