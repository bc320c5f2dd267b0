/**
 * The safety invariants of raft-testing.md, checked after every simulated step. Each violation throws
 * an InvariantViolation naming the invariant and the evidence.
 */
import type { Entry, HardState, NodeId, Role } from '../core/index.ts';
import { dataHash, type KvState } from './kv.ts';
import type { SimNode } from './node.ts';

export class InvariantViolation extends Error {
  constructor(
    readonly invariant: string,
    detail: string,
  ) {
    super(`invariant ${invariant} violated: ${detail}`);
    this.name = 'InvariantViolation';
  }
}

interface AppliedRecord {
  readonly term: number;
  /** An upper bound on the term in which the entry was committed: the applier's term at the time. */
  commitTermBound: number;
  readonly hash: string;
  readonly state: string;
  readonly by: NodeId;
}

export class InvariantChecker {
  /** 1. Election safety: the leader of each term. */
  private readonly leaders = new Map<number, NodeId>();
  /** 5. State machine safety: what was applied at each index (and the state after it). */
  readonly appliedAt = new Map<number, AppliedRecord>();
  /** 2. Leader append-only: the log each leader had at the previous check. */
  private readonly leaderLogs = new Map<NodeId, { term: number; entries: Map<number, string> }>();
  /** 6. Durability: entries acknowledged to clients (index → hash). */
  readonly acknowledged = new Map<number, string>();

  /** 7 and 6: a node's durable hard state only moves forward, one vote per term. */
  persisted(node: SimNode, next: HardState): void {
    const prev = node.durableHard;
    if (next.term < prev.term)
      throw new InvariantViolation('7 terms monotonic', `${node.id} term ${prev.term} → ${next.term}`);
    if (next.term === prev.term && prev.vote !== null && next.vote !== prev.vote) {
      throw new InvariantViolation(
        '7 one vote per term',
        `${node.id} voted ${prev.vote} then ${String(next.vote)} in term ${next.term}`,
      );
    }
    if (next.commit < prev.commit)
      throw new InvariantViolation('6 durable commit', `${node.id} commit ${prev.commit} → ${next.commit}`);
  }

  /** 5: every node applies the same entry, and reaches the same state, at each index. */
  applied(node: SimNode, e: Entry, state: KvState): void {
    const record = {
      term: e.term,
      commitTermBound: node.raw.status().term,
      hash: dataHash(e.data),
      state: state.hash(),
      by: node.id,
    };
    const seen = this.appliedAt.get(e.index);
    if (!seen) {
      this.appliedAt.set(e.index, record);
      return;
    }
    seen.commitTermBound = Math.min(seen.commitTermBound, record.commitTermBound);
    if (seen.term !== record.term || seen.hash !== record.hash || seen.state !== record.state) {
      throw new InvariantViolation(
        '5 state machine safety',
        `index ${e.index}: ${seen.by} applied t${seen.term}/${seen.hash} → ${seen.state}, ${node.id} applied t${record.term}/${record.hash} → ${record.state}`,
      );
    }
  }

  /** 8: a node's state after InstallSnapshot equals the state others had at that index. */
  restored(node: SimNode, index: number, state: KvState): void {
    const seen = this.appliedAt.get(index);
    if (seen && seen.state !== state.hash()) {
      throw new InvariantViolation(
        '8 snapshot state',
        `${node.id} restored ${state.hash()} at ${index}, ${seen.by} had ${seen.state}`,
      );
    }
  }

  /** Runs the per-step checks over the live nodes. */
  check(nodes: readonly SimNode[]): void {
    const live = nodes.filter((n) => n.alive);
    const logs = new Map(live.map((n) => [n.id, n.logEntries()] as const));
    for (const n of live) this.checkNode(n, logs.get(n.id) ?? []);
    for (let i = 0; i < live.length; i++) {
      for (let j = i + 1; j < live.length; j++) {
        const a = live[i] as SimNode;
        const b = live[j] as SimNode;
        checkLogMatching(a.id, logs.get(a.id) ?? [], b.id, logs.get(b.id) ?? []);
      }
    }
    for (const n of live) {
      const st = n.raw.status();
      if (st.role === 'leader') this.checkLeader(n.id, st.term, logs.get(n.id) ?? []);
      else this.leaderLogs.delete(n.id);
    }
  }

  private checkNode(n: SimNode, log: readonly Entry[]): void {
    const st = n.raw.status();
    if (!(n.appliedIndex <= st.commit && st.commit <= st.lastIndex)) {
      throw new InvariantViolation(
        '8 applied ≤ committed ≤ last',
        `${n.id} applied ${n.appliedIndex} commit ${st.commit} last ${st.lastIndex}`,
      );
    }
    if (st.role === 'leader') {
      const pendingConf = log.filter((e) => e.index > n.appliedIndex && e.type === 'confChange').length;
      if (pendingConf > 1)
        throw new InvariantViolation(
          '9 one membership change at a time',
          `${n.id} has ${pendingConf} unapplied conf changes`,
        );
    }
  }

  private checkLeader(id: NodeId, term: number, log: readonly Entry[]): void {
    const prevLeader = this.leaders.get(term);
    if (prevLeader !== undefined && prevLeader !== id) {
      throw new InvariantViolation('1 election safety', `term ${term} has leaders ${prevLeader} and ${id}`);
    }
    this.leaders.set(term, id);
    const entries = new Map(log.map((e) => [e.index, `${e.term}/${dataHash(e.data)}`] as const));
    const prev = this.leaderLogs.get(id);
    if (prev?.term === term) {
      for (const [index, sig] of prev.entries) {
        const now = entries.get(index);
        if (now !== undefined && now !== sig)
          throw new InvariantViolation(
            '2 leader append-only',
            `${id} changed entry ${index} in term ${term}`,
          );
      }
      const prevLast = Math.max(0, ...prev.entries.keys());
      const last = Math.max(0, ...entries.keys());
      if (last < prevLast)
        throw new InvariantViolation(
          '2 leader append-only',
          `${id} log shrank from ${prevLast} to ${last} in term ${term}`,
        );
    }
    this.leaderLogs.set(id, { term, entries });
    // 4. Leader completeness: every committed entry the leader still holds matches.
    for (const e of log) {
      const applied = this.appliedAt.get(e.index);
      if (
        applied &&
        applied.commitTermBound < term &&
        (applied.term !== e.term || applied.hash !== dataHash(e.data))
      ) {
        throw new InvariantViolation(
          '4 leader completeness',
          `leader ${id} (term ${term}) has t${e.term} at ${e.index}, committed t${applied.term}`,
        );
      }
    }
    // Entries committed in an earlier term than the leader's must all be in its log.
    const lastLog = log.at(-1)?.index ?? 0;
    if (log.length > 0) {
      for (let index = lastLog + 1; ; index++) {
        const rec = this.appliedAt.get(index);
        if (!rec) break;
        if (rec.commitTermBound < term) {
          throw new InvariantViolation(
            '4 leader completeness',
            `leader ${id} (term ${term}) ends at ${lastLog}, but ${index} was committed by term ${rec.commitTermBound}`,
          );
        }
      }
    }
  }

  /** 6: an acknowledged entry is committed and never replaced. */
  acknowledge(index: number, hash: string): void {
    this.acknowledged.set(index, hash);
  }

  checkDurability(): void {
    for (const [index, hash] of this.acknowledged) {
      const applied = this.appliedAt.get(index);
      if (!applied || applied.hash !== hash)
        throw new InvariantViolation(
          '6 durability',
          `acknowledged entry ${index} is not committed as acknowledged`,
        );
    }
  }

  roleOf(nodes: readonly SimNode[]): Map<NodeId, Role> {
    return new Map(nodes.filter((n) => n.alive).map((n) => [n.id, n.raw.status().role]));
  }
}

/** 3. Log matching: if two logs have an entry with the same index and term, all entries up to it are identical. */
export function checkLogMatching(aId: NodeId, a: readonly Entry[], bId: NodeId, b: readonly Entry[]): void {
  if (a.length === 0 || b.length === 0) return;
  const aFirst = (a[0] as Entry).index;
  const bFirst = (b[0] as Entry).index;
  const lo = Math.max(aFirst, bFirst);
  const hi = Math.min((a.at(-1) as Entry).index, (b.at(-1) as Entry).index);
  let matchAt = -1;
  for (let i = hi; i >= lo; i--) {
    if ((a[i - aFirst] as Entry).term === (b[i - bFirst] as Entry).term) {
      matchAt = i;
      break;
    }
  }
  for (let i = lo; i <= matchAt; i++) {
    const x = a[i - aFirst] as Entry;
    const y = b[i - bFirst] as Entry;
    if (x.term !== y.term || dataHash(x.data) !== dataHash(y.data) || x.type !== y.type) {
      throw new InvariantViolation(
        '3 log matching',
        `${aId} and ${bId} agree at ${matchAt} but differ at ${i}`,
      );
    }
  }
}
