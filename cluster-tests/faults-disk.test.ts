/**
 * A manager's disk fills up (its data root is a small tmpfs of its own, see hosts/README.md), checked as
 * a user sees it: the manager's raft cannot persist, so shoald stops and says why (STYLE §9: a
 * supervisor takes the process down instead of answering "raft: node is stopped" forever); the other
 * two managers keep quorum, acknowledge writes and converge the services; once space is freed and
 * shoald started again, the manager catches up and holds every acknowledged write. A corrupted raft
 * record: the manager refuses to start, naming its data root and the damage, and the cluster carries
 * on; removed, wiped and joined again it is a manager with every write. Backup and restore (the
 * README's procedure): a stopped manager's data root copied onto a fresh host and started there with
 * `swarm init --force-new-cluster` brings the swarm back with its services, secrets and networks.
 * Raft ticks are 50 ms and dispatcher heartbeats 1 s.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { servicesOf } from './hosts/api.ts';
import { HostCluster } from './hosts/cluster.ts';
import type { Host } from './hosts/host.ts';
import { addSpareHost } from './hosts/spare.ts';

const unavailable = HostCluster.unavailable();
if (unavailable) console.log(`faults-disk: skipped: ${unavailable}`);

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
        const have = await servicesOf(full);
        return [...acked].every(([name, replicas]) => have.get(name) === replicas);
      },
      `${full.name} to hold every acknowledged write (${acked.size}) after its restart`,
      60_000,
    );
    expect((await c.leaderSeenBy(full))?.name).toBe((await c.leader()).name);
    console.log(`${full.name} caught up at ${since()}`);
  }, 240_000);
  /** Empties a data root (a tmpfs mount point: its contents go, the mount stays). */
  const wipe = (dir: string): void => {
    for (const e of readdirSync(dir)) rmSync(join(dir, e), { recursive: true, force: true });
  };

  it('a corrupted raft record: the manager refuses to start and says why; the rest carry on', async () => {
    const lead = await c.leader();
    const bad = c.managers().find((m) => m !== lead) as Host;
    await bad.stop('SIGTERM');
    const hit = c.corrupt(bad, 'raft');
    expect(hit.length).toBeGreaterThan(0);
    const failed = await bad.start().then(
      () => '',
      (err: unknown) => String(err),
    );
    expect(failed).toMatch(/exited at start/);
    expect(bad.tail(100)).toMatch(/corrupt/i);
    expect(bad.tail(100)).toContain(join(bad.dataRoot, 'raft'));
    expect(bad.running()).toBe(false);

    // The other two carry on.
    const r = await lead.api('POST', '/v1.47/services/create', spec('after-corruption', 1));
    expect(r.status, r.body).toBe(201);

    // Recovery: remove the broken manager from the swarm, wipe its data root, join it again.
    const nodes = (await lead.api('GET', '/v1.47/nodes')).json<
      { ID: string; Description?: { Hostname?: string } }[]
    >();
    const id = nodes.find((n) => n.Description?.Hostname === bad.name)?.ID ?? '';
    const node = (await lead.api('GET', `/v1.47/nodes/${id}`)).json<{
      Version: { Index: number };
      Spec: Record<string, unknown>;
    }>();
    const demote = await lead.api('POST', `/v1.47/nodes/${id}/update?version=${node.Version.Index}`, {
      ...node.Spec,
      Role: 'worker',
    });
    expect(demote.status, demote.body).toBe(200);
    await c.waitFor(
      async () => (await lead.api('DELETE', `/v1.47/nodes/${id}?force=1`)).status === 200,
      `the broken manager ${id} removed`,
      30_000,
    );
    wipe(bad.dataRoot);
    await bad.start();
    const tokens = (await lead.api('GET', '/v1.47/swarm')).json<{ JoinTokens: { Manager: string } }>();
    const joined = await bad.api('POST', '/v1.47/swarm/join', {
      ListenAddr: bad.addr,
      AdvertiseAddr: bad.addr,
      RemoteAddrs: [lead.addr],
      JoinToken: tokens.JoinTokens.Manager,
    });
    expect(joined.status, joined.body).toBe(200);
    await c.waitFor(
      async () =>
        (await servicesOf(bad)).has('after-corruption') && (await c.leaderSeenBy(bad)) !== undefined,
      `${bad.name} a manager again, holding every write`,
      60_000,
    );
    console.log(`corruption recovered at ${since()}`);
  }, 180_000);

  it('backup and restore: a copied data root started on a fresh host with --force-new-cluster', async () => {
    const lead = await c.leader();
    const sec = await lead.api('POST', '/v1.47/secrets/create', {
      Name: 'backed-up',
      Data: Buffer.from('s3cret').toString('base64'),
    });
    expect(sec.status, sec.body).toBe(201);
    const net = await lead.api('POST', '/v1.47/networks/create', { Name: 'backed-net', Driver: 'overlay' });
    expect(net.status, net.body).toBe(201);
    const svc = await lead.api('POST', '/v1.47/services/create', spec('backed-svc', 1));
    expect(svc.status, svc.body).toBe(201);
    const src = c.managers().find((m) => m !== lead) as Host;
    await c.waitFor(
      async () => (await servicesOf(src)).has('backed-svc'),
      `${src.name} holding the writes`,
      30_000,
    );

    // Back up: stop shoald, copy the data root, start it again.
    await src.stop('SIGTERM');
    const backup = mkdtempSync(join(tmpdir(), 'shoal-backup-'));
    try {
      execFileSync('cp', ['-a', `${src.dataRoot}/.`, backup]);
      await src.start();

      // Restore onto a fresh host: its shoald stopped, the copy in its data root, then forced.
      const fresh = await addSpareHost(c, 9, 'manager');
      await fresh.stop('SIGTERM');
      wipe(fresh.dataRoot);
      execFileSync('cp', ['-a', `${backup}/.`, fresh.dataRoot]);
      await fresh.start();
      const forced = await fresh.api('POST', '/v1.47/swarm/init', {
        ForceNewCluster: true,
        ListenAddr: fresh.addr,
        AdvertiseAddr: fresh.addr,
      });
      expect(forced.status, forced.body).toBe(200);
      await c.waitFor(
        async () => {
          const have = await servicesOf(fresh);
          const secrets = (await fresh.api('GET', '/v1.47/secrets')).json<{ Spec: { Name: string } }[]>();
          const nets = (await fresh.api('GET', '/v1.47/networks')).json<{ Name: string }[]>();
          return (
            have.has('backed-svc') &&
            have.has('before-full') &&
            secrets.some((x) => x.Spec.Name === 'backed-up') &&
            nets.some((n) => n.Name === 'backed-net')
          );
        },
        'the restored swarm with its services, secrets and networks',
        60_000,
      );
      console.log(`restored at ${since()}`);
    } finally {
      rmSync(backup, { recursive: true, force: true });
    }
  }, 180_000);
});
