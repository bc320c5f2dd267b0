/**
 * The simulated network: every message is an event delivered at a simulated time, subject to the
 * faults in force — loss, duplication, delay with jitter (which reorders), directed partitions, and
 * clogging (a node whose links are slowed to a crawl). All choices come from the run's Rng.
 */
import type { Rng } from './rng.ts';

export interface NetworkFaults {
  /** Probability a message is dropped (0–0.3 in the safety phase). */
  lossRate: number;
  /** Probability a message is delivered twice. */
  duplicateRate: number;
  /** Delivery delay in ticks: uniform in [minDelayTicks, maxDelayTicks]; a spread reorders messages. */
  minDelayTicks: number;
  maxDelayTicks: number;
}

export const HEALTHY_NETWORK: Readonly<NetworkFaults> = {
  lossRate: 0,
  duplicateRate: 0,
  minDelayTicks: 0,
  maxDelayTicks: 1,
};

export interface InFlight<M> {
  readonly from: string;
  readonly to: string;
  readonly message: M;
  readonly deliverAt: number;
  /** Tie-breaker so delivery order is total and deterministic. */
  readonly seq: number;
}

export class SimNetwork<M> {
  faults: NetworkFaults = { ...HEALTHY_NETWORK };
  private readonly blocked = new Set<string>();
  private readonly clogged = new Map<string, number>();
  private queue: InFlight<M>[] = [];
  private seq = 0;
  dropped = 0;
  delivered = 0;

  /**
   * Called for every message the network loses: `cut` is true when the link is down (a partition or a
   * dead peer — what a transport reports as unreachable), false for a random loss.
   */
  onDrop: (from: string, to: string, message: M, cut: boolean) => void = () => {};

  constructor(private readonly rng: Rng) {}

  /** Blocks messages from `from` to `to` (one way). */
  block(from: string, to: string): void {
    this.blocked.add(`${from}>${to}`);
  }

  /** Cuts every link between the two groups, both ways. */
  partition(a: readonly string[], b: readonly string[]): void {
    for (const x of a) {
      for (const y of b) {
        this.block(x, y);
        this.block(y, x);
      }
    }
  }

  /** Slows every message to or from `node` by `extraTicks`. */
  clog(node: string, extraTicks: number): void {
    this.clogged.set(node, extraTicks);
  }

  heal(): void {
    this.blocked.clear();
    this.clogged.clear();
    this.faults = { ...HEALTHY_NETWORK };
  }

  isBlocked(from: string, to: string): boolean {
    return this.blocked.has(`${from}>${to}`);
  }

  /** Describes the faults in force, for traces and failure reports. */
  describe(): string {
    const f = this.faults;
    return `loss=${f.lossRate.toFixed(2)} dup=${f.duplicateRate.toFixed(2)} delay=${f.minDelayTicks}-${f.maxDelayTicks} blocked=[${[...this.blocked].sort().join(',')}] clogged=[${[...this.clogged].map(([n, t]) => `${n}+${t}`).join(',')}]`;
  }

  send(now: number, from: string, to: string, message: M): void {
    const blocked = this.isBlocked(from, to);
    if (blocked || this.rng.chance(this.faults.lossRate)) {
      this.dropped++;
      this.onDrop(from, to, message, blocked);
      return;
    }
    const copies = this.rng.chance(this.faults.duplicateRate) ? 2 : 1;
    for (let i = 0; i < copies; i++) {
      const delay =
        this.rng.between(this.faults.minDelayTicks, this.faults.maxDelayTicks) +
        (this.clogged.get(from) ?? 0) +
        (this.clogged.get(to) ?? 0);
      this.queue.push({ from, to, message, deliverAt: now + delay, seq: this.seq++ });
    }
  }

  /** Removes and returns the messages due at or before `now`, in delivery order. */
  due(now: number): InFlight<M>[] {
    if (this.queue.length === 0) return [];
    const ready: InFlight<M>[] = [];
    const later: InFlight<M>[] = [];
    for (const m of this.queue) (m.deliverAt <= now ? ready : later).push(m);
    this.queue = later;
    ready.sort((a, b) => a.deliverAt - b.deliverAt || a.seq - b.seq);
    // A partition that began after sending still cuts the link on arrival.
    const out: InFlight<M>[] = [];
    for (const m of ready) {
      if (!this.isBlocked(m.from, m.to)) out.push(m);
      else {
        this.dropped++;
        this.onDrop(m.from, m.to, m.message, true);
      }
    }
    this.delivered += out.length;
    return out;
  }

  /** Drops everything in flight to or from `node` (it crashed). */
  dropFor(node: string): void {
    const lost = this.queue.filter((m) => m.to === node || m.from === node);
    this.queue = this.queue.filter((m) => m.to !== node && m.from !== node);
    this.dropped += lost.length;
    for (const m of lost) if (m.from !== node) this.onDrop(m.from, m.to, m.message, true);
  }

  get inFlight(): number {
    return this.queue.length;
  }
}
