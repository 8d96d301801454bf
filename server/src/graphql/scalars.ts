import { GraphQLError, GraphQLScalarType, Kind } from "graphql";
import { DateTimeResolver, JSONResolver } from "graphql-scalars";
import { Prisma } from "../generated/prisma/client";
import { isCanonicalDecimal } from "./decimal";
import { ErrorCode } from "./errors";

function parseMoney(value: unknown): Prisma.Decimal {
  if (typeof value !== "string" || !isCanonicalDecimal(value)) {
    throw new GraphQLError(
      `Money must be a decimal string with at most 2 decimal places, e.g. "19.99"; got ${JSON.stringify(value)}`,
      { extensions: { code: ErrorCode.BAD_USER_INPUT } },
    );
  }
  return new Prisma.Decimal(value);
}

/** Money as an exact decimal string ("19.99"), never a float. */
export const MoneyScalar = new GraphQLScalarType<Prisma.Decimal, string>({
  name: "Money",
  description: 'An exact amount as a decimal string with two decimal places, e.g. "19.99". Never a float.',
  serialize(value) {
    if (value instanceof Prisma.Decimal) return value.toFixed(2);
    if (typeof value === "string" || typeof value === "number") return new Prisma.Decimal(value).toFixed(2);
    throw new GraphQLError("Money cannot represent this value");
  },
  parseValue: parseMoney,
  parseLiteral(ast) {
    if (ast.kind !== Kind.STRING) {
      throw new GraphQLError('Money must be given as a string, e.g. "19.99"', {
        extensions: { code: ErrorCode.BAD_USER_INPUT },
      });
    }
    return parseMoney(ast.value);
  },
});

/** A percentage as a decimal string ("5.00"). */
export const PercentScalar = new GraphQLScalarType<Prisma.Decimal, string>({
  ...MoneyScalar.toConfig(),
  name: "Percent",
  description: 'A percentage as a decimal string with two decimal places, e.g. "5.00".',
});

// PostgreSQL's timestamps have no year 0, and RFC 3339 has no year past 9999.
const EARLIEST = Date.parse("0001-01-01T00:00:00.000Z");
const LATEST = Date.parse("9999-12-31T23:59:59.999Z");

function inRange(date: Date): Date {
  const time = date.getTime();
  if (!(time >= EARLIEST && time <= LATEST)) {
    throw new GraphQLError("DateTime must lie between 0001-01-01 and 9999-12-31 (UTC)", {
      extensions: { code: ErrorCode.BAD_USER_INPUT },
    });
  }
  return date;
}

/** An RFC 3339 instant (graphql-scalars' DateTime), limited to the years PostgreSQL and RFC 3339 share. */
export const DateTimeScalar = new GraphQLScalarType<Date, Date | string>({
  ...DateTimeResolver.toConfig(),
  parseValue: (value) => inRange(DateTimeResolver.parseValue(value)),
  parseLiteral: (ast, variables) => inRange(DateTimeResolver.parseLiteral(ast, variables)),
});

export { JSONResolver as JSONScalar };
