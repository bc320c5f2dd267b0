/**
 * Task status updates from agents, collected for up to `windowMs` (or `maxItems` updates) and written
 * in one `store.batch`. A caller's promise settles once the write holding its updates has committed.
 *
 * Checked again inside the write, against the committed task: the task must still be on the
 * reporting node (anything else is dropped with a log) and its observed state may only move forward
 * (a regression is dropped). Writes run one after another; a write refused because someone else
 * changed a task first is retried from the fresh state.
 */
import type { TaskStatus__Output } from '../../proto/gen/shoal/api/TaskStatus.ts';
import { UnavailableError } from '../../proto/shared/errors.ts';
import type { Logger } from '../../proto/shared/log.ts';
import { before, observed } from '../orchestrator/common.ts';
import { clone, type MemoryStore, type WriteTx } from '../store/memory.ts';
import { DISPATCHER_DEFAULTS } from './options.ts';

export interface StatusUpdate {
  readonly nodeId: string;
  readonly taskId: string;
  readonly status: TaskStatus__Output;
}

interface Waiter {
  resolve(): void;
  reject(err: Error): void;
}

export interface StatusBatcherOptions {
  readonly store: MemoryStore;
  readonly log: Logger;
  readonly windowMs?: number;
  readonly maxItems?: number;
  readonly now?: () => number;
}

const WRITE_ATTEMPTS = 5;

export class StatusBatcher {
  private pending: StatusUpdate[] = [];
  private waiters: Waiter[] = [];
  private timer: NodeJS.Timeout | undefined;
  private chain: Promise<void> = Promise.resolve();
  private readonly windowMs: number;
  private readonly maxItems: number;
  /** Store writes made (for tests and metrics). */
  writes = 0;

  constructor(private readonly o: StatusBatcherOptions) {
    this.windowMs = o.windowMs ?? DISPATCHER_DEFAULTS.statusBatchMs;
    this.maxItems = o.maxItems ?? DISPATCHER_DEFAULTS.statusBatchMaxItems;
  }

  /** Queues updates; resolves when they are committed (or dropped as stale or foreign). */
  submit(updates: readonly StatusUpdate[]): Promise<void> {
    if (updates.length === 0) return Promise.resolve();
    const done = new Promise<void>((resolve, reject) => this.waiters.push({ resolve, reject }));
    this.pending.push(...updates);
    if (this.pending.length >= this.maxItems) this.flush();
    else this.timer ??= setTimeout(() => this.flush(), this.windowMs);
    return done;
  }

  /** Writes whatever is queued now; resolves when every write so far has finished. */
  drain(): Promise<void> {
    this.flush();
    return this.chain;
  }

  private flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.pending.length === 0) return;
    const updates = coalesce(this.pending);
    const waiters = this.waiters;
    this.pending = [];
    this.waiters = [];
    this.chain = this.chain.then(() =>
      this.write(updates).then(
        () => waiters.forEach((w) => w.resolve()),
        (err: unknown) => {
          this.o.log.warn({ err, updates: updates.length }, 'task status write failed');
          const e = new UnavailableError(
            `task status not recorded: ${err instanceof Error ? err.message : String(err)}`,
          );
          waiters.forEach((w) => w.reject(e));
        },
      ),
    );
  }

  private async write(updates: readonly StatusUpdate[]): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        this.writes++;
        await this.o.store.batch((b) => {
          for (const u of updates) b.update((tx) => this.apply(tx, u));
        });
        return;
      } catch (err) {
        // Another writer changed one of the tasks first: re-read and try again.
        if (attempt >= WRITE_ATTEMPTS) throw err;
      }
    }
  }

  private apply(tx: WriteTx, u: StatusUpdate): void {
    const t = tx.get('task', u.taskId);
    if (!t) return;
    if (t.nodeId !== u.nodeId) {
      this.o.log.warn({ task: u.taskId, node: u.nodeId }, 'status update for a task of another node ignored');
      return;
    }
    const cur = observed(t);
    if (before(u.status.state, cur)) {
      this.o.log.debug({ task: t.id, from: cur, to: u.status.state }, 'task state regression ignored');
      return;
    }
    if (JSON.stringify(t.status) === JSON.stringify(u.status)) return;
    const next = clone(t);
    next.status = clone(u.status);
    if (!next.status.timestamp) {
      const ms = this.o.now?.() ?? Date.now();
      next.status.timestamp = { seconds: Math.floor(ms / 1000), nanos: (ms % 1000) * 1e6 };
    }
    tx.update('task', next);
  }
}

/** One update per task: the one furthest along; of equals, the last reported. */
function coalesce(updates: readonly StatusUpdate[]): StatusUpdate[] {
  const byTask = new Map<string, StatusUpdate>();
  for (const u of updates) {
    const key = `${u.nodeId}\u0000${u.taskId}`;
    const prev = byTask.get(key);
    if (!prev || !before(u.status.state, prev.status.state)) byTask.set(key, u);
  }
  return [...byTask.values()];
}
