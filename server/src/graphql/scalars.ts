import { GraphQLError, GraphQLScalarType, Kind } from "graphql";
import { DateTimeResolver, JSONResolver } from "graphql-scalars";
import { Prisma } from "../generated/prisma/client";
import { ErrorCode } from "./errors";

const DECIMAL = /^-?\d{1,10}(\.\d{1,2})?$/;

function parseMoney(value: unknown): Prisma.Decimal {
  if (typeof value !== "string" || !DECIMAL.test(value)) {
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

export { DateTimeResolver as DateTimeScalar, JSONResolver as JSONScalar };
