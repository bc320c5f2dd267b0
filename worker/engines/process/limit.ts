/**
 * A counting semaphore for the engine's task starts. Starting a task costs the agent's event loop a
 * fork of the whole daemon (`spawn` is synchronous and its cost grows with the daemon's memory) and a
 * dozen file operations; hundreds of tasks assigned at once, all started together, kept the loop busy
 * for seconds and starved heartbeats and raft on the same daemon. Through the gate only a few starts
 * run at once and the rest of the daemon's work is served between them.
 */
export class Gate {
  private active = 0;
  private readonly queue: (() => void)[] = [];

  /** @param limit how many calls of {@link run} may be in progress at once (at least 1). */
  constructor(private readonly limit: number) {
    if (!(limit >= 1)) throw new RangeError(`gate limit must be at least 1, got ${limit}`);
  }

  /** Runs `fn` once fewer than `limit` others are running; FIFO among waiters. */
  async run<T>(fn: () => Promise<T>): Promise<T> {
    if (this.active >= this.limit) await new Promise<void>((resolve) => this.queue.push(resolve));
    else this.active++;
    try {
      return await fn();
    } finally {
      const next = this.queue.shift();
      // The slot passes straight to the next waiter (active stays the same), else it is freed.
      if (next) next();
      else this.active--;
    }
  }
}
