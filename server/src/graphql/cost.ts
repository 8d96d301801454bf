import { type DocumentNode, GraphQLError, type GraphQLSchema, getNamedType, isCompositeType } from "graphql";
import { type ComplexityEstimator, getComplexity } from "graphql-query-complexity";
import type { Principal } from "../platform/auth/principal";
import type { BucketPlan, RateBuckets } from "../platform/rate-buckets";
import { ErrorCode } from "./errors";
import { DEFAULT_PAGE_SIZE } from "./pagination";

/** What every mutation costs on top of what it selects (Shopify's figure). */
export const MUTATION_COST = 10;

/**
 * Shopify's cost model: an object costs 1, a scalar 0; a connection or list costs its page size (`first`,
 * `last`, the number of `ids`) times what one item selects; a mutation 10 more.
 */
const estimator: ComplexityEstimator = ({ type, field, args, childComplexity }) => {
  const named = getNamedType(field.type);
  const own = isCompositeType(named) ? 1 : 0;
  const sized =
    typeof args.first === "number"
      ? args.first
      : typeof args.last === "number"
        ? args.last
        : Array.isArray(args.ids)
          ? args.ids.length
          : named.name.endsWith("Connection")
            ? DEFAULT_PAGE_SIZE
            : 1;
  const mutation = type.name === "Mutation" ? MUTATION_COST : 0;
  return mutation + own + Math.max(0, sized) * childComplexity;
};

/** The most an operation can cost, known before it runs (1 when its variables cannot be read). */
export function requestedQueryCost(
  schema: GraphQLSchema,
  document: DocumentNode,
  operationName: string | null | undefined,
  variables: Record<string, unknown> | undefined,
): number {
  try {
    return Math.max(
      1,
      Math.ceil(
        getComplexity({
          schema,
          query: document,
          operationName: operationName ?? undefined,
          variables,
          estimators: [estimator],
        }),
      ),
    );
  } catch {
    // Bad variables: execution refuses them with its own error; charge the minimum meanwhile.
    return 1;
  }
}

// Runs over every response: it descends only into objects and lists, never calls back per scalar.
function countObjects(value: object): number {
  let sum = 0;
  if (Array.isArray(value)) {
    for (const v of value) if (v !== null && typeof v === "object") sum += countObjects(v);
    return sum;
  }
  sum = 1;
  for (const key in value) {
    const v = (value as Record<string, unknown>)[key];
    if (v !== null && typeof v === "object") sum += countObjects(v);
  }
  return sum;
}

/** What an operation actually cost: the objects it returned (and 10 per mutation), never above the estimate. */
export function actualQueryCost(
  data: Record<string, unknown> | null | undefined,
  mutationFields: number,
  requested: number,
): number {
  if (!data) return Math.min(requested, mutationFields * MUTATION_COST);
  // The root object itself is not an object the caller asked for.
  return Math.min(requested, countObjects(data) - 1 + mutationFields * MUTATION_COST);
}

export interface ThrottleStatus {
  maximumAvailable: number;
  currentlyAvailable: number;
  restoreRate: number;
}

/** How long an unspent refund may wait for its key's next take before it goes back on its own. */
const REFUND_FLUSH_MS = 100;

/** The figures every response reports in extensions.cost. */
export interface CostReport {
  requestedQueryCost: number;
  actualQueryCost: number | null;
  throttleStatus: ThrottleStatus;
}

/**
 * Each credential's query-cost budget: a leaky bucket in PostgreSQL (shared by every server process) that an
 * operation's requested cost is taken from before it runs; what it did not spend is given back afterwards.
 */
export class QueryBudget {
  /** Points each key is owed back, given with its next take (or by the flush, for a key gone quiet). */
  private readonly owed = new Map<
    string,
    { points: number; plan: BucketPlan; onError: (e: unknown) => void }
  >();
  private flushTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly buckets: RateBuckets,
    private readonly plans: { apiKey: BucketPlan; user: BucketPlan },
  ) {}

  /** Gives back, one statement per key, what no take has carried since the last flush (and at shutdown). */
  async flush(): Promise<void> {
    clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    const owed = [...this.owed];
    this.owed.clear();
    await Promise.all(
      owed.map(([key, { points, plan, onError }]) => this.buckets.refund(key, points, plan).catch(onError)),
    );
  }

  planFor(principal: Principal): BucketPlan {
    return principal.kind === "API_KEY" ? this.plans.apiKey : this.plans.user;
  }

  private key(principal: Principal) {
    return `cost:${principal.kind}:${principal.id}`;
  }

  private status(plan: BucketPlan, available: number): ThrottleStatus {
    return {
      maximumAvailable: plan.capacity,
      currentlyAvailable: Math.floor(available),
      restoreRate: plan.restorePerSecond,
    };
  }

  /** Takes `cost` from the principal's budget, or throws THROTTLED (429) / MAX_COST_EXCEEDED without taking. */
  async charge(principal: Principal, cost: number): Promise<CostReport> {
    const plan = this.planFor(principal);
    if (cost > plan.capacity) {
      throw new GraphQLError(
        `This query could cost ${cost} points, more than the ${plan.capacity} a budget holds: ask for fewer items per page`,
        {
          extensions: {
            code: ErrorCode.MAX_COST_EXCEEDED,
            cost: { requestedQueryCost: cost, actualQueryCost: null },
            http: { status: 400 },
          },
        },
      );
    }
    const key = this.key(principal);
    // The last operation's unspent points go back in this take's statement: one round trip per operation.
    const owed = this.owed.get(key);
    this.owed.delete(key);
    let take: Awaited<ReturnType<RateBuckets["take"]>>;
    try {
      take = await this.buckets.take(key, cost, plan, owed?.points ?? 0);
    } catch (error) {
      if (owed) this.owe(key, owed.points, plan, owed.onError);
      throw error;
    }
    const report: CostReport = {
      requestedQueryCost: cost,
      actualQueryCost: null,
      throttleStatus: this.status(plan, take.available),
    };
    if (!take.ok) {
      throw new GraphQLError(
        `Throttled: this query could cost ${cost} points and ${report.throttleStatus.currentlyAvailable} are available; retry in ${take.retryAfterSeconds} s`,
        {
          extensions: {
            code: ErrorCode.THROTTLED,
            cost: report,
            http: { status: 429, headers: new Map([["retry-after", String(take.retryAfterSeconds)]]) },
          },
        },
      );
    }
    return report;
  }

  /**
   * Gives back what an operation did not spend (in the background: the response does not wait for it) and
   * returns the settled report.
   */
  settle(
    principal: Principal,
    report: CostReport,
    actual: number,
    onError: (e: unknown) => void,
  ): CostReport {
    const plan = this.planFor(principal);
    const unspent = report.requestedQueryCost - actual;
    if (unspent > 0) this.owe(this.key(principal), unspent, plan, onError);
    const available = Math.min(
      plan.capacity,
      report.throttleStatus.currentlyAvailable + Math.max(0, unspent),
    );
    return { ...report, actualQueryCost: actual, throttleStatus: this.status(plan, available) };
  }

  private owe(key: string, points: number, plan: BucketPlan, onError: (e: unknown) => void) {
    const before = this.owed.get(key)?.points ?? 0;
    this.owed.set(key, { points: before + points, plan, onError });
    // A key that sends nothing more still gets its points back soon (other processes draw on the same bucket).
    this.flushTimer ??= setTimeout(() => void this.flush(), REFUND_FLUSH_MS).unref();
  }
}
