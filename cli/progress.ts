/**
 * Convergence progress after `service create|update|scale|rollback`, as docker's
 * `service/progress/progress.go`: every 200 ms it reads the service, its up-to-date tasks and the
 * nodes, prints per-slot (or per-node) progress and the overall count, then waits
 * `UpdateConfig.Monitor` (5 s by default) to check the tasks stay up before "Service X converged".
 * On a terminal lines are redrawn in place; otherwise only the lines docker prints without a progress
 * bar appear, one per update.
 */
import type { Ctx, Io } from './context.ts';
import { CliError } from './errors.ts';
import { truncateId } from './format/units.ts';
import type { Node, Service, Task } from './types.ts';
import { filter } from './commands/common.ts';

/** One progress message: `ID: action`, with a bar when `current`/`total` are set. */
export interface Progress {
  readonly id: string;
  readonly action: string;
  readonly current?: number;
  readonly total?: number;
}

/** Where progress goes. */
export interface ProgressOut {
  write(p: Progress): void;
}

const STATES = [
  'new',
  'allocated',
  'pending',
  'assigned',
  'accepted',
  'preparing',
  'ready',
  'starting',
  'running',
];
const LONGEST_STATE = Math.max(...STATES.map((s) => s.length));
const TERMINAL: Readonly<Record<string, number>> = {
  complete: 10,
  shutdown: 11,
  failed: 12,
  rejected: 13,
  remove: 14,
  orphaned: 15,
};

/** Docker's `numberedStates`: 0 for unknown, 1..9 up to running, >9 terminal. */
export function stateNumber(state: string): number {
  const i = STATES.indexOf(state);
  return i >= 0 ? i + 1 : (TERMINAL[state] ?? 0);
}

function terminal(state: string): boolean {
  return stateNumber(state) > stateNumber('running');
}

/** Plain lines for a pipe: messages with a bar are skipped, as docker's jsonmessage does. */
export function plainProgress(io: Io): ProgressOut {
  return {
    write: (p) => {
      if ((p.current ?? 0) > 0 || (p.total ?? 0) > 0) return;
      io.out(`${p.id}: ${p.action}\n`);
    },
  };
}

/** In-place redraw for a terminal: one line per ID, rewritten with ANSI cursor moves. */
export function ttyProgress(io: Io): ProgressOut {
  const ids: string[] = [];
  return {
    write: (p) => {
      const bar =
        p.total && p.total > 0
          ? ` [${'='.repeat(Math.min(50, Math.trunc(((p.current ?? 0) / p.total) * 50)))}>${' '.repeat(
              Math.max(0, 50 - Math.trunc(((p.current ?? 0) / p.total) * 50)),
            )}] `
          : '';
      const line = `${p.id}: ${p.action}${bar}`;
      const at = ids.indexOf(p.id);
      if (at < 0) {
        ids.push(p.id);
        io.out(`${line}\n`);
        return;
      }
      const up = ids.length - at;
      io.out(`\x1b[${up}A\r\x1b[2K${line}\r\x1b[${up}B`);
    },
  };
}

interface Updater {
  update(
    service: Service,
    tasks: readonly Task[],
    activeNodes: ReadonlySet<string>,
    rollback: boolean,
  ): boolean;
}

function overall(out: ProgressOut, n: number, d: number, rollback: boolean): void {
  const action = rollback ? `rolling back update: ${n} out of ${d} tasks` : `${n} out of ${d} tasks`;
  out.write({ id: 'overall progress', action });
}

const MAX_PROGRESS_BARS = 20;

function taskProgress(out: ProgressOut, id: string, t: Task, rollback: boolean): void {
  if (t.Status.Err) {
    out.write({ id, action: t.Status.Err.length > 50 ? `${t.Status.Err.slice(0, 49)}…` : t.Status.Err });
    return;
  }
  if (terminal(t.DesiredState) || terminal(t.Status.State)) return;
  const n = stateNumber(t.Status.State);
  out.write({
    id,
    action: t.Status.State.padEnd(LONGEST_STATE),
    current: rollback ? STATES.length - n + 1 : n,
    total: STATES.length,
  });
}

/**
 * Whether `kept` stays shown over `other` for the same slot or node: the lower desired state wins
 * (the task being brought up, not the one shut down), then the lower observed state (start-first).
 */
function prefer(kept: Task, other: Task): boolean {
  const kd = stateNumber(kept.DesiredState);
  const od = stateNumber(other.DesiredState);
  return kd < od || (kd === od && stateNumber(kept.Status.State) <= stateNumber(other.Status.State));
}

/** Docker's replicatedProgressUpdater: converged when every slot's newest task runs. */
export function replicatedUpdater(out: ProgressOut): Updater {
  let initialized = false;
  let done = false;
  const slotMap = new Map<number, number>();
  return {
    update(service, tasks, active, rollback) {
      const replicas = service.Spec.Mode?.Replicated?.Replicas ?? 1;
      if (!initialized) {
        overall(out, 0, replicas, rollback);
        if (replicas <= MAX_PROGRESS_BARS)
          for (let i = 1; i <= replicas; i++) out.write({ id: `${i}/${replicas}`, action: ' ' });
        initialized = true;
      }
      const bySlot = new Map<number, Task>();
      for (const t of tasks) {
        const desired = stateNumber(t.DesiredState);
        const state = stateNumber(t.Status.State);
        if (desired === 0 || state === 0) continue;
        const slot = t.Slot ?? 0;
        const prev = bySlot.get(slot);
        if (prev && prefer(prev, t)) continue;
        if (t.NodeID && !active.has(t.NodeID)) continue;
        bySlot.set(slot, t);
      }
      if (done && [...bySlot.values()].some((t) => t.Status.State !== 'running')) done = false;
      let running = 0;
      for (const [slot, t] of [...bySlot.entries()].sort((a, b) => a[0] - b[0])) {
        let mapped = slotMap.get(slot);
        if (mapped === undefined) {
          mapped = slotMap.size + 1;
          slotMap.set(slot, mapped);
        }
        if (!terminal(t.DesiredState) && t.Status.State === 'running') running++;
        if (!done && replicas <= MAX_PROGRESS_BARS && mapped <= replicas) {
          taskProgress(out, `${mapped}/${replicas}`, t, rollback);
        }
      }
      if (!done) {
        overall(out, running, replicas, rollback);
        if (running === replicas) done = true;
      }
      return running === replicas;
    },
  };
}

/** Docker's globalProgressUpdater: converged when every node with an up-to-date task runs it. */
export function globalUpdater(out: ProgressOut): Updater {
  let initialized = false;
  let done = false;
  return {
    update(_service, tasks, active, rollback) {
      const byNode = new Map<string, Task>();
      for (const t of tasks) {
        if (!t.NodeID || stateNumber(t.DesiredState) === 0 || stateNumber(t.Status.State) === 0) continue;
        const prev = byNode.get(t.NodeID);
        if (prev && prefer(prev, t)) continue;
        byNode.set(t.NodeID, t);
      }
      const nodeCount = byNode.size;
      if (!initialized) {
        if (nodeCount === 0) {
          out.write({ id: 'overall progress', action: 'waiting for new tasks' });
          return false;
        }
        overall(out, 0, nodeCount, rollback);
        initialized = true;
      }
      if (done && [...byNode.values()].some((t) => t.Status.State !== 'running')) done = false;
      let running = 0;
      for (const [node, t] of [...byNode.entries()].sort()) {
        if (!active.has(node)) continue;
        if (!done && nodeCount <= MAX_PROGRESS_BARS) taskProgress(out, truncateId(node), t, rollback);
        if (!terminal(t.DesiredState) && t.Status.State === 'running') running++;
      }
      if (!done) {
        overall(out, running, nodeCount, rollback);
        if (running === nodeCount) done = true;
      }
      return running === nodeCount;
    },
  };
}

/** Jobs: converged when the wanted number of tasks completed (no monitor period). */
export function jobUpdater(out: ProgressOut): Updater {
  let last = '';
  return {
    update(service, tasks) {
      const job = service.Spec.Mode?.ReplicatedJob;
      const completed = tasks.filter((t) => t.Status.State === 'complete').length;
      const total = job ? (job.TotalCompletions ?? 1) : Math.max(1, new Set(tasks.map((t) => t.NodeID)).size);
      const action = `${completed} out of ${total} complete`;
      if (action !== last) out.write({ id: 'job progress', action });
      last = action;
      return tasks.length > 0 && completed >= total;
    },
  };
}

function updaterFor(service: Service, out: ProgressOut): Updater {
  const mode = service.Spec.Mode ?? {};
  if (mode.Global) return globalUpdater(out);
  if (mode.ReplicatedJob || mode.GlobalJob) return jobUpdater(out);
  return replicatedUpdater(out);
}

/**
 * Waits for `ref` (name or ID) to converge, printing progress unless `quiet`.
 * Throws CliError when the update pauses or rolls back.
 */
export async function waitOnService(ctx: Ctx, ref: string, quiet: boolean): Promise<void> {
  const out: ProgressOut = quiet
    ? { write: () => {} }
    : ctx.io.isTTY
      ? ttyProgress(ctx.io)
      : plainProgress(ctx.io);
  let updater: Updater | undefined;
  let converged = false;
  let convergedAt: number | undefined;
  let rollback = false;
  for (;;) {
    const service = await ctx
      .api()
      .get<Service>(`/services/${encodeURIComponent(ref)}`, { insertDefaults: false });
    const isJob = Boolean(service.Spec.Mode?.ReplicatedJob ?? service.Spec.Mode?.GlobalJob);
    const monitorMs = isJob ? 0 : (service.Spec.UpdateConfig?.Monitor || 5e9) / 1e6;
    updater ??= updaterFor(service, out);
    const status = service.UpdateStatus ?? {};
    switch (status.State ?? '') {
      case 'updating':
        rollback = false;
        break;
      case 'completed':
        if (!converged) return;
        break;
      case 'paused':
        throw new CliError(`service update paused: ${status.Message ?? ''}`);
      case 'rollback_started':
        if (!rollback && status.Message) out.write({ id: 'rollback', action: status.Message });
        rollback = true;
        break;
      case 'rollback_paused':
        throw new CliError(`service rollback paused: ${status.Message ?? ''}`);
      case 'rollback_completed':
        if (!converged) throw new CliError(`service rolled back: ${status.Message ?? ''}`);
        break;
      default:
        break;
    }
    if (converged && convergedAt !== undefined && ctx.now() - convergedAt >= monitorMs) {
      out.write({ id: 'verify', action: `Service ${ref} converged` });
      return;
    }
    const filters = upToDate(service.ID);
    const tasks = await ctx.api().get<Task[]>('/tasks', { filters });
    const nodes = await ctx.api().get<Node[]>('/nodes');
    const active = new Set(nodes.filter((n) => n.Status?.State !== 'down').map((n) => n.ID));
    converged = updater.update(service, tasks, active, rollback);
    if (converged) {
      convergedAt ??= ctx.now();
      const wait = monitorMs - (ctx.now() - convergedAt);
      if (wait >= 0 && monitorMs > 0) {
        out.write({
          id: 'verify',
          // Go prints wait/time.Second+1 some ms after convergence; ceil matches it without the jitter.
          action: `Waiting ${Math.max(1, Math.ceil(wait / 1000))} seconds to verify that tasks are stable...`,
        });
      }
    } else {
      if (convergedAt !== undefined) out.write({ id: 'verify', action: 'Detected task failure' });
      convergedAt = undefined;
    }
    await ctx.sleep(200);
  }
}

/** `{"_up-to-date":{"true":true},"service":{"<id>":true}}`, keys in Go's order. */
export function upToDate(serviceId: string): string {
  const f = JSON.parse(filter('service', serviceId)) as Record<string, unknown>;
  return JSON.stringify({ '_up-to-date': { true: true }, ...f });
}
