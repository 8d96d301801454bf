import type { ApolloServerPlugin } from "@apollo/server";
import {
  type DocumentNode,
  GraphQLError,
  type GraphQLInputType,
  type GraphQLSchema,
  getArgumentValues,
  getVariableValues,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  type OperationDefinitionNode,
  TypeInfo,
  visit,
  visitWithTypeInfo,
} from "graphql";
import { ErrorCode } from "./errors";

/** Most items of any list argument: above every module's own cap (10,000 rows), below PostgreSQL's bind limit. */
export const MAX_LIST_ITEMS = 20_000;

/** Most values of a list inside a filter (an input type named `…Filter`): filters are sets chosen in a picker. */
export const MAX_FILTER_VALUES = 1_000;

const UNPAIRED_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Why PostgreSQL could not store a string (its text takes no NUL and only well-formed UTF-16), or null. */
export function textProblem(value: string): string | null {
  if (value.includes("\0")) return "contains a NUL character";
  if (UNPAIRED_SURROGATE.test(value)) return "contains an unpaired UTF-16 surrogate";
  return null;
}

export interface TextProblem {
  path: string[];
  problem: string;
}

// JSON values and coerced inputs: plain objects, or prototype-less ones (graphql-js builds those from literals).
function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== "object" || value === null) return false;
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

/** The first string or key in a JSON-like value that could not be stored, with its path. Iterative: any depth. */
export function findBadText(value: unknown, path: string[] = []): TextProblem | null {
  const stack: Array<[unknown, string[]]> = [[value, path]];
  while (stack.length > 0) {
    const [item, at] = stack.pop()!;
    if (typeof item === "string") {
      const problem = textProblem(item);
      if (problem) return { path: at, problem };
    } else if (Array.isArray(item)) {
      for (let i = item.length - 1; i >= 0; i--) stack.push([item[i], [...at, String(i)]]);
    } else if (isPlainObject(item)) {
      for (const [key, child] of Object.entries(item)) {
        const problem = textProblem(key);
        if (problem) return { path: [...at, key], problem: `has a key that ${problem}` };
        stack.push([child, [...at, key]]);
      }
    }
  }
  return null;
}

interface InputProblem {
  path: string[];
  code: ErrorCode;
  message: string;
}

/** Walks one coerced argument value along its input type: text that cannot be stored, lists that are too long. */
function checkValue(
  value: unknown,
  type: GraphQLInputType,
  path: string[],
  inFilter: boolean,
): InputProblem | null {
  if (value === null || value === undefined) return null;
  if (isNonNullType(type)) return checkValue(value, type.ofType, path, inFilter);
  if (isListType(type)) {
    if (!Array.isArray(value)) return checkValue(value, type.ofType, path, inFilter);
    const max = inFilter ? MAX_FILTER_VALUES : MAX_LIST_ITEMS;
    if (value.length > max) {
      return {
        path,
        code: ErrorCode.LIST_TOO_LONG,
        message: `\`${path.join(".")}\` has ${value.length} items; at most ${max}`,
      };
    }
    for (let i = 0; i < value.length; i++) {
      const problem = checkValue(value[i], type.ofType, [...path, String(i)], inFilter);
      if (problem) return problem;
    }
    return null;
  }
  if (isInputObjectType(type)) {
    const fields = type.getFields();
    const filter = inFilter || type.name.endsWith("Filter");
    for (const name of Object.keys(fields)) {
      if (!Object.hasOwn(value as object, name)) continue;
      const problem = checkValue(
        (value as Record<string, unknown>)[name],
        fields[name]!.type,
        [...path, name],
        filter,
      );
      if (problem) return problem;
    }
    return null;
  }
  if (isEnumType(type)) return null;
  // Scalars: strings (String, ID) and whatever a JSON scalar holds; typed scalars (Money, DateTime) are objects.
  const bad = findBadText(value, path);
  if (!bad) return null;
  return {
    path: bad.path,
    code: ErrorCode.BAD_USER_INPUT,
    message: `\`${bad.path.join(".")}\` ${bad.problem}`,
  };
}

/**
 * Checks every argument of every field an operation selects, after variables are coerced, before anything runs:
 * variables that do not coerce, and a string PostgreSQL cannot store (NUL, an unpaired surrogate), are
 * BAD_USER_INPUT naming the field, a list over its limit LIST_TOO_LONG.
 */
export function inputErrors(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  rawVariables: Record<string, unknown> | null | undefined,
): GraphQLError[] {
  const variables = getVariableValues(schema, operation.variableDefinitions ?? [], rawVariables ?? {}, {
    maxErrors: 1,
  });
  if (variables.errors) {
    return variables.errors.map(
      (error) =>
        new GraphQLError(error.message, {
          nodes: error.nodes,
          extensions: { code: ErrorCode.BAD_USER_INPUT, http: { status: 400 } },
        }),
    );
  }
  const coerced = variables.coerced;
  const errors: GraphQLError[] = [];
  const typeInfo = new TypeInfo(schema);
  visit(
    document,
    visitWithTypeInfo(typeInfo, {
      Field(node) {
        const definition = typeInfo.getFieldDef();
        if (errors.length > 0 || !definition || !node.arguments?.length) return;
        let args: Record<string, unknown>;
        try {
          args = getArgumentValues(definition, node, coerced);
        } catch {
          return;
        }
        for (const argument of definition.args) {
          if (!Object.hasOwn(args, argument.name)) continue;
          const problem = checkValue(args[argument.name], argument.type, [argument.name], false);
          if (problem) {
            errors.push(
              new GraphQLError(problem.message, {
                nodes: node,
                extensions: { code: problem.code, field: problem.path.join("."), http: { status: 400 } },
              }),
            );
            return;
          }
        }
      },
    }),
  );
  return errors;
}

/** inputErrors as an Apollo plugin: the request is refused (400) before any resolver runs. */
export function inputValidation(): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ schema, document, operation, request }) {
          if (!operation) return;
          const [error] = inputErrors(schema, document, operation, request.variables);
          if (error) throw error;
        },
      };
    },
  };
}
