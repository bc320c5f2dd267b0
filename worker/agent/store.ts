/**
 * The agent's LevelDB (`<dataDir>/agent-db`): every task assigned to this node and the status last
 * reported for it, so a restarted agent resumes its tasks instead of starting them again. Secrets and
 * configs are never written here (tasks carry only references to them).
 */
import { Level } from 'level';
import type { Task__Output as Task } from '../../proto/gen/shoal/api/Task.ts';
import type { TaskStatus__Output as TaskStatus } from '../../proto/gen/shoal/api/TaskStatus.ts';
import { decodeStatus, decodeTask, encodeStatus, encodeTask } from './codec.ts';

/** One task as persisted. */
export interface StoredTask {
  readonly task: Task;
  readonly status: TaskStatus | undefined;
}

const TASK = 'task/';
const STATUS = 'status/';

/** Writes are applied in call order (one chain), so a delete never overtakes an earlier put. */
export class AgentStore {
  private readonly db: Level<string, Uint8Array>;
  private chain: Promise<void> = Promise.resolve();

  constructor(path: string) {
    this.db = new Level<string, Uint8Array>(path, { valueEncoding: 'view' });
  }

  async open(): Promise<void> {
    await this.db.open();
  }

  /** Every stored task with its last status. */
  async load(): Promise<StoredTask[]> {
    const statuses = new Map<string, TaskStatus>();
    for await (const [k, v] of this.db.iterator({ gte: STATUS, lt: `${STATUS}\xff` }))
      statuses.set(k.slice(STATUS.length), decodeStatus(v));
    const out: StoredTask[] = [];
    for await (const [k, v] of this.db.iterator({ gte: TASK, lt: `${TASK}\xff` }))
      out.push({ task: decodeTask(v), status: statuses.get(k.slice(TASK.length)) });
    return out;
  }

  putTask(task: Task): Promise<void> {
    return this.enqueue(() => this.db.put(TASK + task.id, encodeTask(task)));
  }

  putStatus(taskId: string, status: TaskStatus): Promise<void> {
    return this.enqueue(() => this.db.put(STATUS + taskId, encodeStatus(status)));
  }

  delete(taskId: string): Promise<void> {
    return this.enqueue(() =>
      this.db.batch([
        { type: 'del', key: TASK + taskId },
        { type: 'del', key: STATUS + taskId },
      ]),
    );
  }

  /** Waits for queued writes, then closes the database. */
  async close(): Promise<void> {
    await this.chain;
    await this.db.close();
  }

  private enqueue(write: () => Promise<void>): Promise<void> {
    const next = this.chain.then(write);
    this.chain = next.catch(() => undefined);
    return next;
  }
}
