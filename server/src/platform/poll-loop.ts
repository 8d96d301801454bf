/**
 * Runs `work` every `everyMs` and whenever kicked, one run at a time: a kick during a run makes it run once more
 * after, so nothing written meanwhile waits for the next tick. A failed run is reported and tried again later.
 */
export class PollLoop {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | null = null;
  private again = false;
  private stopped = false;

  constructor(
    private readonly options: {
      everyMs: number;
      /** One run; it should end early once `stopped()` says so. */
      work(stopped: () => boolean): Promise<void>;
      onError(error: unknown): void;
    },
  ) {}

  start() {
    this.timer = setInterval(() => void this.kick(), this.options.everyMs);
    this.timer.unref();
    void this.kick();
  }

  kick(): Promise<void> {
    if (this.stopped) return Promise.resolve();
    if (this.running) {
      this.again = true;
      return this.running;
    }
    const stopped = () => this.stopped;
    this.running = (async () => {
      try {
        do {
          this.again = false;
          await this.options.work(stopped);
        } while (this.again && !this.stopped);
      } catch (error) {
        this.options.onError(error);
      } finally {
        this.running = null;
      }
    })();
    return this.running;
  }

  /** Stops the timer and waits for the run in progress. */
  async stop() {
    this.stopped = true;
    clearInterval(this.timer);
    await this.running;
  }
}
