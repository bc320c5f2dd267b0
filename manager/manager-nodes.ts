/**
 * Keeps a Node object for every raft member (what `node ls` shows for managers: role manager,
 * MANAGER STATUS Leader/Reachable/Unreachable, the cluster address). Runs on the leader; reconciles on
 * start, on leader changes and every few seconds (reachability comes from raft's progress).
 */
import type { RaftNode } from '../raft/node/index.ts';
import type { Logger } from '../proto/shared/log.ts';
import { silentLogger } from '../proto/shared/log.ts';
import { blank, clone, type MemoryStore } from './store/memory.ts';
import type { Node } from './store/types.ts';

export interface ManagerNodesOptions {
  readonly store: MemoryStore;
  readonly raft: RaftNode;
  readonly intervalMs?: number;
  readonly log?: Logger;
}

export class ManagerNodes {
  private timer: NodeJS.Timeout | undefined;
  private busy = false;
  private readonly log: Logger;

  constructor(private readonly o: ManagerNodesOptions) {
    this.log = (o.log ?? silentLogger()).child({ component: 'manager-nodes' });
  }

  start(): void {
    void this.reconcile();
    this.timer = setInterval(() => void this.reconcile(), this.o.intervalMs ?? 2000);
    this.timer.unref();
  }

  stop(): Promise<void> {
    clearInterval(this.timer);
    return Promise.resolve();
  }

  async reconcile(): Promise<void> {
    if (this.busy || !this.o.raft.isLeader()) return;
    this.busy = true;
    try {
      const st = this.o.raft.status();
      const lead = this.o.raft.leader();
      // a follower the leader is replicating to is reachable; one it is probing is not (yet)
      const reachable = new Set(
        [...st.progress].filter(([, p]) => p.state === 'replicate').map(([id]) => String(id)),
      );
      await this.removeDemoted(st.members.map((m) => m.id));
      await this.o.store.update((tx) => {
        for (const m of st.members) {
          if (this.demoted(m.id)) continue;
          const cur = tx.get('node', m.id);
          const next: Node = cur ? clone(cur) : blank('node');
          next.id = m.id;
          if (!cur) {
            next.spec = {
              name: '',
              labels: {},
              role: 'NODE_ROLE_MANAGER',
              availability: 'AVAILABILITY_ACTIVE',
            };
            next.status = { state: 'STATE_READY', message: '', addr: m.addr.split(':')[0] ?? '' };
          }
          const leader = lead?.id === m.id;
          const reach = leader || reachable.has(m.id) ? 'REACHABILITY_REACHABLE' : 'REACHABILITY_UNREACHABLE';
          const ms = { leader, reachability: reach, addr: m.addr, raftId: m.id } as const;
          const same =
            cur?.managerStatus?.leader === ms.leader &&
            cur.managerStatus.reachability === ms.reachability &&
            cur.managerStatus.addr === ms.addr;
          if (same) continue;
          next.managerStatus = { ...ms };
          if (cur) tx.update('node', next);
          else tx.create('node', next);
        }
      });
    } catch (err) {
      this.log.debug({ err }, 'manager node reconcile failed; retrying');
    } finally {
      this.busy = false;
    }
  }

  /** A raft member whose node the user demoted (its spec says worker). */
  private demoted(id: string): boolean {
    return this.o.store.get('node', id)?.spec?.role === 'NODE_ROLE_WORKER';
  }

  /**
   * Demoted managers leave raft, as swarmkit's role manager does it: the leader hands leadership to
   * another voter first when it is the one demoted, and a removal that would cost the quorum waits.
   * The node's own daemon stops its manager once its certificate says worker.
   */
  private async removeDemoted(members: readonly string[]): Promise<void> {
    const raft = this.o.raft;
    for (const id of members) {
      if (!this.demoted(id)) continue;
      if (raft.leader()?.id === id) {
        const other = members.find((m) => m !== id && !this.demoted(m));
        if (other) raft.transferLeadership(other);
        return;
      }
      if (!raft.canRemoveMember(id)) {
        this.log.warn({ nodeId: id }, 'demoted manager stays in raft for now: removing it would lose quorum');
        continue;
      }
      await raft.removeMember(id);
      this.log.info({ nodeId: id }, 'demoted manager removed from raft');
      await this.o.store.update((tx) => {
        const cur = tx.get('node', id);
        if (!cur?.managerStatus) return;
        const next = clone(cur);
        next.managerStatus = null;
        tx.update('node', next);
      });
    }
  }
}
