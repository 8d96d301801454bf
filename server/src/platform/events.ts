import pg from "pg";

const CHANNEL = "app_events";
// PostgreSQL refuses NOTIFY payloads of 8000 bytes or more.
const MAX_PAYLOAD = 7900;

interface Envelope {
  k: string;
  a: unknown[];
}

/**
 * Events between processes over PostgreSQL LISTEN/NOTIFY, shaped as type-graphql's PubSub: a worker in one
 * process publishes, subscribers in every server process receive. Even in-process events go through
 * PostgreSQL, so every subscriber sees one order. Routing keys are `topic` or `topic:id`; `subscribe(topic, id)`
 * listens to `topic:id`.
 */
export class PgPubSub {
  private listener: pg.Client | undefined;
  private connecting: Promise<void> | undefined;
  private readonly queues = new Map<string, Set<(args: unknown[]) => void>>();
  private closed = false;

  constructor(
    private readonly url: string,
    private readonly publisher: pg.Pool,
    private readonly onError: (error: Error) => void = () => {},
  ) {}

  /** Connects the listening session (subscribe does it on first use too). */
  async start(): Promise<void> {
    this.connecting ??= (async () => {
      const client = new pg.Client({ connectionString: this.url });
      client.on("notification", (msg) => this.dispatch(msg.payload));
      client.on("error", (error) => {
        this.onError(error);
        this.listener = undefined;
        this.connecting = undefined;
        if (!this.closed && this.queues.size > 0)
          setTimeout(() => void this.start().catch(this.onError), 1000);
      });
      await client.connect();
      await client.query(`LISTEN ${CHANNEL}`);
      this.listener = client;
    })();
    return this.connecting;
  }

  private dispatch(payload: string | undefined) {
    if (!payload) return;
    let envelope: Envelope;
    try {
      envelope = JSON.parse(payload) as Envelope;
    } catch {
      return;
    }
    for (const push of this.queues.get(envelope.k) ?? []) push(envelope.a);
  }

  /** Publishes to every process listening; resolves once PostgreSQL has taken the event. */
  async publish(routingKey: string, ...args: unknown[]): Promise<void> {
    const payload = JSON.stringify({ k: routingKey, a: args } satisfies Envelope);
    if (Buffer.byteLength(payload) > MAX_PAYLOAD) {
      throw new Error(`Event ${routingKey} is ${Buffer.byteLength(payload)} bytes; at most ${MAX_PAYLOAD}`);
    }
    await this.publisher.query("SELECT pg_notify($1, $2)", [CHANNEL, payload]);
  }

  /** The events of a topic (of one id, when given) as they arrive, until the iterator is returned. */
  subscribe(routingKey: string, dynamicId?: unknown): AsyncIterableIterator<unknown> {
    const key = dynamicId === undefined ? routingKey : `${routingKey}:${String(dynamicId)}`;
    const buffer: unknown[] = [];
    let wake: (() => void) | undefined;
    let done = false;
    const push = (args: unknown[]) => {
      buffer.push(args[0]);
      wake?.();
    };
    let set = this.queues.get(key);
    if (!set) {
      set = new Set();
      this.queues.set(key, set);
    }
    set.add(push);
    const ready = this.start();
    const stop = () => {
      done = true;
      set.delete(push);
      if (set.size === 0) this.queues.delete(key);
      wake?.();
    };
    return {
      [Symbol.asyncIterator]() {
        return this;
      },
      async next() {
        await ready;
        while (!done && buffer.length === 0) await new Promise<void>((r) => (wake = r));
        wake = undefined;
        if (buffer.length > 0) return { value: buffer.shift(), done: false };
        return { value: undefined, done: true };
      },
      async return() {
        stop();
        return { value: undefined, done: true };
      },
    };
  }

  /** Whether the listening session is up (for tests and readiness). */
  listening(): Promise<void> {
    return this.start();
  }

  async close(): Promise<void> {
    this.closed = true;
    const listener = this.listener;
    this.listener = undefined;
    await listener?.end().catch(() => {});
  }
}
