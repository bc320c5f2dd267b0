/**
 * The allocator: gives overlay networks a subnet, gateway and VNI; services a virtual IP per network
 * and their published ports; new tasks an address per network, then moves them to PENDING for the
 * scheduler. It runs on the raft leader only.
 *
 * The loop is a reconciler (STYLE.md 10): on start it rebuilds its pools from everything the store
 * records, then reacts to store events. Each pass takes the objects that changed or were woken and
 * handles networks, then services, then tasks, each phase writing its results in transactions of at
 * most 200 changes proposed back to back and awaited before the next phase — so a task is only given
 * an address on a network whose allocation is committed. A transaction the store refuses (someone
 * changed one of its objects first) is undone: its objects' holdings are re-read from the store and
 * they are tried again.
 *
 * What cannot be allocated now (a full network, no subnet left, a port taken) waits, with a message
 * on its tasks, until something is released.
 */
import type { Logger } from '../../proto/shared/log.ts';
import { silentLogger } from '../../proto/shared/log.ts';
import { isTerminal, observed } from '../orchestrator/common.ts';
import type { MemoryStore } from '../store/memory.ts';
import type { StoreEvent } from '../store/types.ts';
import { Evaluator, type Change, type Ref, type WaitKey } from './evaluate.ts';
import { isAllocated, isManaged } from './objects.ts';
import { Pools } from './pools.ts';
import { DEFAULT_ADDR_POOL, DEFAULT_SUBNET_SIZE, SubnetPool } from './subnet-pool.ts';

export interface AllocatorOptions {
  readonly store: MemoryStore;
  /**
   * Pools overlay subnets are carved from. Default: the cluster object's `defaultAddrPool` when set,
   * else Swarm's 10.0.0.0/8.
   */
  readonly defaultAddrPool?: readonly string[];
  /** Prefix length of carved subnets. Default: the cluster object's `subnetSize` when set, else 24. */
  readonly subnetSize?: number;
  readonly log?: Logger;
}

/** Changes per transaction (Swarm batches split after 200 changes). */
const MAX_CHANGES_PER_TX = 200;
/** After an unexpected failure of a pass, rebuild from the store and go on after this long. */
const RETRY_AFTER_FAILURE_MS = 1000;

type Phase = 'network' | 'service' | 'task' | 'node';
const PHASES: readonly Phase[] = ['network', 'service', 'task', 'node'];

export class Allocator {
  private readonly store: MemoryStore;
  private readonly log: Logger;
  private readonly given: { pool?: readonly string[]; size?: number };
  private pools: Pools;
  private readonly evaluate: Evaluator;
  private readonly dirty: Record<Phase, Set<string>> = {
    network: new Set(),
    service: new Set(),
    task: new Set(),
    node: new Set(),
  };
  /** Who waits for what: `kind:id` per key (a set, so waiting twice is waiting once). */
  private readonly waiters = new Map<WaitKey, Set<`${Phase}:${string}`>>();
  private rebuildNeeded = true;
  private started = false;
  private stopped = false;
  private running: Promise<void> | undefined;
  private immediate: NodeJS.Immediate | undefined;
  private retryTimer: NodeJS.Timeout | undefined;
  private idle: (() => void)[] = [];

  /** Throws InvalidArgumentError when the given pools or subnet size are unusable. */
  constructor(o: AllocatorOptions) {
    this.store = o.store;
    this.log = (o.log ?? silentLogger()).child({ component: 'allocator' });
    this.given = {
      ...(o.defaultAddrPool ? { pool: [...o.defaultAddrPool] } : {}),
      ...(o.subnetSize !== undefined ? { size: o.subnetSize } : {}),
    };
    this.pools = new Pools(o.defaultAddrPool ?? DEFAULT_ADDR_POOL, o.subnetSize ?? DEFAULT_SUBNET_SIZE);
    this.evaluate = new Evaluator(
      this.store,
      () => this.pools,
      (key, ref) => this.wait(key, ref),
      (key) => this.wake(key),
      this.log,
    );
  }

  /** Rebuilds the pools from the store and starts following its events. */
  start(): void {
    if (this.started) return;
    this.started = true;
    this.store.events.on('commit', this.onCommit);
    this.store.events.on('restore', this.onRestore);
    this.rebuildNeeded = true;
    this.kick();
  }

  /** Stops following the store; resolves once the pass under way (and its writes) has finished. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.store.events.off('commit', this.onCommit);
    this.store.events.off('restore', this.onRestore);
    if (this.immediate) clearImmediate(this.immediate);
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.immediate = undefined;
    this.retryTimer = undefined;
    await this.running;
    this.settle();
  }

  /** Resolves when nothing is left to do but wait (for tests and tools; also on stop). */
  whenIdle(): Promise<void> {
    if (this.isIdle()) return Promise.resolve();
    return new Promise((resolve) => this.idle.push(resolve));
  }

  private readonly onCommit = (events: readonly StoreEvent[]): void => {
    for (const e of events) {
      switch (e.kind) {
        case 'network':
          this.dirty.network.add(e.object.id);
          // Ingress appearing, a network going away: nodes' attachments may change (rare).
          for (const n of this.store.find('node')) this.dirty.node.add(n.id);
          break;
        case 'task': {
          this.dirty.task.add(e.object.id);
          const t = e.object as StoreEvent<'task'>['object'];
          const old = e.old as StoreEvent<'task'>['object'] | undefined;
          if (t.networksAttachments.length > 0 || (old?.networksAttachments.length ?? 0) > 0) {
            if (t.nodeId) this.dirty.node.add(t.nodeId);
            if (old?.nodeId) this.dirty.node.add(old.nodeId);
          }
          break;
        }
        case 'node':
          this.dirty.node.add(e.object.id);
          break;
        case 'service':
          this.dirty.service.add(e.object.id);
          this.evaluate.serviceReady.delete(e.object.id);
          break;
        case 'secret':
        case 'config':
        case 'cluster':
          break;
      }
    }
    this.kick();
  };

  private readonly onRestore = (): void => {
    this.rebuildNeeded = true;
    this.kick();
  };

  private hasWork(): boolean {
    return this.rebuildNeeded || PHASES.some((p) => this.dirty[p].size > 0);
  }

  private isIdle(): boolean {
    return this.stopped || (!this.running && !this.immediate && !this.retryTimer && !this.hasWork());
  }

  private settle(): void {
    if (!this.isIdle()) return;
    const waiting = this.idle;
    this.idle = [];
    for (const resolve of waiting) resolve();
  }

  private kick(): void {
    if (!this.started || this.stopped || this.running || this.immediate || this.retryTimer) return;
    this.immediate = setImmediate(() => {
      this.immediate = undefined;
      this.running = this.run().finally(() => {
        this.running = undefined;
        if (this.hasWork()) this.kick();
        this.settle();
      });
    });
  }

  private async run(): Promise<void> {
    try {
      while (!this.stopped && this.hasWork()) {
        if (this.rebuildNeeded) this.rebuild();
        for (const phase of PHASES) {
          if (this.stopped) return;
          await this.phase(phase);
        }
      }
    } catch (err) {
      this.log.error({ err }, 'allocator pass failed; rebuilding from the store');
      this.rebuildNeeded = true;
      this.retryTimer = setTimeout(() => {
        this.retryTimer = undefined;
        this.kick();
      }, RETRY_AFTER_FAILURE_MS);
    }
  }

  /** Evaluates the phase's dirty objects, wakes what was freed, writes the changes. */
  private async phase(phase: Phase): Promise<void> {
    const ids = this.dirty[phase];
    if (ids.size === 0) return;
    this.dirty[phase] = new Set();
    this.evaluate.newPhase();
    const changes: Change[] = [];
    for (const id of ids) {
      const c = this.evaluate[phase](id);
      if (c) changes.push(c);
    }
    this.wakeFreed();
    await this.write(changes);
    this.wakeFreed();
  }

  private async write(changes: readonly Change[]): Promise<void> {
    const chunks: Change[][] = [];
    for (let i = 0; i < changes.length; i += MAX_CHANGES_PER_TX)
      chunks.push(changes.slice(i, i + MAX_CHANGES_PER_TX));
    const results = await Promise.allSettled(
      chunks.map((chunk) =>
        this.store.update((tx) => {
          for (const c of chunk) tx.update(c.kind, c.object);
        }),
      ),
    );
    results.forEach((r, i) => {
      if (r.status === 'fulfilled') return;
      const chunk = chunks[i] ?? [];
      this.log.info(
        { err: r.reason as unknown, changes: chunk.length },
        'allocation write refused; retrying',
      );
      for (const c of chunk) this.resync(c.kind, c.object.id);
    });
  }

  /** After a refused write: hold what the store records for the object, and look at it again. */
  private resync(kind: Phase, id: string): void {
    switch (kind) {
      case 'network': {
        this.pools.releaseNetwork(id);
        const n = this.store.get('network', id);
        if (n && isManaged(n) && isAllocated(n)) this.evaluate.reserveRecorded(n);
        break;
      }
      case 'service': {
        this.pools.releaseService(id);
        const s = this.store.get('service', id);
        if (s) this.pools.reserveService(s);
        this.evaluate.serviceReady.delete(id);
        break;
      }
      case 'task': {
        this.pools.releaseTask(id);
        const t = this.store.get('task', id);
        if (t && !isTerminal(t) && t.networksAttachments.length > 0) this.evaluate.reserveTask(t);
        break;
      }
      case 'node': {
        this.pools.releaseNode(id);
        const n = this.store.get('node', id);
        if (n) this.evaluate.reserveNode(n);
        break;
      }
    }
    this.dirty[kind].add(id);
  }

  /** New pools holding exactly what the store records; every object to be looked at again. */
  private rebuild(): void {
    this.rebuildNeeded = false;
    this.pools = this.newPools();
    this.evaluate.reset();
    this.waiters.clear();
    for (const p of PHASES) this.dirty[p].clear();
    for (const n of this.store.find('network')) {
      this.dirty.network.add(n.id);
      if (isManaged(n) && isAllocated(n)) this.evaluate.reserveRecorded(n);
    }
    for (const s of this.store.find('service')) {
      this.dirty.service.add(s.id);
      const problems = this.pools.reserveService(s);
      if (problems.length > 0)
        this.log.error({ service: s.id }, `service endpoint not held: ${problems.join('; ')}`);
    }
    for (const t of this.store.find('task')) {
      if (isTerminal(t)) continue;
      if (t.networksAttachments.length > 0) this.evaluate.reserveTask(t);
      if (observed(t) === 'TASK_STATE_NEW') this.dirty.task.add(t.id);
    }
    for (const n of this.store.find('node')) {
      if (n.attachments.length > 0) this.evaluate.reserveNode(n);
      this.dirty.node.add(n.id);
    }
    this.pools.drainFreed();
    this.log.info(
      {
        networks: this.dirty.network.size,
        services: this.dirty.service.size,
        newTasks: this.dirty.task.size,
      },
      'allocator rebuilt its pools from the store',
    );
  }

  /** The given options, else the cluster object's, else Swarm's defaults. */
  private newPools(): Pools {
    const cluster = this.store.find('cluster')[0];
    const pool =
      this.given.pool ?? (cluster?.defaultAddrPool.length ? cluster.defaultAddrPool : DEFAULT_ADDR_POOL);
    const size = this.given.size ?? (cluster?.subnetSize ? cluster.subnetSize : DEFAULT_SUBNET_SIZE);
    try {
      new SubnetPool(pool, size);
      return new Pools(pool, size);
    } catch (err) {
      this.log.error({ err, pool, size }, 'unusable default address pool; using 10.0.0.0/8 in /24s');
      return new Pools(DEFAULT_ADDR_POOL, DEFAULT_SUBNET_SIZE);
    }
  }

  private wait(key: WaitKey, ref: Ref): void {
    let set = this.waiters.get(key);
    if (!set) this.waiters.set(key, (set = new Set()));
    set.add(`${ref.kind}:${ref.id}`);
  }

  private wake(key: WaitKey): void {
    const set = this.waiters.get(key);
    if (!set) return;
    this.waiters.delete(key);
    for (const r of set) {
      const colon = r.indexOf(':');
      this.dirty[r.slice(0, colon) as Phase].add(r.slice(colon + 1));
    }
  }

  private wakeFreed(): void {
    for (const key of this.pools.drainFreed()) this.wake(key);
  }
}
