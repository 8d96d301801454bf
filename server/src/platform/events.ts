import type pg from "pg";
import { DatabaseSession } from "./db/session";

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
  private listening_: Promise<void> | undefined;
  private readonly queues = new Map<string, Set<(args: unknown[]) => void>>();
  private closed = false;
  private readonly session: DatabaseSession;
  private readonly ownsSession: boolean;

  /** `session`: the process's session connection (or a URL to open one of its own). */
  constructor(
    session: DatabaseSession | string,
    private readonly publisher: pg.Pool,
    private readonly onError: (error: Error) => void = () => {},
  ) {
    this.ownsSession = typeof session === "string";
    this.session = typeof session === "string" ? new DatabaseSession(session) : session;
    this.session.whenConnected(async (client) => {
      client.on("notification", (msg) => this.dispatch(msg.payload));
      await client.query(`LISTEN ${CHANNEL}`);
    });
    this.session.whenLost((error) => {
      if (this.closed || !this.listening_) return;
      this.onError(error);
      this.listening_ = undefined;
      if (this.queues.size > 0) setTimeout(() => void this.start().catch(this.onError), 1000).unref();
    });
  }

  /** Connects the listening session (subscribe does it on first use too). */
  async start(): Promise<void> {
    this.listening_ ??= this.session.connect().then(
      () => undefined,
      (error) => {
        this.listening_ = undefined;
        throw error;
      },
    );
    return this.listening_;
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

  /** How many iterators this process has open on a topic (of one id, when given): a subscriber is attached. */
  subscribers(routingKey: string, dynamicId?: unknown): number {
    const key = dynamicId === undefined ? routingKey : `${routingKey}:${String(dynamicId)}`;
    return this.queues.get(key)?.size ?? 0;
  }

  /** Whether the listening session is up (for tests and readiness). */
  listening(): Promise<void> {
    return this.start();
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.ownsSession) await this.session.close();
  }
}
