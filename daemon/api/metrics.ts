/**
 * `GET /metrics`: Prometheus text with a registry per API instance (never prom-client's global one):
 * raft figures, tasks by state, and the scheduler's and dispatcher's latency histograms fed by
 * manager/metrics.ts.
 */
import type { FastifyPluginAsync } from 'fastify';
import { Gauge, Histogram, Registry } from 'prom-client';
import { onLatency, type LatencyName } from '../../manager/metrics.ts';
import { observed } from '../../manager/orchestrator/common.ts';
import type { DaemonBackend } from '../backend.ts';

const LATENCY_BUCKETS_S = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

/** Docker-style lowercase task state names (`TASK_STATE_RUNNING` → `running`). */
function stateName(s: string): string {
  return s.replace(/^TASK_STATE_/, '').toLowerCase();
}

/** The registry behind one API's `/metrics`; `close()` detaches it from the manager's hooks. */
export function apiMetrics(backend: DaemonBackend): { registry: Registry; close: () => void } {
  const registry = new Registry();
  const raftGauge = (
    name: string,
    help: string,
    read: (m: NonNullable<ReturnType<DaemonBackend['raftMetrics']>>) => number,
  ): void => {
    new Gauge({
      name,
      help,
      registers: [registry],
      collect() {
        const m = backend.raftMetrics();
        this.reset();
        if (m) this.set(read(m));
      },
    });
  };
  raftGauge('shoal_raft_term', 'Current raft term of this manager.', (m) => m.term);
  raftGauge('shoal_raft_is_leader', '1 when this manager is the raft leader.', (m) => (m.isLeader ? 1 : 0));
  raftGauge('shoal_raft_commit_index', 'Highest raft log index known committed.', (m) => m.commitIndex);
  raftGauge(
    'shoal_raft_applied_index',
    'Highest raft log index applied to the store.',
    (m) => m.appliedIndex,
  );
  raftGauge('shoal_raft_members', 'Managers in the raft membership.', (m) => m.members);
  new Gauge({
    name: 'shoal_tasks',
    help: 'Tasks in the store by observed state (managers only).',
    labelNames: ['state'],
    registers: [registry],
    collect() {
      this.reset();
      const store = backend.store();
      if (!store) return;
      const counts = new Map<string, number>();
      for (const t of store.find('task')) {
        const s = stateName(observed(t));
        counts.set(s, (counts.get(s) ?? 0) + 1);
      }
      for (const [state, n] of counts) this.set({ state }, n);
    },
  });
  const histograms: Record<LatencyName, Histogram> = {
    scheduling: new Histogram({
      name: 'shoal_scheduler_latency_seconds',
      help: 'Time from task creation until the scheduler assigned it to a node.',
      buckets: LATENCY_BUCKETS_S,
      registers: [registry],
    }),
    dispatcherStatusUpdate: new Histogram({
      name: 'shoal_dispatcher_status_update_seconds',
      help: 'Time for the dispatcher to commit one agent status update batch.',
      buckets: LATENCY_BUCKETS_S,
      registers: [registry],
    }),
  };
  const close = onLatency((name, seconds) => histograms[name].observe(seconds));
  return { registry, close };
}

/** The metrics route. */
export function metricsPlugin(backend: DaemonBackend): FastifyPluginAsync {
  return (app) => {
    const { registry, close } = apiMetrics(backend);
    app.addHook('onClose', (_app, done) => {
      close();
      done();
    });
    app.get('/metrics', async (_req, reply) => {
      const text = await registry.metrics();
      return reply.code(200).header('content-type', registry.contentType).send(text);
    });
    return Promise.resolve();
  };
}
