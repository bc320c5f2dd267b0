/**
 * Forcing a new cluster (etcd's and swarmkit's `--force-new-cluster`): recovering from a quorum lost
 * for good by rewriting one member's persisted state into a one-member cluster that keeps everything
 * committed. Pure: it reads a Storage and returns what the driver must persist before it builds the
 * RawNode; applied that way, the core restarts as the only voter with all committed data.
 */
import { NoClusterStateError } from './errors.ts';
import type { Storage } from './storage.ts';
import {
  decodeConfChange,
  encodeConfChange,
  type ConfChange,
  type ConfState,
  type Entry,
  type HardState,
  type LogIndex,
  type NodeId,
} from './types.ts';

/** What forceNewCluster asks the driver to persist, and what it decided. */
export interface ForcedCluster {
  /**
   * Entries from `commit + 1`: an addNode for this node, then a removeNode for every other member.
   * Saved with the storage's append semantics they replace every uncommitted entry.
   */
  readonly entries: readonly Entry[];
  /** A term past every term this node has seen, no vote, and commit at the last of `entries`. */
  readonly hardState: HardState;
  /** The membership as of the persisted commit index, before the change. */
  readonly previous: ConfState;
  /** Every other member (voter or learner) the entries remove, sorted. */
  readonly removed: readonly NodeId[];
  /** How many entries after the commit index were discarded (never known committed here). */
  readonly discarded: number;
}

/**
 * The membership as of `upTo`: the snapshot's configuration, then every confChange entry after the
 * snapshot up to and including `upTo`, in log order.
 */
export function confStateAt(storage: Storage, upTo: LogIndex): ConfState {
  const snap = storage.snapshot().meta;
  const voters = new Set<NodeId>(snap.confState.voters);
  const learners = new Set<NodeId>(snap.confState.learners);
  const lo = Math.max(snap.index + 1, storage.firstIndex());
  const entries = upTo >= lo ? storage.entries(lo, upTo + 1, Infinity) : [];
  for (const e of entries) {
    if (e.type !== 'confChange') continue;
    const cc = decodeConfChange(e.data);
    switch (cc.type) {
      case 'addNode':
        learners.delete(cc.nodeId);
        voters.add(cc.nodeId);
        break;
      case 'addLearner':
        if (!voters.has(cc.nodeId)) learners.add(cc.nodeId);
        break;
      case 'removeNode':
        voters.delete(cc.nodeId);
        learners.delete(cc.nodeId);
        break;
    }
  }
  return { voters: [...voters].sort(), learners: [...learners].sort() };
}

/**
 * Rewrites a member's persisted state into a one-member cluster of `self`, keeping everything up to
 * the persisted commit index. Entries after it are dropped: no quorum was ever known to hold them
 * (an entry a lost quorum did commit but this node never learned was committed is dropped too, as in
 * etcd). The change itself is written as committed confChange entries of a new term, so it is in the
 * log (replayed on every restart, shipped in snapshots) like any membership change, and a normal
 * restart afterwards stays a one-member cluster.
 *
 * `context` is this node's confChange context (its address), recorded with its addNode entry.
 * Throws NoClusterStateError when the storage holds no committed state. The caller must persist
 * `entries` and `hardState` in one synced write before building the RawNode, and must then apply
 * committed entries from its snapshot as on any restart.
 */
export function forceNewCluster(storage: Storage, self: NodeId, context?: Uint8Array): ForcedCluster {
  const { hardState } = storage.initialState();
  const snapIndex = storage.snapshot().meta.index;
  const commit = Math.max(hardState.commit, snapIndex);
  if (commit === 0) throw new NoClusterStateError();
  const previous = confStateAt(storage, commit);
  const removed = [...previous.voters, ...previous.learners].filter((id) => id !== self).sort();
  const term = Math.max(hardState.term, storage.term(storage.lastIndex())) + 1;
  const changes: ConfChange[] = [
    { type: 'addNode', nodeId: self, ...(context ? { context } : {}) },
    ...removed.map((id): ConfChange => ({ type: 'removeNode', nodeId: id })),
  ];
  const entries: Entry[] = changes.map((cc, i) => ({
    term,
    index: commit + 1 + i,
    type: 'confChange',
    data: encodeConfChange(cc),
  }));
  return {
    entries,
    hardState: { term, vote: null, commit: commit + entries.length },
    previous,
    removed,
    discarded: Math.max(0, storage.lastIndex() - commit),
  };
}
