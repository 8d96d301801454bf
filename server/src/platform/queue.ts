import PgBoss from "pg-boss";

export type JobQueue = PgBoss;
export type QueueJob<T> = PgBoss.Job<T>;

/** The durable queues: sync jobs, the fast lane for urgent decreases, webhook events. */
export const QUEUES = {
  sync: "sync-jobs",
  urgent: "sync-urgent",
  webhooks: "webhook-events",
  alerts: "alert-reevaluation",
} as const;

/** Queues and schedules of earlier versions (a clock queue, one auto-sync queue per tenant), removed at start. */
const RETIRED_QUEUE = /^sync-(tick|auto)(_|$)/;

export const QUEUE_SCHEMA = "pgboss";

/**
 * Starts pg-boss on the database (installing or migrating its schema under an advisory lock, so any number of
 * processes may start at once) and creates the product's queues. Connects as the database owner: the
 * application role cannot create schemas.
 */
export async function startQueue(options: {
  url: string;
  max?: number;
  onError?: (error: Error) => void;
}): Promise<JobQueue> {
  const boss = new PgBoss({
    connectionString: options.url,
    schema: QUEUE_SCHEMA,
    max: options.max ?? 4,
    application_name: "inventory-sync-queue",
    // Expired and failed jobs are noticed by the sync engine's own liveness check; pg-boss only tidies up.
    maintenanceIntervalSeconds: 60,
    monitorStateIntervalSeconds: 60,
  });
  boss.on("error", (error) => options.onError?.(error));
  await boss.start();
  const queues: Array<[string, PgBoss.Queue]> = [
    // A sync can run for long; liveness is the advisory lock its worker holds, not pg-boss's expiry.
    [QUEUES.sync, { name: QUEUES.sync, policy: "standard", retryLimit: 2, retryDelay: 5, expireInHours: 23 }],
    [
      QUEUES.urgent,
      { name: QUEUES.urgent, policy: "standard", retryLimit: 2, retryDelay: 1, expireInHours: 23 },
    ],
    // A stored event whose processing did not finish where it arrived: retried with backoff for about an hour.
    [
      QUEUES.webhooks,
      {
        name: QUEUES.webhooks,
        policy: "standard",
        retryLimit: 8,
        retryDelay: 15,
        retryBackoff: true,
        expireInSeconds: 300,
      },
    ],
    // A tenant's alerts checked again under new thresholds: every item, so a retry waits a little longer each time.
    [
      QUEUES.alerts,
      {
        name: QUEUES.alerts,
        policy: "standard",
        retryLimit: 5,
        retryDelay: 5,
        retryBackoff: true,
        expireInMinutes: 30,
      },
    ],
  ];
  for (const [name, queue] of queues) {
    if (await boss.getQueue(name)) continue;
    try {
      await boss.createQueue(name, queue);
    } catch (error) {
      // Another process created it between the look-up and here.
      if (!(await boss.getQueue(name))) throw error;
    }
  }
  for (const queue of await boss.getQueues()) {
    if (!RETIRED_QUEUE.test(queue.name)) continue;
    await boss.unschedule(queue.name).catch(() => {});
    await boss.deleteQueue(queue.name).catch(() => {});
  }
  return boss;
}

/** Jobs waiting on the product's queues and the age of the oldest, for metrics. */
export async function queueBacklog(
  boss: JobQueue,
): Promise<Array<{ queue: string; waiting: number; oldestSeconds: number }>> {
  const { rows } = await boss.getDb().executeSql(
    `SELECT name, count(*)::int AS waiting,
            coalesce(extract(epoch FROM now() - min(created_on)), 0)::float8 AS oldest
       FROM ${QUEUE_SCHEMA}.job WHERE name = ANY($1) AND state IN ('created', 'retry') GROUP BY name`,
    [Object.values(QUEUES)],
  );
  const found = new Map(
    (rows as Array<{ name: string; waiting: number; oldest: number }>).map((r) => [r.name, r]),
  );
  return Object.values(QUEUES).map((queue) => ({
    queue,
    waiting: found.get(queue)?.waiting ?? 0,
    oldestSeconds: found.get(queue)?.oldest ?? 0,
  }));
}
