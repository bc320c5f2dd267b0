/**
 * The scheduler: moves PENDING tasks to ASSIGNED by choosing a node for each (leader only).
 *
 * It keeps a NodeSet (what every node holds) and the set of PENDING tasks up to date from store
 * events, and after a quiet spell (debounced 50 ms, at most 1 s late) decides for every pending task it
 * has not yet tried against the current cluster: grouped by service and spec version, each group runs
 * the filter pipeline once over the nodes and is spread and balanced over those that pass. Decisions
 * are accounted at once (so the next one sees them) and written with `store.batch`; a task that fits
 * nowhere stays PENDING with a message naming every filter that ruled nodes out.
 *
 * A task that did not fit is tried again only when the cluster changes in a way that can make room —
 * a node appears or changes (labels, availability, status, resources), or a task ends, moves or is
 * removed — so stuck tasks cost nothing while nothing changes, and none stays PENDING once a node fits.
 *
 * On start it reads the whole store (it may take over from another leader at any point), so it is
 * correct after any stop/start.
 */
import type { Timestamp__Output } from '../../proto/gen/google/protobuf/Timestamp.ts';
import type { Logger } from '../../proto/shared/log.ts';
import { silentLogger } from '../../proto/shared/log.ts';
import { observeLatency } from '../metrics.ts';
import { observed } from '../orchestrator/common.ts';
import type { MemoryStore, WriteTx } from '../store/memory.ts';
import type { Service, StoreEvent, Task, TaskState } from '../store/types.ts';
import { explain, firstFailing, needsOf, type TaskNeeds } from './filters.ts';
import { NodeSet, holdsNode, usageOf } from './nodeinfo.ts';
import { placeGroup, type Candidate } from './placement.ts';

export interface SchedulerOptions {
  readonly store: MemoryStore;
  readonly log?: Logger;
  /** Clock (ms) for status timestamps and the recent-failures window. */
  readonly now?: () => number;
  /** Quiet time after the last change before deciding (Swarm: 50 ms). */
  readonly debounceMs?: number;
  /** Longest a change waits for a decision while changes keep coming (Swarm: 1 s). */
  readonly maxLatencyMs?: number;
}

/** The status message of a task the scheduler placed. */
export const ASSIGNED_MESSAGE = 'scheduler assigned task to node';

const DEFAULT_DEBOUNCE_MS = 50;
const DEFAULT_MAX_LATENCY_MS = 1000;
/** Decisions per `store.batch` call (2 transactions of 200): less garbage alive at once. */
const WRITE_CHUNK = 400;

/** Desired states under which a PENDING task is placed (READY: a delayed restart, placed but held). */
const SCHEDULABLE_DESIRED: ReadonlySet<TaskState> = new Set<TaskState>([
  'TASK_STATE_READY',
  'TASK_STATE_RUNNING',
  'TASK_STATE_COMPLETE',
]);

/** The task waits for the scheduler. */
export function isSchedulable(t: Task): boolean {
  return observed(t) === 'TASK_STATE_PENDING' && SCHEDULABLE_DESIRED.has(t.desiredState);
}

interface Pending {
  task: Task;
  /** The cluster generation this task was last found not to fit in (-1: never tried). */
  triedGen: number;
}

/** What to write for one task. Holds no Task: 100,000 superseded task objects would stay alive. */
type Decision =
  | {
      readonly kind: 'assign';
      readonly taskId: string;
      readonly specVersion: number;
      readonly nodeId: string;
    }
  | {
      readonly kind: 'unschedulable';
      readonly taskId: string;
      readonly specVersion: number;
      readonly message: string;
    };

export class Scheduler {
  private readonly store: MemoryStore;
  private readonly log: Logger;
  private readonly now: () => number;
  private readonly debounceMs: number;
  private readonly maxLatencyMs: number;
  private readonly nodes = new NodeSet();
  private readonly pending = new Map<string, Pending>();
  /** Tasks whose assignment is being written: not pending, already accounted on their node. */
  private readonly inflight = new Set<string>();
  /** Bumped whenever room may have appeared; a stuck task is retried once per generation. */
  private generation = 0;
  private running = false;
  private timer: NodeJS.Timeout | undefined;
  private firstKickAt = 0;
  private lastKickAt = 0;
  private writing: Promise<void> | undefined;
  private kickAfterWrite = false;

  private readonly onEvent = (e: StoreEvent): void => this.handle(e);
  private readonly onRestore = (): void => this.resync();

  constructor(o: SchedulerOptions) {
    this.store = o.store;
    this.log = (o.log ?? silentLogger()).child({ component: 'scheduler' });
    this.now = o.now ?? Date.now;
    this.debounceMs = o.debounceMs ?? DEFAULT_DEBOUNCE_MS;
    this.maxLatencyMs = Math.max(o.maxLatencyMs ?? DEFAULT_MAX_LATENCY_MS, this.debounceMs);
  }

  /** Reads the store, then schedules what is pending now and whatever becomes pending later. */
  start(): void {
    if (this.running) return;
    this.store.events.on('event', this.onEvent);
    this.store.events.on('restore', this.onRestore);
    this.resync();
    this.running = true;
    this.arm(0);
  }

  /** Stops listening and deciding; resolves once a write in progress has settled. */
  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    this.store.events.off('event', this.onEvent);
    this.store.events.off('restore', this.onRestore);
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    await this.writing;
    this.pending.clear();
    this.inflight.clear();
    this.nodes.clear();
  }

  // ---- keeping up with the store ----

  private resync(): void {
    this.nodes.clear();
    this.pending.clear();
    for (const n of this.store.find('node')) this.nodes.setNode(n);
    for (const t of this.store.find('task')) {
      this.nodes.syncTask(t.id, t, this.serviceOf(t));
      this.track(t.id, t);
    }
    this.bump();
  }

  private handle(e: StoreEvent): void {
    switch (e.kind) {
      case 'node':
        if (e.action === 'remove') this.nodes.removeNode(e.object.id);
        else this.nodes.setNode(e.object as StoreEvent<'node'>['object']);
        this.bump();
        return;
      case 'task':
        this.onTask(e as StoreEvent<'task'>);
        return;
      case 'service':
      case 'network':
      case 'secret':
      case 'config':
      case 'cluster':
        return;
    }
  }

  private onTask(e: StoreEvent<'task'>): void {
    const t = e.action === 'remove' ? undefined : e.object;
    const id = e.object.id;
    if (!this.inflight.has(id) && this.nodes.syncTask(id, t, this.serviceOf(e.object))) this.bump();
    if (t && e.old && failed(t) && !failed(e.old) && t.nodeId !== '')
      this.nodes.nodes.get(t.nodeId)?.recordFailure(t.serviceId, this.now());
    this.track(id, t);
  }

  /** Keeps the pending set in step with one task. */
  private track(id: string, t: Task | undefined): void {
    if (!t || !isSchedulable(t) || this.inflight.has(id)) {
      this.pending.delete(id);
      return;
    }
    const prev = this.pending.get(id);
    const same = prev && prev.task.specVersion === t.specVersion && prev.task.nodeId === t.nodeId;
    this.pending.set(id, { task: t, triedGen: same ? prev.triedGen : -1 });
    if (!same) this.kick();
  }

  /** Room may have appeared: every stuck task deserves another try. */
  private bump(): void {
    this.generation++;
    if (this.pending.size > 0) this.kick();
  }

  private serviceOf(t: Task): Service | undefined {
    return this.store.get('service', t.serviceId);
  }

  // ---- when to decide ----

  /** Something changed: decide after `debounceMs` of quiet, or `maxLatencyMs` after the first change. */
  private kick(): void {
    if (!this.running) return;
    if (this.writing) {
      this.kickAfterWrite = true;
      return;
    }
    this.lastKickAt = Date.now();
    if (this.timer === undefined) {
      this.firstKickAt = this.lastKickAt;
      this.arm(this.debounceMs);
    }
  }

  private arm(ms: number): void {
    if (ms === 0) this.lastKickAt = this.firstKickAt = Date.now() - this.maxLatencyMs;
    this.timer = setTimeout(() => this.fire(), ms);
  }

  private fire(): void {
    this.timer = undefined;
    if (!this.running) return;
    const now = Date.now();
    const quiet = now - this.lastKickAt;
    const waited = now - this.firstKickAt;
    if (quiet < this.debounceMs && waited < this.maxLatencyMs) {
      this.timer = setTimeout(
        () => this.fire(),
        Math.min(this.debounceMs - quiet, this.maxLatencyMs - waited),
      );
      return;
    }
    this.tick();
  }

  private tick(): void {
    if (this.writing) {
      this.kickAfterWrite = true;
      return;
    }
    const decisions = this.decide();
    if (decisions.length === 0) return;
    this.writing = this.write(decisions);
  }

  // ---- deciding ----

  private decide(): Decision[] {
    const groups = new Map<string, Task[]>();
    const onNode: Task[] = [];
    for (const p of this.pending.values()) {
      if (p.triedGen === this.generation) continue;
      p.triedGen = this.generation;
      if (p.task.nodeId !== '') {
        onNode.push(p.task);
        continue;
      }
      const key = `${p.task.serviceId}\u0000${p.task.specVersion}`;
      let g = groups.get(key);
      if (!g) groups.set(key, (g = []));
      g.push(p.task);
    }
    const out: Decision[] = [];
    for (const g of groups.values()) this.scheduleGroup(g, out);
    const needs = new Map<string, TaskNeeds>();
    for (const t of onNode) this.scheduleOnItsNode(t, needs, out);
    return out;
  }

  private scheduleGroup(tasks: Task[], out: Decision[]): void {
    tasks.sort((a, b) => a.slot - b.slot || (a.id < b.id ? -1 : 1));
    const first = tasks[0];
    if (!first) return;
    const service = this.serviceOf(first);
    const needs = needsOf(first, service);
    let placed = 0;
    if (needs.invalid === undefined) {
      const now = this.now();
      const candidates: Candidate[] = [];
      for (const info of this.nodes.nodes.values())
        if (firstFailing(info, needs) === undefined)
          candidates.push({ info, failing: info.failingFor(needs.serviceId, now) });
      const spread = (first.spec?.placement?.preferences ?? []).flatMap((p) =>
        p.spread ? [p.spread.spreadDescriptor] : [],
      );
      placed = placeGroup(tasks.length, candidates, needs, spread, (info) => {
        const t = tasks[placed++];
        if (t) this.assign(t, info.id, service, out);
      });
    }
    if (placed === tasks.length) return;
    const message = explain(this.nodes.nodes.values(), needs);
    for (let i = placed; i < tasks.length; i++) {
      const t = tasks[i];
      if (t) this.unschedulable(t, message, out);
    }
  }

  /** A task that already names its node (global services): that node fits, or the task waits. */
  private scheduleOnItsNode(t: Task, cache: Map<string, TaskNeeds>, out: Decision[]): void {
    const service = this.serviceOf(t);
    const key = `${t.serviceId}\u0000${t.specVersion}`;
    let needs = cache.get(key);
    if (!needs) cache.set(key, (needs = needsOf(t, service)));
    const info = this.nodes.nodes.get(t.nodeId);
    if (!info?.node) {
      this.unschedulable(t, `no suitable node (node ${t.nodeId} is not in the swarm)`, out);
      return;
    }
    if (needs.invalid === undefined && firstFailing(info, needs) === undefined) {
      this.assign(t, t.nodeId, service, out);
      return;
    }
    this.unschedulable(t, explain([info], needs), out);
  }

  private assign(t: Task, nodeId: string, service: Service | undefined, out: Decision[]): void {
    this.pending.delete(t.id);
    this.inflight.add(t.id);
    this.nodes.place(t.id, nodeId, usageOf(t, service));
    out.push({ kind: 'assign', taskId: t.id, specVersion: t.specVersion, nodeId });
  }

  private unschedulable(t: Task, message: string, out: Decision[]): void {
    if (t.status?.message === message && t.status.err === message) return;
    out.push({ kind: 'unschedulable', taskId: t.id, specVersion: t.specVersion, message });
  }

  // ---- writing ----

  /**
   * Writes decisions in chunks of WRITE_CHUNK, one `store.batch` each, awaiting each and yielding to
   * the event loop before the next: a manager keeps serving raft and the API meanwhile, and memory
   * holds one chunk's transactions at a time instead of every encoded task of a 100,000-task service.
   */
  private async write(decisions: readonly Decision[]): Promise<void> {
    const timestamp = toTimestamp(this.now());
    let assigned = 0;
    let refused = 0;
    for (let from = 0; from < decisions.length && this.running; from += WRITE_CHUNK) {
      const chunk = decisions.slice(from, from + WRITE_CHUNK);
      try {
        await this.store.batch((b) => {
          for (const d of chunk)
            b.update((tx) => {
              const created = tx.get('task', d.taskId)?.createdAt;
              if (!writeDecision(tx, d, timestamp)) return;
              assigned++;
              if (created)
                observeLatency(
                  'scheduling',
                  timestamp.seconds - created.seconds + (timestamp.nanos - created.nanos) / 1e9,
                );
            });
        });
      } catch (e) {
        refused++;
        this.log.warn({ err: e }, 'some scheduling decisions were refused by the store; retrying them');
      }
      // Let timers and I/O (raft heartbeats, API calls) and the GC's own tasks run between chunks.
      await new Promise((r) => setImmediate(r));
    }
    this.log.debug({ decisions: decisions.length, assigned, refused }, 'scheduling decisions written');
    this.settle(decisions);
  }

  /** After a write: anything our guesses got wrong (a refused transaction) is read back from the store. */
  private settle(decisions: readonly Decision[]): void {
    for (const d of decisions) {
      if (d.kind !== 'assign') continue;
      const id = d.taskId;
      this.inflight.delete(id);
      if (!this.running) continue;
      const cur = this.store.get('task', id);
      if (cur && holdsNode(cur) && cur.nodeId === d.nodeId) continue; // as guessed
      // The task changed while its write was in flight (e.g. it already failed): what it frees is
      // room for the tasks still pending, which deserve another try.
      if (this.nodes.syncTask(id, cur, cur ? this.serviceOf(cur) : undefined)) this.bump();
      this.track(id, cur);
    }
    this.writing = undefined;
    if (this.kickAfterWrite) {
      this.kickAfterWrite = false;
      this.kick();
    }
  }
}

/** Writes one decision if the task is still waiting as it was when decided. Returns true if assigned. */
function writeDecision(tx: WriteTx, d: Decision, timestamp: Timestamp__Output): boolean {
  const cur = tx.get('task', d.taskId);
  if (!cur || !isSchedulable(cur) || cur.specVersion !== d.specVersion) return false;
  // A shallow copy: only nodeId and status change, and the task spec (shared by every task of the
  // service version) is never mutated. structuredClone would cost more than the rest of the write.
  const status = {
    timestamp,
    state: cur.status?.state ?? 'TASK_STATE_PENDING',
    message: '',
    err: '',
    containerStatus: cur.status?.containerStatus ?? null,
    portStatus: cur.status?.portStatus ?? null,
  };
  if (d.kind === 'unschedulable') {
    if (cur.status?.message === d.message && cur.status.err === d.message) return false;
    tx.update('task', { ...cur, status: { ...status, message: d.message, err: d.message } });
    return false;
  }
  if (cur.nodeId !== '' && cur.nodeId !== d.nodeId) return false;
  tx.update('task', {
    ...cur,
    nodeId: d.nodeId,
    status: { ...status, state: 'TASK_STATE_ASSIGNED', message: ASSIGNED_MESSAGE },
  });
  return true;
}

function failed(t: Task): boolean {
  const s = observed(t);
  return s === 'TASK_STATE_FAILED' || s === 'TASK_STATE_REJECTED';
}

function toTimestamp(ms: number): Timestamp__Output {
  return { seconds: Math.floor(ms / 1000), nanos: (ms % 1000) * 1_000_000 };
}
