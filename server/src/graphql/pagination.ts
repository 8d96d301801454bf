import { ArgsType, Field, Int, ObjectType } from "type-graphql";
import { ErrorCode, userInputError } from "./errors";
import { isUuid } from "./global-id";
import { textProblem } from "./validation";

export const MAX_PAGE_SIZE = 250;
export const DEFAULT_PAGE_SIZE = 50;

@ArgsType()
export class ConnectionArgs {
  @Field(() => Int, { nullable: true, description: `Items after \`after\`; at most ${MAX_PAGE_SIZE}.` })
  first?: number | null;

  @Field(() => String, { nullable: true })
  after?: string | null;

  @Field(() => Int, { nullable: true, description: `Items before \`before\`; at most ${MAX_PAGE_SIZE}.` })
  last?: number | null;

  @Field(() => String, { nullable: true })
  before?: string | null;
}

@ObjectType({ simpleResolvers: true })
export class PageInfo {
  @Field(() => Boolean)
  hasNextPage!: boolean;

  @Field(() => Boolean)
  hasPreviousPage!: boolean;

  @Field(() => String, { nullable: true })
  startCursor!: string | null;

  @Field(() => String, { nullable: true })
  endCursor!: string | null;
}

export type SortValue = string | number | null;
export type Direction = "asc" | "desc";

/** What a sort column holds, so a cursor's value can be checked before it reaches a query. */
export type SortKind = "text" | "integer" | "decimal" | "timestamp";

/** How a connection is ordered: a column (ties broken by id), its direction and how to read it off a row. */
export interface SortSpec<T> {
  /** Names the ordering inside cursors, so a cursor cannot be replayed under another ordering. */
  key: string;
  field: string;
  direction: Direction;
  kind: SortKind;
  nullable?: boolean;
  value(row: T): SortValue;
}

const INT4 = 2 ** 31;
const DECIMAL_12_2 = /^-?\d{1,10}(\.\d{1,2})?$/;
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/** Whether a cursor's sort value is one the column could hold (what `value()` writes for that kind). */
function validSortValue(value: SortValue, kind: SortKind, nullable: boolean): boolean {
  if (value === null) return nullable;
  switch (kind) {
    case "text":
      return typeof value === "string" && value.length <= 10_000 && textProblem(value) === null;
    case "integer":
      return typeof value === "number" && Number.isInteger(value) && value >= -INT4 && value < INT4;
    case "decimal":
      return typeof value === "string" && DECIMAL_12_2.test(value);
    case "timestamp":
      return (
        typeof value === "string" &&
        ISO_INSTANT.test(value) &&
        !value.startsWith("0000") &&
        Number.isFinite(Date.parse(value))
      );
  }
}

type Where = Record<string, unknown>;

export interface Cursor {
  k: string;
  v: SortValue;
  id: string;
}

export function encodeCursor(c: Cursor): string {
  return Buffer.from(JSON.stringify([c.k, c.v, c.id])).toString("base64url");
}

/** Reads a cursor made under `sort`; anything else, whatever it decodes to, is INVALID_CURSOR. */
export function decodeCursor<T>(cursor: string, sort: SortSpec<T>, argument: string): Cursor {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
  } catch {
    parsed = undefined;
  }
  if (
    !Array.isArray(parsed) ||
    parsed.length !== 3 ||
    typeof parsed[0] !== "string" ||
    !(parsed[1] === null || typeof parsed[1] === "string" || typeof parsed[1] === "number") ||
    typeof parsed[2] !== "string"
  ) {
    throw userInputError(`\`${argument}\` is not a valid cursor`, ErrorCode.INVALID_CURSOR, argument);
  }
  if (parsed[0] !== sort.key) {
    throw userInputError(
      `\`${argument}\` belongs to another ordering; start again without a cursor`,
      ErrorCode.INVALID_CURSOR,
      argument,
    );
  }
  if (!isUuid(parsed[2]) || !validSortValue(parsed[1], sort.kind, sort.nullable ?? false)) {
    throw userInputError(`\`${argument}\` is not a valid cursor`, ErrorCode.INVALID_CURSOR, argument);
  }
  return { k: parsed[0], v: parsed[1], id: parsed[2] };
}

export interface PageRequest {
  take: number;
  backward: boolean;
  cursor: string | null;
}

/** Validates first/last/after/before into one page request, with clear errors. */
export function pageRequest(args: ConnectionArgs): PageRequest {
  const { first, last, after, before } = args;
  for (const [name, value] of [
    ["first", first],
    ["last", last],
  ] as const) {
    if (value == null) continue;
    if (value < 0) throw userInputError(`\`${name}\` must not be negative`, ErrorCode.BAD_USER_INPUT, name);
    if (value > MAX_PAGE_SIZE) {
      throw userInputError(
        `\`${name}\` is ${value}; at most ${MAX_PAGE_SIZE} items per page`,
        ErrorCode.PAGE_SIZE_EXCEEDED,
        name,
      );
    }
  }
  if (first != null && last != null) {
    throw userInputError("Pass either `first` or `last`, not both", ErrorCode.BAD_USER_INPUT, "last");
  }
  if (after != null && before != null) {
    throw userInputError("Pass either `after` or `before`, not both", ErrorCode.BAD_USER_INPUT, "before");
  }
  if (last != null || before != null) {
    return { take: last ?? DEFAULT_PAGE_SIZE, backward: true, cursor: before ?? null };
  }
  return { take: first ?? DEFAULT_PAGE_SIZE, backward: false, cursor: after ?? null };
}

const flip = (d: Direction): Direction => (d === "asc" ? "desc" : "asc");
const beyond = (d: Direction) => (d === "asc" ? "gt" : "lt");
const reaching = (d: Direction) => (d === "asc" ? "gte" : "lte");

/** One index-friendly query of a page read: its condition and its order. */
interface Segment {
  where: Where;
  orderBy: Where[];
}

/**
 * The queries that read past a cursor, in order. Each is a plain index range: `f >= v AND (f > v OR id > c)`
 * rather than `f > v OR (f = v AND id > c)`, which PostgreSQL cannot seek with. Nullable columns are read in
 * two segments (values, then nulls by id), because NULLS LAST in a descending order defeats the index.
 * Reading backward walks the same order in reverse: nulls first, then values.
 */
function segments<T>(sort: SortSpec<T>, c: Cursor | null, backward: boolean): Segment[] {
  const { field, nullable } = sort;
  const dir = backward ? flip(sort.direction) : sort.direction;
  const values: Segment = {
    where: nullable ? { [field]: { not: null } } : {},
    orderBy: [{ [field]: dir }, { id: dir }],
  };
  const nulls: Segment = { where: { [field]: null }, orderBy: [{ id: dir }] };
  const afterCursor = (value: SortValue, id: string): Where => ({
    AND: [
      { [field]: { [reaching(dir)]: value } },
      { OR: [{ [field]: { [beyond(dir)]: value } }, { id: { [beyond(dir)]: id } }] },
    ],
  });
  const nullsAfter = (id: string): Segment => ({
    where: { AND: [{ [field]: null }, { id: { [beyond(dir)]: id } }] },
    orderBy: nulls.orderBy,
  });

  if (!nullable) return [c ? { where: afterCursor(c.v, c.id), orderBy: values.orderBy } : values];
  if (!backward) {
    if (!c) return [values, nulls];
    if (c.v === null) return [nullsAfter(c.id)];
    return [{ where: afterCursor(c.v, c.id), orderBy: values.orderBy }, nulls];
  }
  if (!c) return [nulls, values];
  if (c.v === null) return [nullsAfter(c.id), values];
  return [{ where: afterCursor(c.v, c.id), orderBy: values.orderBy }];
}

export interface Page<T> {
  edges: { cursor: string; node: T }[];
  pageInfo: PageInfo;
}

/** A page request with its cursor checked against `sort`; null when the page is empty by request. */
export function keysetRequest<T>(
  args: ConnectionArgs,
  sort: SortSpec<T>,
): { req: PageRequest; cursor: Cursor | null } | null {
  const req = pageRequest(args);
  const argument = req.backward ? "before" : "after";
  const cursor = req.cursor ? decodeCursor(req.cursor, sort, argument) : null;
  return req.take === 0 ? null : { req, cursor };
}

export const EMPTY_PAGE: Page<never> = {
  edges: [],
  pageInfo: { hasNextPage: false, hasPreviousPage: false, startCursor: null, endCursor: null },
};

/** The page of up to `take + 1` rows read in the request's direction: edges, cursors and page info. */
export function pageOf<T extends { id: string }>(
  rows: T[],
  sort: SortSpec<T>,
  req: PageRequest,
  cursor: Cursor | null,
): Page<T> {
  const more = rows.length > req.take;
  const page = rows.slice(0, req.take);
  if (req.backward) page.reverse();
  const edges = page.map((node) => ({
    cursor: encodeCursor({ k: sort.key, v: sort.value(node), id: node.id }),
    node,
  }));
  return {
    edges,
    pageInfo: {
      hasNextPage: req.backward ? cursor !== null : more,
      hasPreviousPage: req.backward ? more : cursor !== null,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges.at(-1)?.cursor ?? null,
    },
  };
}

/**
 * Reads one page by keyset (sort value, id): stable under inserts and as fast at page 1,000 as at page 1.
 * `find` runs the query with the filters already in `where`.
 */
export async function paginate<T extends { id: string }>(
  args: ConnectionArgs,
  sort: SortSpec<T>,
  where: Where,
  find: (query: { where: Where; orderBy: Where[]; take: number }) => Promise<T[]>,
): Promise<Page<T>> {
  const request = keysetRequest(args, sort);
  if (!request) return EMPTY_PAGE;
  const { req, cursor } = request;
  const rows: T[] = [];
  for (const segment of segments(sort, cursor, req.backward)) {
    if (rows.length > req.take) break;
    rows.push(
      ...(await find({
        where: Object.keys(segment.where).length ? { AND: [where, segment.where] } : where,
        orderBy: segment.orderBy,
        take: req.take + 1 - rows.length,
      })),
    );
  }
  return pageOf(rows, sort, req, cursor);
}

export interface ConnectionShape<T> {
  edges: { cursor: string; node: T }[];
  nodes: T[];
  pageInfo: PageInfo;
  totalCount(): Promise<number>;
}

/** A Relay connection type for `node` (`<Name>Connection` with `<Name>Edge`), with a lazy totalCount. */
export function ConnectionType<T extends object>(node: new () => T, name: string) {
  // Plain fields through graphql-js's default resolver: no type-graphql wrapper per field and row.
  @ObjectType(`${name}Edge`, { simpleResolvers: true })
  class Edge {
    @Field(() => String)
    cursor!: string;

    @Field(() => node)
    node!: T;
  }

  @ObjectType(`${name}Connection`, { simpleResolvers: true })
  class Connection implements ConnectionShape<T> {
    @Field(() => [Edge])
    edges!: Edge[];

    @Field(() => [node], { description: "The edges' nodes, for clients that need no cursors." })
    nodes!: T[];

    @Field(() => PageInfo)
    pageInfo!: PageInfo;

    count!: () => Promise<number>;

    @Field(() => Int, {
      description: "Items matching the filter, across all pages; counted only when asked for.",
    })
    totalCount(): Promise<number> {
      return this.count();
    }
  }
  return Connection;
}

/** Wraps a page and its count into a connection object (a class instance, so totalCount resolves). */
export function toConnection<C extends object>(
  Type: new () => C,
  page: Page<object>,
  count: () => Promise<number>,
): C {
  return Object.assign(new Type(), {
    edges: page.edges,
    nodes: page.edges.map((e) => e.node),
    pageInfo: page.pageInfo,
    count,
  });
}

/** Newest first, ties broken by id: the ordering of jobs, conflicts and alerts. */
export function newestFirst<T extends { createdAt: Date }>(): SortSpec<T> {
  return {
    key: "createdAt:desc",
    field: "createdAt",
    direction: "desc",
    kind: "timestamp",
    value: (row) => row.createdAt.toISOString(),
  };
}

/**
 * Every row `where` matches in `sort`'s order, in batches of `batchSize`, by the same keyset as `paginate`
 * (one index range per batch), so a long read holds one batch at a time. `find` runs each batch's query; run
 * them in one transaction for a consistent read.
 */
export async function* keysetBatches<T extends { id: string }>(
  sort: SortSpec<T>,
  where: Where,
  find: (query: { where: Where; orderBy: Where[]; take: number }) => Promise<T[]>,
  batchSize = 1000,
): AsyncGenerator<T[]> {
  let cursor: Cursor | null = null;
  for (;;) {
    const rows: T[] = [];
    for (const segment of segments(sort, cursor, false)) {
      if (rows.length >= batchSize) break;
      rows.push(
        ...(await find({
          where: Object.keys(segment.where).length ? { AND: [where, segment.where] } : where,
          orderBy: segment.orderBy,
          take: batchSize - rows.length,
        })),
      );
    }
    if (rows.length > 0) yield rows;
    if (rows.length < batchSize) return;
    const last = rows.at(-1)!;
    cursor = { k: sort.key, v: sort.value(last), id: last.id };
  }
}
