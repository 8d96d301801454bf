import type pg from "pg";
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from "prom-client";
import type { HttpEvent } from "../connectors";

const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
const JOB_BUCKETS = [0.1, 0.5, 1, 5, 15, 30, 60, 120, 300, 600, 1800, 3600];

/**
 * The process's Prometheus metrics (one registry per process, or per app in tests). Each metric is observed
 * where its event happens: HTTP and GraphQL in the server, sync jobs in the engine, marketplace calls in the
 * connectors' HTTP layer, webhooks in their route; pools, the queue and the event loop are read at scrape.
 */
export function createMetrics(service: "server" | "worker") {
  const registry = new Registry();
  registry.setDefaultLabels({ service });
  // Event-loop lag, heap, CPU and handles, as prom-client measures them.
  collectDefaultMetrics({ register: registry, eventLoopMonitoringPrecision: 20 });
  const registers = [registry];

  const metrics = {
    registry,
    httpDuration: new Histogram({
      name: "http_request_duration_seconds",
      help: "HTTP requests by method, route and status",
      labelNames: ["method", "route", "status"] as const,
      buckets: LATENCY_BUCKETS,
      registers,
    }),
    graphqlDuration: new Histogram({
      name: "graphql_operation_duration_seconds",
      help: "GraphQL operations by name and type, from parse to response",
      labelNames: ["operation", "type"] as const,
      buckets: LATENCY_BUCKETS,
      registers,
    }),
    graphqlErrors: new Counter({
      name: "graphql_errors_total",
      help: "GraphQL errors returned, by extensions.code",
      labelNames: ["code"] as const,
      registers,
    }),
    syncJobs: new Counter({
      name: "sync_jobs_total",
      help: "Sync jobs run to an end in this process, by type and outcome",
      labelNames: ["type", "outcome"] as const,
      registers,
    }),
    syncJobDuration: new Histogram({
      name: "sync_job_duration_seconds",
      help: "Time from a job's start to its end in this process, by type and outcome",
      labelNames: ["type", "outcome"] as const,
      buckets: JOB_BUCKETS,
      registers,
    }),
    syncItems: new Counter({
      name: "sync_items_total",
      help: "Products a sync job compared, by type",
      labelNames: ["type"] as const,
      registers,
    }),
    syncItemsPerSecond: new Histogram({
      name: "sync_items_per_second",
      help: "Products compared per second of a job's run, by type",
      labelNames: ["type"] as const,
      buckets: [1, 10, 50, 100, 250, 500, 1000, 2500, 5000, 10_000],
      registers,
    }),
    marketplaceRequests: new Counter({
      name: "marketplace_requests_total",
      help: "Marketplace HTTP calls by platform, operation and status (429 included; network, timeout)",
      labelNames: ["platform", "operation", "status"] as const,
      registers,
    }),
    marketplaceDuration: new Histogram({
      name: "marketplace_request_duration_seconds",
      help: "Marketplace HTTP call latency by platform and operation",
      labelNames: ["platform", "operation"] as const,
      buckets: LATENCY_BUCKETS,
      registers,
    }),
    marketplaceRetries: new Counter({
      name: "marketplace_retries_total",
      help: "Marketplace calls retried after a throttle, a server error or a network failure",
      labelNames: ["platform", "operation"] as const,
      registers,
    }),
    marketplaceThrottled: new Counter({
      name: "marketplace_throttled_total",
      help: "Marketplace calls answered 429",
      labelNames: ["platform", "operation"] as const,
      registers,
    }),
    breakerOpens: new Counter({
      name: "marketplace_breaker_opens_total",
      help: "Circuit breakers this process opened",
      labelNames: ["platform"] as const,
      registers,
    }),
    budgetTokens: new Gauge({
      name: "marketplace_budget_tokens",
      help: "Tokens left in the shared rate budget after this process's last take (negative: calls queued)",
      labelNames: ["platform", "operation"] as const,
      registers,
    }),
    budgetWait: new Histogram({
      name: "marketplace_budget_wait_seconds",
      help: "How long a marketplace call waited for its rate budget",
      labelNames: ["platform", "operation"] as const,
      buckets: [0, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120],
      registers,
    }),
    webhooks: new Counter({
      name: "webhook_events_total",
      help: "Webhook calls by platform and outcome",
      labelNames: ["platform", "outcome"] as const,
      registers,
    }),

    /** Counts what a connector's HTTP layer reports. */
    observeHttp(event: HttpEvent): void {
      const platform = event.platform ?? "unknown";
      switch (event.type) {
        case "response":
          metrics.marketplaceRequests.inc({
            platform,
            operation: event.operation,
            status: String(event.status),
          });
          metrics.marketplaceDuration.observe(
            { platform, operation: event.operation },
            event.durationMs / 1000,
          );
          break;
        case "retry":
          metrics.marketplaceRetries.inc({ platform, operation: event.operation });
          break;
        case "throttled":
          metrics.marketplaceThrottled.inc({ platform, operation: event.operation });
          break;
        case "breaker-open":
          metrics.breakerOpens.inc({ platform });
          break;
        case "budget":
          metrics.budgetTokens.set({ platform, operation: event.operation }, event.level);
          metrics.budgetWait.observe({ platform, operation: event.operation }, event.waitMs / 1000);
          break;
      }
    },

    /** Reports a pool's connections at every scrape. */
    watchPool(name: string, pool: pg.Pool): void {
      pools.set(name, pool);
    },

    /** Reports the queue's backlog at every scrape. */
    watchQueue(read: () => Promise<Array<{ queue: string; waiting: number; oldestSeconds: number }>>): void {
      queueReader = read;
    },
  };

  const pools = new Map<string, pg.Pool>();
  new Gauge({
    name: "db_pool_connections",
    help: "Database connections of this process's pools, by pool and state",
    labelNames: ["pool", "state"] as const,
    registers,
    collect() {
      this.reset();
      for (const [name, pool] of pools) {
        this.set({ pool: name, state: "total" }, pool.totalCount);
        this.set({ pool: name, state: "idle" }, pool.idleCount);
        this.set({ pool: name, state: "waiting" }, pool.waitingCount);
      }
    },
  });

  let queueReader:
    | (() => Promise<Array<{ queue: string; waiting: number; oldestSeconds: number }>>)
    | undefined;
  let backlog: Promise<Array<{ queue: string; waiting: number; oldestSeconds: number }>> | undefined;
  // One read of the queue serves both gauges of a scrape.
  const readBacklog = () => {
    backlog ??= (queueReader?.() ?? Promise.resolve([])).finally(() => {
      setImmediate(() => {
        backlog = undefined;
      });
    });
    return backlog;
  };
  new Gauge({
    name: "queue_jobs_waiting",
    help: "Jobs waiting on each queue (created or retrying)",
    labelNames: ["queue"] as const,
    registers,
    async collect() {
      this.reset();
      for (const row of await readBacklog().catch(() => [])) this.set({ queue: row.queue }, row.waiting);
    },
  });
  new Gauge({
    name: "queue_oldest_job_age_seconds",
    help: "Age of the oldest job waiting on each queue",
    labelNames: ["queue"] as const,
    registers,
    async collect() {
      this.reset();
      for (const row of await readBacklog().catch(() => []))
        this.set({ queue: row.queue }, row.oldestSeconds);
    },
  });

  return metrics;
}

export type Metrics = ReturnType<typeof createMetrics>;
