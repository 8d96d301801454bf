import {
  type DocumentNode,
  GraphQLError,
  type GraphQLInputType,
  type GraphQLSchema,
  getNamedType,
  getVariableValues,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  type OperationDefinitionNode,
  parse,
} from "graphql";
import { ErrorCode } from "../../graphql/errors";
import { inputErrors } from "../../graphql/validation";
import type { ExportArgs, ExportList } from "./export.lists";

/** Query parameters every export takes besides its filter's fields. */
export const TENANT_PARAM = "tenant";
const ORDER_PARAM = "orderBy";
const DIRECTION_PARAM = "direction";

/** Most query parameters one export request may carry (a filter is a few pickers' worth of values). */
const MAX_PARAMS = 2_000;

const badInput = (message: string, field?: string) =>
  new GraphQLError(message, { extensions: { code: ErrorCode.BAD_USER_INPUT, ...(field ? { field } : {}) } });

const quoted = (name: string) => JSON.stringify(name.length > 40 ? `${name.slice(0, 40)}…` : name);

/** One query-string value as the GraphQL variable JSON would carry it; coercion then judges it. */
function scalarOf(type: GraphQLInputType, raw: string): unknown {
  const named = getNamedType(type);
  if (named.name === "Boolean") return raw === "true" ? true : raw === "false" ? false : raw;
  if (named.name === "Int" && /^-?\d{1,10}$/.test(raw)) return Number(raw);
  return raw;
}

/** A filter field's values: lists take the parameter repeated (enum lists also comma-separated). */
function fieldValue(name: string, type: GraphQLInputType, raw: string[]): unknown {
  const inner = isNonNullType(type) ? type.ofType : type;
  if (isListType(inner)) {
    const item = inner.ofType as GraphQLInputType;
    const split = isEnumType(getNamedType(item)) ? raw.flatMap((v) => v.split(",")) : raw;
    return split.filter((v) => v !== "").map((v) => scalarOf(item, v));
  }
  if (raw.length > 1) throw badInput(`\`${name}\` is given more than once; it takes one value`, name);
  return scalarOf(inner, raw[0]!);
}

interface Operation {
  document: DocumentNode;
  operation: OperationDefinitionNode;
}

const operations = new WeakMap<ExportList, Operation>();

/** The GraphQL query whose arguments an export takes, so its values are checked exactly as that query's are. */
function operationOf(list: ExportList): Operation {
  let op = operations.get(list);
  if (!op) {
    const order = list.orderType ? `, $orderBy: ${list.orderType}` : "";
    const orderArg = list.orderType ? ", orderBy: $orderBy" : "";
    const document = parse(
      `query Export($filter: ${list.filterType}${order}) { ${list.field}(first: 0, filter: $filter${orderArg}) { totalCount } }`,
    );
    op = { document, operation: document.definitions[0] as OperationDefinitionNode };
    operations.set(list, op);
  }
  return op;
}

/**
 * An export's filter and order from its query string: each field of the list's GraphQL filter is a parameter
 * of the same name (`status=ACTIVE&status=INACTIVE`, `isBestseller=true`), the order is `orderBy=PRICE` with
 * `direction=DESC`. The values are coerced and checked as the GraphQL query's variables are; anything unknown,
 * repeated where one value is taken, or invalid is BAD_USER_INPUT (a GraphQLError with the code).
 */
export function exportArgs(schema: GraphQLSchema, list: ExportList, query: URLSearchParams): ExportArgs {
  const filterType = schema.getType(list.filterType);
  if (!isInputObjectType(filterType)) throw new Error(`${list.filterType} is not an input type`);
  const fields = filterType.getFields();
  const grouped = new Map<string, string[]>();
  let count = 0;
  for (const [name, value] of query) {
    if (++count > MAX_PARAMS) throw badInput(`The query string has more than ${MAX_PARAMS} parameters`);
    const values = grouped.get(name);
    if (values) values.push(value);
    else grouped.set(name, [value]);
  }

  const filter: Record<string, unknown> = {};
  let orderBy: Record<string, unknown> | null = null;
  for (const [name, values] of grouped) {
    if (name === TENANT_PARAM) continue;
    if (list.orderType && (name === ORDER_PARAM || name === DIRECTION_PARAM)) {
      if (values.length > 1) throw badInput(`\`${name}\` is given more than once; it takes one value`, name);
      orderBy ??= {};
      orderBy[name === ORDER_PARAM ? "field" : "direction"] = values[0];
      continue;
    }
    const field = Object.hasOwn(fields, name) ? fields[name] : undefined;
    if (!field) {
      const known = [...Object.keys(fields), ...(list.orderType ? [ORDER_PARAM, DIRECTION_PARAM] : [])];
      throw badInput(
        `Unknown parameter ${quoted(name)}; ${list.name} exports take ${known.join(", ")}`,
        name,
      );
    }
    if (values.every((v) => v === "")) continue;
    filter[name] = fieldValue(name, field.type, values);
  }
  if (orderBy && orderBy.field === undefined) {
    throw badInput(`\`${DIRECTION_PARAM}\` needs \`${ORDER_PARAM}\``, DIRECTION_PARAM);
  }

  const variables: Record<string, unknown> = { filter: Object.keys(filter).length ? filter : null };
  if (list.orderType) variables.orderBy = orderBy;
  const { document, operation } = operationOf(list);
  const [problem] = inputErrors(schema, document, operation, variables);
  if (problem) {
    throw new GraphQLError(problem.message.replace(/^Variable "\$(\w+)" got/, "`$1` got"), {
      extensions: {
        code: problem.extensions.code ?? ErrorCode.BAD_USER_INPUT,
        field: problem.extensions.field,
      },
    });
  }
  const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], variables);
  if (coerced.errors) throw badInput(coerced.errors[0]!.message);
  return {
    filter: (coerced.coerced.filter as Record<string, unknown> | null | undefined) ?? null,
    orderBy: (coerced.coerced.orderBy as Record<string, unknown> | null | undefined) ?? null,
  };
}
