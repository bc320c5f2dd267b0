/**
 * The key manager (Swarm's `manager/keymanager`): on the leader, keeps the cluster's overlay
 * encryption keys in the cluster object (`networkBootstrapKeys`, previous/current/next; see keys.ts)
 * and rotates them every `rotationIntervalMs` (12 h, Swarm's default). The dispatcher sends them to
 * every node in SessionMessage.network_keys.
 *
 * Everything it needs to go on lives in the store (`keysRotatedAt`, `encryptionKeyLamportClock`), so a
 * new leader's key manager continues the schedule where the old one left it: it rotates at
 * `keysRotatedAt + rotationIntervalMs`, at once when that has passed. Time enters through the injected
 * clock and timers (tests use a fake clock).
 */
import { randomBytes } from 'node:crypto';
import type { Logger } from '../../proto/shared/log.ts';
import { silentLogger } from '../../proto/shared/log.ts';
import { clone, type MemoryStore } from '../store/memory.ts';
import type { Cluster, StoreEvent } from '../store/types.ts';
import { initialKeys, KEYRING_SIZE, overlayKeys, rotate, type RandomBytes } from './keys.ts';

export type TimerHandle = unknown;

/** Swarm's rotation interval. */
export const DEFAULT_ROTATION_INTERVAL_MS = 12 * 60 * 60 * 1000;

export interface KeyManagerOptions {
  readonly store: MemoryStore;
  /** How often keys are rotated (default 12 h). */
  readonly rotationIntervalMs?: number;
  readonly log?: Logger;
  /** Clock and timers (default Date.now, setTimeout, clearTimeout). */
  readonly now?: () => number;
  readonly setTimer?: (fn: () => void, ms: number) => TimerHandle;
  readonly clearTimer?: (handle: TimerHandle) => void;
  /** Key material (default crypto.randomBytes). */
  readonly random?: RandomBytes;
}

/** Node's setTimeout cannot wait longer than this (2^31 − 1 ms); longer waits are re-armed. */
const MAX_TIMER_MS = 2 ** 31 - 1;
/** After a refused or failed write, try again this much later. */
const RETRY_AFTER_FAILURE_MS = 1000;

export class KeyManager {
  private readonly store: MemoryStore;
  private readonly log: Logger;
  private readonly intervalMs: number;
  private readonly now: () => number;
  private readonly setTimer: (fn: () => void, ms: number) => TimerHandle;
  private readonly clearTimer: (handle: TimerHandle) => void;
  private readonly random: RandomBytes;
  private running = false;
  private timer: { readonly handle: TimerHandle } | undefined;
  private writing: Promise<void> = Promise.resolve();

  /** Throws RangeError when `rotationIntervalMs` is not a positive number. */
  constructor(o: KeyManagerOptions) {
    this.store = o.store;
    this.log = (o.log ?? silentLogger()).child({ component: 'keymanager' });
    this.intervalMs = o.rotationIntervalMs ?? DEFAULT_ROTATION_INTERVAL_MS;
    if (!(this.intervalMs > 0))
      throw new RangeError(`keymanager: rotationIntervalMs ${this.intervalMs} must be > 0`);
    this.now = o.now ?? Date.now;
    this.setTimer =
      o.setTimer ??
      ((fn, ms) => {
        const t = setTimeout(fn, ms);
        t.unref();
        return t;
      });
    this.clearTimer = o.clearTimer ?? ((h) => clearTimeout(h as NodeJS.Timeout));
    this.random = o.random ?? randomBytes;
  }

  /** Makes sure the cluster has a full key set and schedules the next rotation. Leader only. */
  start(): void {
    if (this.running) return;
    this.running = true;
    this.store.events.on('commit', this.onCommit);
    this.store.events.on('restore', this.onRestore);
    this.check();
  }

  /** Stops scheduling; resolves once a write under way has finished. */
  async stop(): Promise<void> {
    this.running = false;
    this.store.events.off('commit', this.onCommit);
    this.store.events.off('restore', this.onRestore);
    this.disarm();
    await this.writing;
  }

  /** Resolves when the writes started so far have finished (tests). */
  settled(): Promise<void> {
    return this.writing;
  }

  private readonly onCommit = (events: readonly StoreEvent[]): void => {
    if (events.some((e) => e.kind === 'cluster')) this.check();
  };

  private readonly onRestore = (): void => this.check();

  /** Rotates now when the set is incomplete or due, else arms the timer for when it is due. */
  private check(): void {
    if (!this.running) return;
    this.disarm();
    const cluster = this.store.find('cluster')[0];
    if (!cluster) return; // a cluster commit will call again
    const waitMs = this.dueInMs(cluster);
    if (waitMs > 0) {
      this.arm(Math.min(waitMs, MAX_TIMER_MS));
      return;
    }
    this.writing = this.writing
      .then(() => this.rotateNow())
      .catch((err: unknown) => {
        this.log.warn({ err }, 'network key rotation failed; retrying');
        if (this.running) this.arm(RETRY_AFTER_FAILURE_MS);
      });
  }

  /** ms until the cluster's keys are due (≤ 0: now). */
  private dueInMs(c: Cluster): number {
    if (overlayKeys(c.networkBootstrapKeys).length < KEYRING_SIZE || !c.keysRotatedAt) return 0;
    const at = Number(c.keysRotatedAt.seconds) * 1000 + Math.floor(c.keysRotatedAt.nanos / 1e6);
    return at + this.intervalMs - this.now();
  }

  private async rotateNow(): Promise<void> {
    if (!this.running) return;
    await this.store.update((tx) => {
      const cur = tx.find('cluster')[0];
      if (!cur || this.dueInMs(cur) > 0) return;
      const next = clone(cur);
      const from = { keys: cur.networkBootstrapKeys, lamportClock: cur.encryptionKeyLamportClock };
      const set =
        overlayKeys(cur.networkBootstrapKeys).length === 0
          ? initialKeys(from.lamportClock, this.random)
          : rotate(from, this.random);
      next.networkBootstrapKeys = [...set.keys];
      next.encryptionKeyLamportClock = set.lamportClock;
      const ms = this.now();
      next.keysRotatedAt = { seconds: Math.floor(ms / 1000), nanos: (ms % 1000) * 1e6 };
      tx.update('cluster', next);
      this.log.info({ lamportClock: set.lamportClock }, 'network encryption keys rotated');
    });
  }

  private arm(ms: number): void {
    this.timer = {
      handle: this.setTimer(() => {
        this.timer = undefined;
        this.check();
      }, ms),
    };
  }

  private disarm(): void {
    if (this.timer) this.clearTimer(this.timer.handle);
    this.timer = undefined;
  }
}
