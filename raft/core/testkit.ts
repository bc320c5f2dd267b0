/**
 * A tiny synchronous cluster of RawNodes over MemoryStorage, for the core's own tests: messages are
 * delivered in order unless a test drops or isolates them. Each Ready is handled as a driver must:
 * persist, then send, then apply, then advance.
 */
import { RawNode } from './rawnode.ts';
import { MemoryStorage } from './storage.ts';
import { decodeConfChange, nodeId, type Entry, type Message, type NodeId, type ReadState } from './types.ts';
import type { RaftConfigInput } from './config.ts';

/** mulberry32: a small seeded PRNG for tests. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface TestNode {
  readonly id: NodeId;
  raw: RawNode;
  readonly storage: MemoryStorage;
  readonly applied: Entry[];
  readonly readStates: ReadState[];
}

export class TestCluster {
  readonly nodes = new Map<NodeId, TestNode>();
  /** Messages waiting to be delivered. */
  queue: Message[] = [];
  /** Every message sent, for assertions and determinism checks. */
  readonly trace: string[] = [];
  /** Drop messages for which this returns true. */
  filter: (m: Message) => boolean = () => false;

  constructor(
    ids: readonly string[],
    private readonly options: Partial<Omit<RaftConfigInput, 'id' | 'storage'>> & { seed?: number } = {},
    voters: readonly string[] = ids,
  ) {
    const random = seededRandom(options.seed ?? 1);
    for (const s of ids) {
      const id = nodeId(s);
      const storage = voters.includes(s) ? MemoryStorage.bootstrap(voters.map(nodeId)) : new MemoryStorage();
      this.nodes.set(id, {
        id,
        raw: new RawNode({ random, ...options, id, storage }),
        storage,
        applied: [],
        readStates: [],
      });
    }
  }

  node(id: string): TestNode {
    const n = this.nodes.get(nodeId(id));
    if (!n) throw new Error(`no node ${id}`);
    return n;
  }

  /** Handles every pending Ready of every node, then delivers messages until quiet. */
  stabilize(maxRounds = 1000): void {
    for (let round = 0; round < maxRounds; round++) {
      let progressed = false;
      for (const n of this.nodes.values()) progressed = this.processReady(n) || progressed;
      const batch = this.queue;
      this.queue = [];
      for (const m of batch) {
        const to = this.nodes.get(m.to);
        if (to && !this.filter(m)) to.raw.step(m);
        progressed = true;
      }
      if (!progressed) return;
    }
    throw new Error('cluster did not stabilize');
  }

  tick(id: string, times = 1): void {
    for (let i = 0; i < times; i++) this.node(id).raw.tick();
  }

  tickAll(times = 1): void {
    for (let i = 0; i < times; i++) {
      for (const n of this.nodes.values()) n.raw.tick();
      this.stabilize();
    }
  }

  processReady(n: TestNode): boolean {
    if (!n.raw.hasReady()) return false;
    const rd = n.raw.ready();
    if (rd.snapshot) n.storage.applySnapshot(rd.snapshot);
    n.storage.append(rd.entries);
    if (rd.hardState) n.storage.setHardState(rd.hardState);
    for (const m of rd.messages) {
      this.trace.push(`${m.from}>${m.to} ${m.type} t${m.term}`);
      this.queue.push(m);
    }
    for (const e of rd.committedEntries) {
      n.applied.push(e);
      if (e.type === 'confChange') n.raw.applyConfChange(decodeConfChange(e.data));
    }
    n.readStates.push(...rd.readStates);
    n.raw.advance();
    return true;
  }

  leader(): TestNode | undefined {
    return [...this.nodes.values()].find((n) => n.raw.status().role === 'leader');
  }

  /**
   * Elects `id`: it campaigns at once, as if told to by a leadership transfer (so followers' leases
   * do not stand in the way), and every message is delivered.
   */
  elect(id: string): TestNode {
    this.stabilize();
    const n = this.node(id);
    const st = n.raw.status();
    n.raw.step({ type: 'timeoutNow', from: st.lead ?? n.id, to: n.id, term: st.term });
    this.stabilize();
    if (n.raw.status().role !== 'leader')
      throw new Error(`expected ${id} to lead, it is ${n.raw.status().role}`);
    return n;
  }

  /** Removes a node from the network entirely. */
  isolate(id: string): void {
    const prev = this.filter;
    this.filter = (m) => m.from === id || m.to === id || prev(m);
  }

  heal(): void {
    this.filter = () => false;
  }
}
