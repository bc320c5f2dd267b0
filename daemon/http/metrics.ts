/**
 * `GET /metrics` in Prometheus text format (prom-client, one registry per server): raft term,
 * leadership, commit and applied index, members; tasks by state; and two latencies observed from the
 * store's committed changes on this manager — scheduling (task created → ASSIGNED, allocator included)
 * and dispatch (ASSIGNED → the agent's first report, i.e. assignment delivered and acknowledged).
 */
import type { FastifyInstance, FastifyPluginAsync } from 'fastify';
import { Gauge, Histogram, Registry } from 'prom-client';
import type { MemoryStore } from '../../manager/store/memory.ts';
import type { StoreEvent, Task } from '../../manager/store/types.ts';
import type { DaemonBackend } from '../backend.ts';

const BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

function ms(
  ts: { seconds?: number | string | null; nanos?: number | null } | null | undefined,
): number | undefined {
  if (!ts) return undefined;
  return Number(ts.seconds ?? 0) * 1000 + Number(ts.nanos ?? 0) / 1e6;
}

export interface ShoalMetrics {
  readonly registry: Registry;
  /** Follows a store's commits (call again when the manager changes). */
  watch(store: MemoryStore | undefined): void;
}

export function shoalMetrics(backend: DaemonBackend): ShoalMetrics {
  const registry = new Registry();
  const raft = (): ReturnType<DaemonBackend['raftMetrics']> => backend.raftMetrics();
  const gauge = (name: string, help: string, read: () => number | undefined): void => {
    new Gauge({
      name,
      help,
      registers: [registry],
      collect() {
        const v = read();
        if (v !== undefined) this.set(v);
      },
    });
  };
  gauge('shoal_raft_term', 'Current raft term on this manager.', () => raft()?.term);
  gauge('shoal_raft_is_leader', '1 when this manager is the raft leader.', () =>
    raft() ? (raft()?.isLeader ? 1 : 0) : undefined,
  );
  gauge('shoal_raft_commit_index', 'Raft commit index on this manager.', () => raft()?.commitIndex);
  gauge(
    'shoal_raft_applied_index',
    'Raft index applied to the store on this manager.',
    () => raft()?.appliedIndex,
  );
  gauge('shoal_raft_members', 'Raft members (managers) this manager knows.', () => raft()?.members);
  new Gauge({
    name: 'shoal_raft_leader',
    help: '1 for the raft leader this manager follows, labelled by node ID.',
    labelNames: ['node_id'],
    registers: [registry],
    collect() {
      this.reset();
      const id = raft()?.leaderId;
      if (id) this.set({ node_id: id }, 1);
    },
  });
  new Gauge({
    name: 'shoal_tasks',
    help: 'Tasks in the store by observed state.',
    labelNames: ['state'],
    registers: [registry],
    collect() {
      this.reset();
      const store = backend.store();
      if (!store) return;
      const counts = new Map<string, number>();
      for (const t of store.find('task')) {
        const s = (t.status?.state ?? 'TASK_STATE_NEW').replace('TASK_STATE_', '').toLowerCase();
        counts.set(s, (counts.get(s) ?? 0) + 1);
      }
      for (const [state, n] of counts) this.set({ state }, n);
    },
  });
  const scheduling = new Histogram({
    name: 'shoal_scheduler_latency_seconds',
    help: 'From task creation to ASSIGNED, as committed on this manager.',
    buckets: BUCKETS,
    registers: [registry],
  });
  const dispatch = new Histogram({
    name: 'shoal_dispatcher_latency_seconds',
    help: "From ASSIGNED to the agent's first status report, as committed on this manager.",
    buckets: BUCKETS,
    registers: [registry],
  });
  let watched: MemoryStore | undefined;
  const onEvent = (e: StoreEvent): void => {
    if (e.kind !== 'task' || e.action !== 'update' || !e.old) return;
    const before = (e.old as Task).status?.state;
    const now = (e.object as Task).status;
    if (before !== 'TASK_STATE_ASSIGNED' && now?.state === 'TASK_STATE_ASSIGNED') {
      const created = ms((e.object as Task).createdAt);
      if (created !== undefined) scheduling.observe(Math.max(0, Date.now() - created) / 1000);
    } else if (before === 'TASK_STATE_ASSIGNED' && now?.state !== 'TASK_STATE_ASSIGNED') {
      const assigned = ms((e.old as Task).status?.timestamp ?? null);
      if (assigned !== undefined) dispatch.observe(Math.max(0, Date.now() - assigned) / 1000);
    }
  };
  return {
    registry,
    watch(store) {
      if (store === watched) return;
      watched?.events.off('event', onEvent);
      watched = store;
      store?.events.on('event', onEvent);
    },
  };
}

export function metricsPlugin(backend: DaemonBackend): FastifyPluginAsync {
  return async (app: FastifyInstance): Promise<void> => {
    const m = shoalMetrics(backend);
    const timer = setInterval(() => m.watch(backend.store()), 500);
    timer.unref();
    m.watch(backend.store());
    app.addHook('onClose', async () => {
      clearInterval(timer);
      m.watch(undefined);
    });
    app.get('/metrics', async (_req, reply) => {
      m.watch(backend.store());
      const text = await m.registry.metrics();
      return reply
        .code(200)
        .header('content-type', m.registry.contentType)
        .header('content-length', Buffer.byteLength(text))
        .send(text);
    });
  };
}
