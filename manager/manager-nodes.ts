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
      await this.o.store.update((tx) => {
        for (const m of st.members) {
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
          } else if (next.spec) next.spec.role = 'NODE_ROLE_MANAGER';
          const leader = lead?.id === m.id;
          const reach = leader || reachable.has(m.id) ? 'REACHABILITY_REACHABLE' : 'REACHABILITY_UNREACHABLE';
          const ms = { leader, reachability: reach, addr: m.addr, raftId: m.id } as const;
          const same =
            cur?.managerStatus?.leader === ms.leader &&
            cur.managerStatus.reachability === ms.reachability &&
            cur.managerStatus.addr === ms.addr &&
            cur.spec?.role === 'NODE_ROLE_MANAGER';
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
}
