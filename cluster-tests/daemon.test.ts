/**
 * shoald processes on loopback, driven through the HTTP API as the CLIs drive them: init, join as
 * manager and worker, a worker refusing manager-only calls, leave refusing the last manager, restart
 * with state from disk, promote and demote with raft membership in step, autolock with unlock, and
 * `--force-new-cluster` bringing back a swarm that lost its quorum for good, with its state.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from './harness.ts';
import { api, ShoaldKit, type DaemonHandle } from './shoald-kit.ts';

interface Info {
  Swarm: {
    NodeID: string;
    LocalNodeState: string;
    ControlAvailable: boolean;
    Managers?: number;
    Nodes?: number;
  };
}
interface NodeJson {
  ID: string;
  Version: { Index: number };
  Spec: { Role: string; Availability: string; Labels?: Record<string, string> };
  Description?: { Hostname?: string };
  Status: { State: string };
  ManagerStatus?: { Leader?: boolean; Reachability: string };
}

const info = async (n: DaemonHandle): Promise<Info> =>
  (await api(n.socket, 'GET', '/v1.47/info')).json<Info>();

describe('shoald: node lifecycle through the API', () => {
  const kit = new ShoaldKit();
  let m1: DaemonHandle, m2: DaemonHandle, m3: DaemonHandle, w1: DaemonHandle;
  let tokens: { Worker: string; Manager: string };

  const nodes = async (via = m1): Promise<NodeJson[]> =>
    (await api(via.socket, 'GET', '/v1.47/nodes')).json<NodeJson[]>();
  const nodeNamed = async (name: string, via = m1): Promise<NodeJson | undefined> =>
    (await nodes(via)).find((x) => x.Description?.Hostname === name);

  beforeAll(async () => {
    [m1, m2, m3, w1] = (await Promise.all(['m1', 'm2', 'm3', 'w1'].map((n) => kit.add(n)))) as [
      DaemonHandle,
      DaemonHandle,
      DaemonHandle,
      DaemonHandle,
    ];
  }, 120_000);
  afterAll(() => kit.destroy(), 120_000);

  it("a new node is inactive and answers manager calls with Docker's 503", async () => {
    expect((await info(m1)).Swarm.LocalNodeState).toBe('inactive');
    const r = await api(m1.socket, 'GET', '/v1.47/services');
    expect(r.status).toBe(503);
    expect(r.headers['content-type']).toBe('application/json');
    expect(r.json<{ message: string }>().message).toContain('This node is not a swarm manager.');
  });

  it('init makes the first manager, with the ingress network', async () => {
    const r = await api(m1.socket, 'POST', '/v1.47/swarm/init', {
      ListenAddr: m1.addr,
      AdvertiseAddr: m1.addr,
      Spec: {},
    });
    expect(r.status, r.body).toBe(200);
    const id = r.json<string>();
    expect(id).toMatch(/^[a-z0-9]{25}$/);
    const i = await info(m1);
    expect(i.Swarm).toMatchObject({ NodeID: id, LocalNodeState: 'active', ControlAvailable: true });
    const nets = (await api(m1.socket, 'GET', '/v1.47/networks')).json<{ Name: string }[]>();
    expect(nets.map((n) => n.Name)).toContain('ingress');
    tokens = (await api(m1.socket, 'GET', '/v1.47/swarm')).json<{ JoinTokens: typeof tokens }>().JoinTokens;
    expect(tokens.Worker).toMatch(/^SWMTKN-1-/);
    const again = await api(m1.socket, 'POST', '/v1.47/swarm/init', { Spec: {} });
    expect(again.status).toBe(503);
    expect(again.json<{ message: string }>().message).toContain('This node is already part of a swarm.');
  }, 60_000);

  it('joins two managers and a worker; the worker refuses manager-only calls', async () => {
    for (const m of [m2, m3]) {
      const r = await api(m.socket, 'POST', '/v1.47/swarm/join', {
        ListenAddr: m.addr,
        AdvertiseAddr: m.addr,
        RemoteAddrs: [m1.addr],
        JoinToken: tokens.Manager,
      });
      expect(r.status, r.body).toBe(200);
      expect((await info(m)).Swarm.ControlAvailable).toBe(true);
    }
    const r = await api(w1.socket, 'POST', '/v1.47/swarm/join', {
      ListenAddr: w1.addr,
      RemoteAddrs: [m1.addr],
      JoinToken: tokens.Worker,
    });
    expect(r.status, r.body).toBe(200);
    const wi = await info(w1);
    expect(wi.Swarm).toMatchObject({ LocalNodeState: 'active', ControlAvailable: false });
    const refused = await api(w1.socket, 'GET', '/v1.47/nodes');
    expect(refused.status).toBe(503);
    expect(refused.json<{ message: string }>().message).toBe(
      "This node is not a swarm manager. Worker nodes can't be used to view or modify cluster state. Please run this command on a manager node or promote the current node to a manager.",
    );
    await eventually(
      async () => {
        const all = await nodes();
        return all.length === 4 && all.every((x) => x.Status.State === 'ready');
      },
      'four ready nodes',
      () => kit.describe(),
      30_000,
    );
    const all = await nodes(m3);
    expect(all.filter((x) => x.Spec.Role === 'manager')).toHaveLength(3);
    expect(all.filter((x) => x.ManagerStatus?.Leader)).toHaveLength(1);
  }, 90_000);

  it('a manager will not leave without --force', async () => {
    const r = await api(m3.socket, 'POST', '/v1.47/swarm/leave');
    expect(r.status).toBe(503);
    expect(r.json<{ message: string }>().message).toContain(
      'You are attempting to leave the swarm on a node that is participating as a manager.',
    );
    expect((await info(m3)).Swarm.LocalNodeState).toBe('active');
  });

  it('a restarted manager and worker come back from disk into the same swarm', async () => {
    const before = (await info(m2)).Swarm.NodeID;
    const created = await api(m1.socket, 'POST', '/v1.47/services/create', {
      Name: 'keep',
      TaskTemplate: { ContainerSpec: { Image: 'busybox', Command: ['sleep', '1000'] } },
      Mode: { Replicated: { Replicas: 1 } },
    });
    expect(created.status, created.body).toBe(201);
    await kit.stop(m2);
    await kit.stop(w1);
    await kit.start(m2);
    await kit.start(w1);
    const i = await info(m2);
    expect(i.Swarm).toMatchObject({ NodeID: before, LocalNodeState: 'active', ControlAvailable: true });
    // Back in raft within a heartbeat or two (until then it answers 503 "no leader is known").
    await eventually(
      async () => (await api(m2.socket, 'GET', '/v1.47/services/keep')).status === 200,
      'the restarted manager to serve the service again',
      () => kit.describe(),
      30_000,
    );
    await eventually(
      async () => (await nodeNamed('w1'))?.Status.State === 'ready',
      'the worker back and ready',
      () => kit.describe(),
      30_000,
    );
  }, 120_000);

  it('promote and demote keep raft membership in step', async () => {
    const w = await nodeNamed('w1');
    if (!w) throw new Error('w1 not listed');
    const up = await api(m1.socket, 'POST', `/v1.47/nodes/${w.ID}/update?version=${w.Version.Index}`, {
      ...w.Spec,
      Role: 'manager',
    });
    expect(up.status, up.body).toBe(200);
    await eventually(
      async () => (await info(w1)).Swarm.ControlAvailable,
      'the promoted node to run a manager',
      () => kit.describe(),
      60_000,
    );
    await eventually(
      async () => (await nodeNamed('w1'))?.ManagerStatus?.Reachability === 'reachable',
      'the promoted node reachable in raft',
      () => kit.describe(),
      30_000,
    );
    expect((await api(w1.socket, 'GET', '/v1.47/services/keep')).status).toBe(200);
    const p = (await nodeNamed('w1')) as NodeJson;
    const down = await api(m1.socket, 'POST', `/v1.47/nodes/${p.ID}/update?version=${p.Version.Index}`, {
      ...p.Spec,
      Role: 'worker',
    });
    expect(down.status, down.body).toBe(200);
    await eventually(
      async () => !(await info(w1)).Swarm.ControlAvailable,
      'the demoted node to stop its manager',
      () => kit.describe(),
      60_000,
    );
    await eventually(
      async () => (await nodeNamed('w1'))?.ManagerStatus === undefined,
      'the demoted node out of raft',
      () => kit.describe(),
      30_000,
    );
    const listed = await nodes();
    expect(listed.filter((x) => x.ManagerStatus)).toHaveLength(3);
  }, 180_000);

  it('autolock: a restarted manager is locked until unlocked with the right key', async () => {
    const sw = (await api(m1.socket, 'GET', '/v1.47/swarm')).json<{
      Version: { Index: number };
      Spec: { EncryptionConfig?: { AutoLockManagers: boolean } } & Record<string, unknown>;
    }>();
    const r = await api(m1.socket, 'POST', `/v1.47/swarm/update?version=${sw.Version.Index}`, {
      ...sw.Spec,
      EncryptionConfig: { AutoLockManagers: true },
    });
    expect(r.status, r.body).toBe(200);
    const key = (await api(m1.socket, 'GET', '/v1.47/swarm/unlockkey')).json<{ UnlockKey: string }>()
      .UnlockKey;
    expect(key).toMatch(/^SWMKEY-1-/);
    // The key file of every manager follows the swarm's setting.
    await new Promise((res) => setTimeout(res, 1500));
    await kit.stop(m3);
    await kit.start(m3);
    expect((await info(m3)).Swarm.LocalNodeState).toBe('locked');
    const locked = await api(m3.socket, 'GET', '/v1.47/services');
    expect(locked.status).toBe(503);
    expect(locked.json<{ message: string }>().message).toContain(
      'Swarm is encrypted and needs to be unlocked',
    );
    // The rest of the swarm serves meanwhile.
    expect((await api(m1.socket, 'GET', '/v1.47/services')).status).toBe(200);
    const wrong = await api(m3.socket, 'POST', '/v1.47/swarm/unlock', {
      UnlockKey: 'SWMKEY-1-' + Buffer.alloc(32, 9).toString('base64').replace(/=+$/, ''),
    });
    expect(wrong.status).toBe(401);
    expect(wrong.json<{ message: string }>().message).toBe(
      'swarm could not be unlocked: invalid key provided',
    );
    const ok = await api(m3.socket, 'POST', '/v1.47/swarm/unlock', { UnlockKey: key });
    expect(ok.status, ok.body).toBe(200);
    expect((await info(m3)).Swarm).toMatchObject({ LocalNodeState: 'active', ControlAvailable: true });
  }, 120_000);

  it('--force-new-cluster brings back a swarm that lost its quorum, with its state', async () => {
    await kit.stop(m2, 'SIGKILL');
    await kit.stop(m3, 'SIGKILL');
    const stuck = await api(m1.socket, 'POST', '/v1.47/secrets/create', { Name: 's', Data: 'eA==' });
    expect(stuck.status).toBeGreaterThanOrEqual(500);
    const r = await api(m1.socket, 'POST', '/v1.47/swarm/init', { ForceNewCluster: true, Spec: {} });
    expect(r.status, r.body).toBe(200);
    await eventually(
      async () => (await api(m1.socket, 'GET', '/v1.47/services/keep')).status === 200,
      'the service to be there after the forced new cluster',
      () => kit.describe(),
      30_000,
    );
    const s = await api(m1.socket, 'POST', '/v1.47/secrets/create', { Name: 'after', Data: 'eA==' });
    expect(s.status, s.body).toBe(201);
  }, 120_000);
});
