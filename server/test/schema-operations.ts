import {
  type GraphQLArgument,
  type GraphQLField,
  type GraphQLInputType,
  type GraphQLNamedType,
  type GraphQLSchema,
  getNamedType,
  isCompositeType,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  isObjectType,
  isScalarType,
} from "graphql";
import { type AccessRule, accessRuleOf } from "../src/graphql/access";

export type OperationKind = "query" | "mutation" | "subscription";

export interface RootOperation {
  kind: OperationKind;
  field: string;
  rule: AccessRule | undefined;
  args: readonly GraphQLArgument[];
  /** A valid document calling the field once, its arguments as variables. */
  document: string;
  variables: Record<string, unknown>;
}

const SCALARS: Record<string, unknown> = {
  String: "x",
  ID: "x",
  Int: 1,
  Float: 1,
  Boolean: true,
  DateTime: "2030-01-01T00:00:00.000Z",
  Money: "1.00",
  Percent: "1.00",
  JSON: {},
};

/** A value of `type` the schema accepts (every required field filled); ids come from `id` when given. */
export function sampleValue(type: GraphQLInputType, id: (name: string) => unknown, name = ""): unknown {
  if (isNonNullType(type)) return sampleValue(type.ofType, id, name);
  if (isListType(type)) return [sampleValue(type.ofType, id, name)];
  if (isEnumType(type)) return type.getValues()[0]!.value;
  if (isInputObjectType(type)) {
    const value: Record<string, unknown> = {};
    for (const field of Object.values(type.getFields())) {
      if (isNonNullType(field.type)) value[field.name] = sampleValue(field.type, id, field.name);
    }
    return value;
  }
  if (isScalarType(type)) {
    if (type.name === "ID") return id(name);
    if (!(type.name in SCALARS)) throw new Error(`No sample for scalar ${type.name}`);
    return SCALARS[type.name];
  }
  throw new Error(`No sample for ${String(type)}`);
}

/** A selection of `type`'s fields without required arguments, `depth` levels deep (`__typename` at the bottom). */
function selectionOf(type: GraphQLNamedType, depth: number): string {
  if (!isCompositeType(type)) return "";
  if (depth <= 0 || !isObjectType(type)) return " { __typename }";
  const fields = Object.values(type.getFields())
    .filter((f) => !f.args.some((a) => isNonNullType(a.type)))
    .map((f) => `${f.name}${selectionOf(getNamedType(f.type), depth - 1)}`);
  return ` { __typename ${fields.join(" ")} }`;
}

function selection(field: GraphQLField<unknown, unknown>, depth: number) {
  return selectionOf(getNamedType(field.type), depth);
}

/**
 * Every root field of the schema as one operation each, arguments as variables: what the access tests send,
 * generated from the schema so no field can be forgotten.
 */
export function rootOperations(
  schema: GraphQLSchema,
  options: { id?: (name: string) => unknown; depth?: number } = {},
): RootOperation[] {
  const id = options.id ?? (() => "x");
  const depth = options.depth ?? 0;
  const roots: [OperationKind, ReturnType<GraphQLSchema["getQueryType"]>][] = [
    ["query", schema.getQueryType()],
    ["mutation", schema.getMutationType()],
    ["subscription", schema.getSubscriptionType()],
  ];
  const operations: RootOperation[] = [];
  for (const [kind, type] of roots) {
    for (const field of Object.values(type?.getFields() ?? {})) {
      const args = field.args.filter((a) => isNonNullType(a.type));
      const declared = args.map((a) => `$${a.name}: ${String(a.type)}`).join(", ");
      const passed = args.map((a) => `${a.name}: $${a.name}`).join(", ");
      operations.push({
        kind,
        field: field.name,
        rule: accessRuleOf(field),
        args: field.args,
        document: `${kind} Op${declared ? `(${declared})` : ""} { ${field.name}${passed ? `(${passed})` : ""}${selection(field, depth)} }`,
        variables: Object.fromEntries(args.map((a) => [a.name, sampleValue(a.type, id, a.name)])),
      });
    }
  }
  return operations;
}
