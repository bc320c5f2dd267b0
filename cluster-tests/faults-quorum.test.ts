/**
 * Leader and quorum faults on a swarm of hosts (network namespaces, one shoald each, see
 * hosts/README.md), checked as a user sees them:
 * (1) the leader SIGKILLed in the middle of a rolling update: a new leader finishes the update, every
 *     task runs the new spec, one RUNNING task per slot; the killed manager, restarted, follows and
 *     holds the same state;
 * (2) quorum lost (two of three managers killed): the survivor and the shoal CLI answer with a clear
 *     error naming the lost leader/quorum; the workers' tasks keep running; with the managers back the
 *     swarm serves again with every acknowledged write;
 * (3) quorum lost for good: `shoal swarm init --force-new-cluster` on the survivor brings back its
 *     services, secrets and networks; the tasks reconverge and new writes are served.
 * Raft ticks are 50 ms and dispatcher heartbeats 1 s.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { servicesOf, shoalCli, tasksOf, type TaskJson } from './hosts/api.ts';
import { HostCluster } from './hosts/cluster.ts';
import type { Host } from './hosts/host.ts';

const unavailable = HostCluster.unavailable();
if (unavailable) console.log(`faults-quorum: skipped: ${unavailable}`);

const SECRET_DATA = Buffer.from('quorum-secret').toString('base64');

function webSpec(generation: number, replicas: number): Record<string, unknown> {
  return {
    Name: 'web',
    TaskTemplate: {
      ContainerSpec: {
        Image: 'busybox',
        Command: ['sleep', '1004'],
        Env: [`GEN=${generation}`],
        StopGracePeriod: 500_000_000,
      },
      Placement: { Constraints: ['node.role==worker'] },
      RestartPolicy: { Delay: 200_000_000 },
    },
    Mode: { Replicated: { Replicas: replicas } },
    // One task at a time with a pause: the update is still going when the leader dies.
    UpdateConfig: { Parallelism: 1, Delay: 700_000_000, FailureAction: 'pause', Order: 'stop-first' },
  };
}

describe.skipIf(unavailable !== undefined)('faults: leader and quorum', () => {
  let c: HostCluster;
  const t0 = Date.now();
  const since = (): string => `${((Date.now() - t0) / 1000).toFixed(1)} s`;
  /** Services whose creation or last update was acknowledged, with their replicas. */
  const acked = new Map<string, number>();

  beforeAll(async () => {
    c = await HostCluster.start({ managers: 3, workers: 2, tickMs: 50, heartbeatMs: 1000 });
    console.log(`cluster ${c.prefix} up at ${since()}`);
  }, 120_000);
  afterAll(async () => {
    await c?.destroy();
  }, 60_000);

  const runningTasks = async (via: Host, service: string): Promise<TaskJson[]> =>
    (await tasksOf(via, service)).filter((t) => t.Status.State === 'running');
  /** Replicas converged on `gen`, one RUNNING task per slot, nothing running on another spec. */
  const converged = async (via: Host, replicas: number, gen: number): Promise<boolean> => {
    const run = await runningTasks(via, 'web');
    const slots = new Set(run.map((t) => t.Slot));
    return (
      run.length === replicas &&
      slots.size === replicas &&
      run.every((t) => t.Spec.ContainerSpec?.Env?.includes(`GEN=${gen}`) === true)
    );
  };
  const holdsAcked = async (via: Host): Promise<boolean> => {
    const have = await servicesOf(via);
    return [...acked].every(([n, r]) => have.get(n) === r);
  };

  it('(1) the leader SIGKILLed mid rolling update: a new leader finishes it; the old one follows', async () => {
    const lead = await c.leader();
    const sec = await lead.api('POST', '/v1.47/secrets/create', { Name: 'quorum-key', Data: SECRET_DATA });
    expect(sec.status, sec.body).toBe(201);
    const net = await lead.api('POST', '/v1.47/networks/create', { Name: 'quorum-net', Driver: 'overlay' });
    expect(net.status, net.body).toBe(201);
    const created = await lead.api('POST', '/v1.47/services/create', webSpec(1, 4));
    expect(created.status, created.body).toBe(201);
    acked.set('web', 4);
    await c.waitFor(() => converged(lead, 4, 1), 'web: 4 replicas on generation 1', 60_000);

    const svc = (await lead.api('GET', '/v1.47/services/web')).json<{ Version: { Index: number } }>();
    const up = await lead.api(
      'POST',
      `/v1.47/services/web/update?version=${svc.Version.Index}`,
      webSpec(2, 4),
    );
    expect(up.status, up.body).toBe(200);
    // Mid-way: at least one task replaced, not all.
    await c.waitFor(
      async () => (await runningTasks(lead, 'web')).some((t) => t.Spec.ContainerSpec?.Env?.includes('GEN=2')),
      'the rolling update to replace a first task',
      30_000,
    );
    expect(await converged(lead, 4, 2)).toBe(false);
    const killedAt = Date.now();
    await c.kill(lead);
    const others = c.managers().filter((m) => m !== lead);
    let next: Host | undefined;
    await c.waitFor(
      async () => {
        next = await c.leader();
        return next !== lead;
      },
      'a new leader after the SIGKILL',
      30_000,
    );
    console.log(`(1) new leader ${next?.name} ${Date.now() - killedAt} ms after the SIGKILL`);
    const nl = next as Host;
    await c.waitFor(
      () => converged(nl, 4, 2),
      'the update finished by the new leader: 4 on generation 2',
      90_000,
    );
    for (let i = 0; i < 3; i++) {
      expect(await converged(nl, 4, 2)).toBe(true);
      await new Promise((r) => setTimeout(r, 300));
    }
    for (const m of others) expect(await holdsAcked(m)).toBe(true);

    await lead.start();
    await c.waitFor(
      async () => (await c.leaderSeenBy(lead))?.name === nl.name && (await holdsAcked(lead)),
      `${lead.name} back as a follower with the same state`,
      60_000,
    );
    expect(await converged(lead, 4, 2)).toBe(true);
    console.log(`(1) done at ${since()}`);
  }, 240_000);

  it('(2) quorum lost: clear errors from the survivor and the CLI, tasks keep running; back, it serves', async () => {
    let lead: Host | undefined;
    await c.waitFor(
      async () => {
        lead = await c.leader();
        return true;
      },
      'a leader agreed by a majority',
      30_000,
    );

    const [survivor, ...gone] = c.managers();
    const s = survivor as Host;
    const before = (await runningTasks(lead as Host, 'web')).map((t) => t.ID).sort();
    expect(before).toHaveLength(4);
    for (const m of gone) await c.kill(m);

    await c.waitFor(
      async () => (await s.api('POST', '/v1.47/services/create', webSpec(1, 1))).status === 503,
      `${s.name} refusing writes without quorum`,
      30_000,
    );
    const write = await s.api('POST', '/v1.47/services/create', { ...webSpec(1, 1), Name: 'no-quorum' });
    expect(write.status).toBe(503);
    expect(write.json<{ message: string }>().message).toMatch(/leader|quorum/i);
    const ls = await shoalCli(s, ['service', 'ls']);
    expect(ls.code).not.toBe(0);
    expect(ls.out).toMatch(/leader|quorum/i);
    const nodes = await shoalCli(s, ['node', 'ls']);
    expect(nodes.code).not.toBe(0);
    expect(nodes.out).toMatch(/leader|quorum/i);
    // The workers' tasks are not touched while the managers are gone.
    const procs = c
      .workers()
      .flatMap((w) => c.processes(w))
      .filter((p) => p.cmd.includes('1004'));
    expect(procs).toHaveLength(4);

    for (const m of gone) await m.start();
    let back: Host | undefined;
    await c.waitFor(
      async () => {
        back = await c.leader();
        return true;
      },
      'a leader again',
      60_000,
    );
    const b = back as Host;
    const more = await b.api('POST', '/v1.47/services/create', { ...webSpec(1, 1), Name: 'after-quorum' });
    expect(more.status, more.body).toBe(201);
    acked.set('after-quorum', 1);
    for (const m of c.managers())
      await c.waitFor(() => holdsAcked(m), `${m.name} holding every write`, 60_000);
    expect((await runningTasks(b, 'web')).map((t) => t.ID).sort()).toEqual(before);
    console.log(`(2) done at ${since()}`);
  }, 240_000);

  it('(3) quorum lost for good: --force-new-cluster brings the swarm back and serves writes', async () => {
    // The survivor is the last leader: a follower may not yet know that the newest entries were
    // committed, and forcing keeps only what the survivor knows committed (as etcd and Swarm do), so
    // the operator forces on the most up-to-date manager (README, Backup and restore).
    const s = await c.leader();
    const gone = c.managers().filter((m) => m !== s);
    for (const m of gone) await c.kill(m);
    await c.waitFor(
      async () => (await s.api('GET', '/v1.47/services')).status === 503,
      `${s.name} without quorum`,
      30_000,
    );
    const forced = await shoalCli(s, ['swarm', 'init', '--force-new-cluster']);
    expect(forced.code, forced.out).toBe(0);
    await c.waitFor(
      async () => (await c.leaderSeenBy(s))?.name === s.name,
      `${s.name} leading alone`,
      60_000,
    );
    await c.waitFor(() => holdsAcked(s), `${s.name} holding every acknowledged write after forcing`, 30_000);
    const secrets = (await s.api('GET', '/v1.47/secrets')).json<{ Spec: { Name: string } }[]>();
    expect(secrets.map((x) => x.Spec.Name)).toContain('quorum-key');
    const nets = (await s.api('GET', '/v1.47/networks')).json<{ Name: string }[]>();
    expect(nets.map((n) => n.Name)).toContain('quorum-net');
    await c.waitFor(() => converged(s, 4, 2), 'web reconverged under the forced cluster', 90_000);

    const after = await s.api('POST', '/v1.47/services/create', { ...webSpec(1, 1), Name: 'after-force' });
    expect(after.status, after.body).toBe(201);
    acked.set('after-force', 1);
    await c.waitFor(
      async () => (await runningTasks(s, 'after-force')).length === 1,
      'a service created after forcing runs',
      60_000,
    );
    console.log(`(3) done at ${since()}`);
  }, 240_000);
});
