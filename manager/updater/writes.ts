/**
 * The updater's writes. Every one re-reads inside its transaction and is retried when someone else
 * changed the same object first ("update out of sequence": agents report task status all the time).
 */
import { clone, type MemoryStore, type WriteTx } from '../store/memory.ts';
import { OutOfSequenceError, type Service, type Task, type TaskState } from '../store/types.ts';
import { before } from '../orchestrator/common.ts';
import type { ServiceChange } from './status.ts';

/** Attempts before an out-of-sequence write gives up (each re-reads the objects). */
export const WRITE_ATTEMPTS = 10;

/**
 * Runs `body` as a transaction, again from fresh reads while it fails with OutOfSequenceError.
 * `body` reads through `tx` and clones before writing. Resolves with what the committed attempt returned.
 */
export async function transact<T>(store: MemoryStore, body: (tx: WriteTx) => T): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    let result!: T;
    try {
      await store.update((tx) => {
        result = body(tx);
      });
      return result;
    } catch (err) {
      if (!(err instanceof OutOfSequenceError) || attempt >= WRITE_ATTEMPTS) throw err;
    }
  }
}

/**
 * Applies a status transition to the service, if it still is at `specVersion` (a newer spec means a
 * newer update owns the status). Resolves true when something was written.
 */
export function changeService(
  store: MemoryStore,
  serviceId: string,
  specVersion: number,
  change: ServiceChange,
): Promise<boolean> {
  return transact(store, (tx) => {
    const cur = tx.get('service', serviceId);
    if (!cur || cur.specVersion !== specVersion) return false;
    const s = clone(cur);
    if (!change(s)) return false;
    tx.update('service', s);
    return true;
  });
}

/** Inside a transaction: moves a task's desired state to `to` if that is forward of where it is. */
export function setDesired(tx: WriteTx, taskId: string, to: TaskState): boolean {
  const cur = tx.get('task', taskId);
  if (!cur || !before(cur.desiredState, to)) return false;
  const t = clone(cur);
  t.desiredState = to;
  tx.update('task', t);
  return true;
}

/**
 * Inside a transaction: asks every task in `taskIds` still desired RUNNING or less to shut down.
 * Returns the IDs it changed.
 */
export function shutDown(tx: WriteTx, taskIds: readonly string[]): string[] {
  return taskIds.filter((id) => setDesired(tx, id, 'TASK_STATE_SHUTDOWN'));
}

/** Inside a transaction: stores `task` unless its service is gone. */
export function createTask(tx: WriteTx, service: Pick<Service, 'id'>, task: Task): boolean {
  if (!tx.get('service', service.id)) return false;
  tx.create('task', clone(task));
  return true;
}
