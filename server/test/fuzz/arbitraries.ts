import fc from "fast-check";
import {
  type GraphQLArgument,
  type GraphQLField,
  type GraphQLInputType,
  type GraphQLOutputType,
  getNamedType,
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isLeafType,
  isListType,
  isNonNullType,
  isObjectType,
  isUnionType,
} from "graphql";
import type { KnownValues } from "./world";

const b64 = (text: string) => Buffer.from(text).toString("base64url");
const UUID = "00000000-0000-4000-8000-000000000000";

/** Strings that have broken servers: NUL, lone surrogates, injection, traversal, prototype names, sizes. */
export const HOSTILE_STRINGS = [
  "",
  " ",
  "\u0000",
  "a\u0000b",
  "\ud800",
  "x\udc00",
  "\ud83d\ude00",
  "\u202eevil",
  "\u200b",
  "\r\nX-Injected: 1",
  "'; DROP TABLE products; --",
  "' OR '1'='1",
  "%",
  "_",
  "\\",
  "\\u0000",
  "../../../../etc/passwd",
  "__proto__",
  "constructor",
  "prototype",
  "toString",
  "hasOwnProperty",
  '{"$gt":""}',
  "<script>alert(1)</script>",
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a template-injection probe, meant literally
  "${7*7}{{7*7}}",
  "null",
  "NaN",
  "-1",
  "1e309",
  "http://127.0.0.1:1/",
  "http://169.254.169.254/latest/meta-data/",
  "file:///etc/passwd",
  "x".repeat(201),
  "x".repeat(10_001),
];

export const hostileString = (): fc.Arbitrary<string> =>
  fc.oneof(
    // What PostgreSQL cannot store comes often: it is the input most likely to reach the database and fail there.
    { weight: 3, arbitrary: fc.constantFrom("\u0000", "a\u0000b", "\ud800", "x\udc00") },
    { weight: 4, arbitrary: fc.constantFrom(...HOSTILE_STRINGS) },
    { weight: 2, arbitrary: fc.string({ unit: "binary", maxLength: 24 }) },
    { weight: 1, arbitrary: fc.string({ maxLength: 12 }) },
  );

/** Global ids: real ones of the tenant and of another tenant, forged types, forged contents. */
const idArbitrary = (known: KnownValues): fc.Arbitrary<string> =>
  fc.oneof(
    { weight: 3, arbitrary: known.ids.length ? fc.constantFrom(...known.ids) : hostileString() },
    {
      weight: 2,
      arbitrary: known.foreignIds.length ? fc.constantFrom(...known.foreignIds) : hostileString(),
    },
    {
      weight: 2,
      arbitrary: fc
        .constantFrom(
          "constructor",
          "__proto__",
          "toString",
          "Node",
          "Query",
          "InventoryItem",
          "SyncJob",
          "Alert",
          "",
        )
        .chain((type) =>
          fc.constantFrom(UUID, "not-a-uuid", "", "\u0000", `${UUID}:x`).map((id) => b64(`${type}:${id}`)),
        ),
    },
    { weight: 2, arbitrary: hostileString() },
  );

/** Cursors: real ones, and forged ones that decode to every wrong shape. */
const cursorArbitrary = (known: KnownValues): fc.Arbitrary<string> =>
  fc.oneof(
    { weight: 2, arbitrary: known.cursors.length ? fc.constantFrom(...known.cursors) : hostileString() },
    {
      weight: 3,
      arbitrary: fc
        .tuple(
          fc.constantFrom("title:asc", "price:desc", "quantity:asc", "updatedAt:desc", "createdAt:desc", "x"),
          fc.oneof(
            fc.constantFrom(
              "x",
              "",
              null,
              42,
              -1,
              1.5,
              2 ** 40,
              "2026-01-01T00:00:00.000Z",
              "0000-01-01T00:00:00.000Z",
            ),
            fc.constantFrom({}, [], true, "\u0000", "99999999999999.99"),
          ),
          fc.constantFrom(UUID, "not-a-uuid", "", 7, null, "\u0000"),
        )
        .chain((parts) =>
          fc.constantFrom(
            JSON.stringify(parts),
            JSON.stringify(parts.slice(0, 2)),
            JSON.stringify({ k: parts[0] }),
          ),
        )
        .map(b64),
    },
    { weight: 1, arbitrary: hostileString() },
  );

const intArbitrary = (): fc.Arbitrary<unknown> =>
  fc.oneof(
    { weight: 3, arbitrary: fc.integer() },
    {
      weight: 3,
      arbitrary: fc.constantFrom(0, -1, 1, 5, 250, 251, 1000, 10_000, 10_001, 2 ** 31 - 1, -(2 ** 31)),
    },
    { weight: 1, arbitrary: fc.constantFrom(2 ** 31, 2 ** 53, 1.5, "1", true, -0) },
  );

const dateArbitrary = (): fc.Arbitrary<unknown> =>
  fc.oneof(
    {
      weight: 2,
      arbitrary: fc
        .date({ noInvalidDate: true, min: new Date("0001-01-01"), max: new Date("9999-12-31") })
        .map((d) => d.toISOString()),
    },
    {
      weight: 3,
      arbitrary: fc.constantFrom(
        "0000-01-01T00:00:00Z",
        "0001-01-01T00:00:00+01:00",
        "9999-12-31T23:59:59-23:59",
        "2026-02-30T00:00:00Z",
        "2026-13-01T00:00:00Z",
        "2026-01-01",
        "+275760-09-13T00:00:00Z",
        "yesterday",
        "",
      ),
    },
    { weight: 1, arbitrary: fc.constantFrom(0, -8.64e15, 1e20) },
  );

const decimalArbitrary = (): fc.Arbitrary<unknown> =>
  fc.oneof(
    { weight: 2, arbitrary: fc.constantFrom("19.99", "0", "0.5", "5.00", "100", "100.01", "-1.00", "-0") },
    {
      weight: 2,
      arbitrary: fc.constantFrom(
        " 1.00 ",
        "1.00\n",
        "007",
        "1e3",
        "0x10",
        "1.234",
        "99999999999.99",
        "NaN",
        "",
        "1,00",
      ),
    },
    { weight: 1, arbitrary: fc.double().map(String) },
    { weight: 1, arbitrary: fc.constantFrom(19.99, true, null) },
  );

const jsonArbitrary = (): fc.Arbitrary<unknown> =>
  fc.oneof(
    { weight: 3, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
    {
      weight: 2,
      arbitrary: fc.record(
        {
          apiKey: hostileString(),
          clientId: hostileString(),
          clientSecret: hostileString(),
          refreshToken: hostileString(),
          lwaEndpoint: fc.constantFrom(
            "http://127.0.0.1:1/",
            "http://localhost/",
            "https://example.invalid/",
            "x",
          ),
        },
        { requiredKeys: [] },
      ),
    },
    {
      weight: 1,
      arbitrary: fc.constantFrom(JSON.parse('{"__proto__":{"polluted":1}}'), {
        constructor: { prototype: {} },
      }),
    },
    { weight: 1, arbitrary: fc.constant(nest(200)) },
  );

function nest(depth: number): unknown {
  let value: unknown = "leaf";
  for (let i = 0; i < depth; i++) value = { a: value };
  return value;
}

/** A value for a named argument or field: ids, SKUs and cursors draw on what exists. */
function leafArbitrary(type: GraphQLInputType, name: string, known: KnownValues): fc.Arbitrary<unknown> {
  const named = getNamedType(type);
  if (isEnumType(named)) {
    const values = named.getValues().map((v) => v.value as string);
    return fc.oneof(
      { weight: 5, arbitrary: fc.constantFrom(...values) },
      { weight: 1, arbitrary: hostileString() },
    );
  }
  switch (named.name) {
    case "ID":
      return idArbitrary(known);
    case "Int":
      return intArbitrary();
    case "Float":
      return fc.oneof(fc.double(), fc.constantFrom("1.5", null));
    case "Boolean":
      return fc.oneof(
        { weight: 5, arbitrary: fc.boolean() },
        { weight: 1, arbitrary: fc.constantFrom("true", 1) },
      );
    case "DateTime":
      return dateArbitrary();
    case "Money":
    case "Percent":
      return decimalArbitrary();
    case "JSON":
      return jsonArbitrary();
    default:
      if (name === "after" || name === "before") return cursorArbitrary(known);
      if (/^skus?$/i.test(name) && known.skus.length) {
        return fc.oneof(
          { weight: 2, arbitrary: fc.constantFrom(...known.skus) },
          { weight: 3, arbitrary: hostileString() },
        );
      }
      if (name === "endpoint") {
        return fc.constantFrom(
          "",
          "http://127.0.0.1:1/",
          "http://[::1]/",
          "http://0x7f000001/",
          "gopher://x/",
          "x",
        );
      }
      return hostileString();
  }
}

/** Hostile values of a GraphQL input type, mostly well-typed (to reach resolvers), sometimes not. */
export function valueArbitrary(
  type: GraphQLInputType,
  name: string,
  known: KnownValues,
  depth = 0,
): fc.Arbitrary<unknown> {
  if (isNonNullType(type)) {
    return fc.oneof(
      { weight: 19, arbitrary: valueArbitrary(type.ofType, name, known, depth) },
      { weight: 1, arbitrary: fc.constant(null) },
    );
  }
  if (isListType(type)) {
    const item = valueArbitrary(type.ofType, name, known, depth + 1);
    return fc.oneof(
      { weight: 8, arbitrary: fc.array(item, { maxLength: 4 }) },
      { weight: 1, arbitrary: item },
      {
        weight: 1,
        arbitrary: fc
          .tuple(item, fc.constantFrom(1_001, 20_001, 50_000))
          .map(([v, n]) => Array.from({ length: n }, () => v)),
      },
    );
  }
  if (isInputObjectType(type)) {
    if (depth > 3) return fc.constant(null);
    const fields = Object.values(type.getFields());
    const record = fc.record(
      Object.fromEntries(fields.map((f) => [f.name, valueArbitrary(f.type, f.name, known, depth + 1)])),
      { requiredKeys: fields.filter((f) => isNonNullType(f.type)).map((f) => f.name) },
    );
    return fc.oneof(
      { weight: 8, arbitrary: record },
      { weight: 1, arbitrary: record.map((r) => ({ ...r, notAField: "x" })) },
      { weight: 1, arbitrary: fc.constantFrom("x", 1, [], true) },
    );
  }
  return leafArbitrary(type, name, known);
}

/** Arguments for a field: every required one, any optional ones. */
export function argumentsArbitrary(args: readonly GraphQLArgument[], known: KnownValues) {
  return fc.record(Object.fromEntries(args.map((a) => [a.name, valueArbitrary(a.type, a.name, known)])), {
    requiredKeys: args.filter((a) => isNonNullType(a.type)).map((a) => a.name),
  });
}

/** A small selection that makes the field's resolver run and its payload's errors show. */
export function selectionFor(type: GraphQLOutputType, depth = 0): string {
  const named = getNamedType(type);
  if (isLeafType(named)) return "";
  if (isUnionType(named)) return "{ __typename }";
  const fields = isObjectType(named) || isInterfaceType(named) ? Object.values(named.getFields()) : [];
  const noRequiredArgs = (f: GraphQLField<unknown, unknown>) => f.args.every((a) => !isNonNullType(a.type));
  const parts = ["__typename"];
  for (const f of fields.filter(noRequiredArgs)) {
    const leaf = isLeafType(getNamedType(f.type));
    if (leaf) parts.push(f.name);
    else if (
      depth < 1 &&
      ["userErrors", "pageInfo", "nodes", "job", "results", "connection"].includes(f.name)
    ) {
      parts.push(`${f.name} ${selectionFor(f.type, depth + 1)}`);
    }
  }
  return `{ ${parts.join(" ")} }`;
}

/** An operation calling one root field with every given argument as a variable of the argument's type. */
export function operationFor(
  kind: "query" | "mutation" | "subscription",
  field: GraphQLField<unknown, unknown>,
  given: Record<string, unknown>,
): string {
  const used = field.args.filter((a) => Object.hasOwn(given, a.name));
  const declared = used.map((a) => `$${a.name}: ${a.type.toString()}`).join(", ");
  const passed = used.map((a) => `${a.name}: $${a.name}`).join(", ");
  return `${kind} Fuzz${declared ? `(${declared})` : ""} { ${field.name}${passed ? `(${passed})` : ""} ${selectionFor(field.type)} }`;
}

type ExampleKind = "nul" | "surrogate" | "huge";
const EXAMPLE_TEXT: Record<ExampleKind, string> = { nul: "a\u0000", surrogate: "a\ud800", huge: "x" };

/** A value of the type with every field filled: each string holds the kind's text, each list (huge) 50,000 items. */
function exampleValue(type: GraphQLInputType, kind: ExampleKind, depth = 0): unknown {
  if (isNonNullType(type)) return exampleValue(type.ofType, kind, depth);
  if (isListType(type)) {
    const item = exampleValue(type.ofType, kind, depth + 1);
    return kind === "huge" ? Array.from({ length: 50_000 }, () => item) : [item];
  }
  if (isInputObjectType(type)) {
    if (depth > 2) return undefined;
    const fields = Object.values(type.getFields()).map(
      (f) => [f.name, exampleValue(f.type, kind, depth + 1)] as const,
    );
    return Object.fromEntries(fields.filter(([, v]) => v !== undefined));
  }
  if (isEnumType(type)) return type.getValues()[0]!.value;
  const text = EXAMPLE_TEXT[kind];
  switch (type.name) {
    case "Int":
      return 1;
    case "Float":
      return 1.5;
    case "Boolean":
      return true;
    case "DateTime":
      return "2026-01-01T00:00:00Z";
    case "Money":
    case "Percent":
      return "1.00";
    case "JSON":
      return { [text]: text };
    default:
      return text;
  }
}

/**
 * Cases run before the random ones, so every argument of every field meets the inputs that broke the server
 * whatever the seed: a NUL and an unpaired surrogate in every string it holds, 50,000 items in every list.
 * Each argument is tried alone (with the required ones), so one refusal does not hide another.
 */
export function argumentExamples(args: readonly GraphQLArgument[]): Record<string, unknown>[] {
  const examples: Record<string, unknown>[] = [];
  for (const kind of ["nul", "surrogate", "huge"] as const) {
    for (const arg of args) {
      const required = args.filter((a) => a !== arg && isNonNullType(a.type));
      examples.push(
        Object.fromEntries(
          [arg, ...required].map((a) => [a.name, exampleValue(a.type, a === arg ? kind : "nul", 0)]),
        ),
      );
    }
  }
  return examples;
}
