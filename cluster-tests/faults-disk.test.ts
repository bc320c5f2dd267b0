/**
 * A manager's disk fills up (its data root is a small tmpfs of its own, see hosts/README.md), checked as
 * a user sees it: the manager's raft cannot persist, so shoald stops and says why (STYLE §9: a
 * supervisor takes the process down instead of answering "raft: node is stopped" forever); the other
 * two managers keep quorum, acknowledge writes and converge the services; once space is freed and
 * shoald started again, the manager catches up and holds every acknowledged write.
 * Raft ticks are 50 ms and dispatcher heartbeats 1 s.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HostCluster } from './hosts/cluster.ts';
import type { Host } from './hosts/host.ts';

const unavailable = HostCluster.unavailable();
if (unavailable) console.log(`faults-disk: skipped: ${unavailable}`);

interface ServiceJson {
  Spec: { Name: string; Mode?: { Replicated?: { Replicas?: number } } };
}

function spec(name: string, replicas: number): Record<string, unknown> {
  return {
    Name: name,
    TaskTemplate: {
      ContainerSpec: { Image: 'busybox', Command: ['sleep', '1003'], StopGracePeriod: 1_000_000_000 },
      Placement: { Constraints: ['node.role==worker'] },
      RestartPolicy: { Delay: 200_000_000 },
    },
    Mode: { Replicated: { Replicas: replicas } },
  };
}

describe.skipIf(unavailable !== undefined)("faults: a manager's disk full", () => {
  let c: HostCluster;
  const t0 = Date.now();
  const since = (): string => `${((Date.now() - t0) / 1000).toFixed(1)} s`;

  beforeAll(async () => {
    c = await HostCluster.start({ managers: 3, workers: 1, tickMs: 50, heartbeatMs: 1000, diskMb: 48 });
    console.log(`cluster ${c.prefix} up at ${since()}`);
  }, 120_000);
  afterAll(async () => {
    await c?.destroy();
  }, 60_000);

  const services = async (via: Host): Promise<Map<string, number>> => {
    const r = await via.api('GET', '/v1.47/services');
    if (r.status !== 200) throw new Error(`services via ${via.name}: ${r.status} ${r.body}`);
    return new Map(r.json<ServiceJson[]>().map((s) => [s.Spec.Name, s.Spec.Mode?.Replicated?.Replicas ?? 0]));
  };
  const running = async (via: Host, name: string): Promise<number> => {
    const q = encodeURIComponent(JSON.stringify({ service: [name], 'desired-state': ['running'] }));
    const r = await via.api('GET', `/v1.47/tasks?filters=${q}`);
    if (r.status !== 200) return -1;
    return r.json<{ Status: { State: string } }[]>().filter((t) => t.Status.State === 'running').length;
  };

  it('the full manager stops saying why; the others carry on; freed and restarted, it catches up', async () => {
    const lead = await c.leader();
    const full = c.managers().find((m) => m !== lead) as Host;
    const acked = new Map<string, number>();
    const write = async (via: Host, name: string, replicas: number): Promise<void> => {
      const r = await via.api('POST', '/v1.47/services/create', spec(name, replicas));
      expect(r.status, r.body).toBe(201);
      acked.set(name, replicas);
    };
    await write(lead, 'before-full', 1);

    c.fillDisk(full);
    // Every write replicates to the full manager, whose raft storage then fails for good.
    for (let i = 0; i < 40 && full.running(); i++) {
      await write(lead, `while-full-${i}`, 1);
      await new Promise((r) => setTimeout(r, 100));
    }
    await c.waitFor(() => !full.running(), `${full.name}'s shoald to stop on its full disk`, 30_000);
    const log = full.tail(200);
    expect(log).toMatch(/raft storage failed: .*(ENOSPC|no space left|IO error)/i);
    expect(log).toContain('shoald is stopping');
    expect(log).toContain(`free space under ${full.dataRoot}`);
    console.log(`${full.name} stopped at ${since()} after ${acked.size} acknowledged writes`);

    // The other two keep quorum: writes are acknowledged and the services converge.
    const after = await c.leader();
    await write(after, 'after-full', 2);
    await c.waitFor(
      async () => (await running(after, 'after-full')) === 2,
      'after-full running its 2 replicas without the full manager',
      60_000,
    );

    c.freeDisk(full);
    await full.start();
    await c.waitFor(
      async () => {
        const have = await services(full);
        return [...acked].every(([name, replicas]) => have.get(name) === replicas);
      },
      `${full.name} to hold every acknowledged write (${acked.size}) after its restart`,
      60_000,
    );
    expect((await c.leaderSeenBy(full))?.name).toBe((await c.leader()).name);
    console.log(`${full.name} caught up at ${since()}`);
  }, 240_000);
});
