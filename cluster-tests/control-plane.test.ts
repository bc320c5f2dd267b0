/**
 * The control plane end to end, in one process: real managers (raft over mutual TLS, the control
 * plane on the leader) and fake agents that joined with the worker token and speak the dispatcher
 * protocol over gRPC. What a user sees: services converge to their replicas on the agents, scale both
 * ways, global services follow nodes, a constrained task says why it is pending and is placed as soon
 * as a node fits, secrets reach only nodes running a task that uses them, a down node's tasks move,
 * rolling updates complete or roll back, and an update survives the death of the leader.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { joinSwarm } from '../ca/client.ts';
import { CertificateDir } from '../ca/keyfile.ts';
import { CLUSTER_CHANNEL_OPTIONS, NodeTlsCredentials } from '../ca/tls.ts';
import { controlPlane, controlServices } from '../manager/controlplane.ts';
import type { ControlService } from '../manager/controlapi/rpc.ts';
import { FakeAgent, type Behaviour } from '../manager/dispatcher/fake-agent.ts';
import { Manager } from '../manager/manager.ts';
import type { Service, Task } from '../manager/store/types.ts';
import { eventually, freePort } from './harness.ts';

const HEARTBEAT_MS = 300;

interface Agent {
  readonly name: string;
  readonly nodeId: string;
  readonly agent: FakeAgent;
}

class Swarm {
  readonly root = mkdtempSync(join(tmpdir(), 'shoal-cp-'));
  readonly managers: Manager[] = [];
  readonly agents: Agent[] = [];
  private n = 0;
  /** Decides how agents run tasks: by image. */
  behaviour: (t: Task) => Behaviour = () => 'run';

  private async opts(): Promise<{ dataRoot: string; addr: string }> {
    return { dataRoot: join(this.root, `m${this.n++}`), addr: `127.0.0.1:${await freePort()}` };
  }

  private common() {
    return {
      tickMs: 50,
      leader: controlPlane({ heartbeatPeriodMs: HEARTBEAT_MS }),
      control: controlServices,
    };
  }

  async init(): Promise<Manager> {
    const m = await Manager.init({ ...(await this.opts()), ...this.common() });
    this.managers.push(m);
    await eventually(() => m.leading, 'the control plane on the first manager');
    return m;
  }

  async joinManager(): Promise<Manager> {
    const via = this.leader();
    const m = await Manager.join({
      ...(await this.opts()),
      ...this.common(),
      remoteAddr: via.addr,
      token: via.ca.state.joinTokens.manager,
    });
    this.managers.push(m);
    return m;
  }

  leader(): Manager {
    const l = this.managers.find((m) => m.isLeader() && m.leading);
    if (!l) throw new Error('no leader with its control plane running');
    return l;
  }

  async waitLeader(): Promise<Manager> {
    await eventually(
      () => this.managers.some((m) => m.isLeader() && m.leading),
      'a leader running the control plane',
    );
    return this.leader();
  }

  control(m: Manager = this.leader()): ControlService {
    if (!m.control) throw new Error('no control API');
    return m.control;
  }

  async addAgent(name: string, labels: Record<string, string> = {}): Promise<Agent> {
    const leader = await this.waitLeader();
    const dir = new CertificateDir(join(this.root, name, 'certificates'));
    const joined = await joinSwarm({ addr: leader.addr, token: leader.ca.state.joinTokens.worker, dir });
    const creds = new NodeTlsCredentials(
      { rootPem: joined.rootPem, certPem: joined.certPem, keyPem: joined.keyPem },
      joined.identity.clusterId,
    );
    const agent = new FakeAgent({
      addr: leader.addr,
      credentials: creds.client(),
      channelOptions: CLUSTER_CHANNEL_OPTIONS,
      description: {
        hostname: name,
        platform: { os: 'linux', architecture: 'x86_64' },
        resources: { nanoCpus: 4e9, memoryBytes: 8 * 2 ** 30, generic: [] },
        engine: { engineVersion: 'fake', labels: {}, plugins: [] },
        tlsInfo: null,
        csiInfo: [],
      } as never,
      behaviour: (t) => this.behaviour(t),
    });
    const a = { name, nodeId: joined.identity.nodeId, agent };
    this.agents.push(a);
    await eventually(
      () => this.leader().store.get('node', a.nodeId)?.status?.state === 'STATE_READY',
      `node ${name} READY`,
    );
    if (Object.keys(labels).length > 0) await this.setNode(a.nodeId, { labels });
    return a;
  }

  async setNode(
    nodeId: string,
    change: { labels?: Record<string, string>; availability?: string },
  ): Promise<void> {
    await eventually(async () => {
      const node = this.leader().store.get('node', nodeId);
      if (!node?.spec) return false;
      const spec = { ...node.spec, ...change } as typeof node.spec;
      return this.control()
        .updateNode({ nodeId, nodeVersion: node.version, spec })
        .then(() => true)
        .catch(() => false); // out of sequence while the dispatcher writes status: retry
    }, `update of node ${nodeId}`);
  }

  tasks(serviceId: string): Task[] {
    return this.leader().store.find('task', { serviceId });
  }

  /** Tasks of the service running on agents, per the agents themselves. */
  runningOnAgents(serviceId: string): { agent: string; task: Task }[] {
    return this.agents.flatMap((a) =>
      a.agent
        .running()
        .filter((t) => t.serviceId === serviceId)
        .map((task) => ({ agent: a.name, task })),
    );
  }

  async converged(serviceId: string, n: number, what: string): Promise<void> {
    await eventually(
      () => {
        const svc = this.leader().store.get('service', serviceId);
        const running = this.runningOnAgents(serviceId).filter(
          (r) => r.task.specVersion === svc?.specVersion,
        );
        const slots = running.map((r) => r.task.slot || r.task.nodeId);
        return running.length === n && new Set(slots).size === n;
      },
      what,
      () => this.describe(serviceId),
      30_000,
    );
  }

  describe(serviceId: string): string {
    return this.tasks(serviceId)
      .map(
        (t) =>
          `${t.slot}/${t.nodeId.slice(0, 5)} v${t.specVersion} desired=${t.desiredState} observed=${t.status?.state ?? ''} ${t.status?.message ?? ''}`,
      )
      .join('\n');
  }

  async destroy(): Promise<void> {
    for (const a of this.agents) await a.agent.stop();
    await Promise.all(this.managers.map((m) => m.stop().catch(() => undefined)));
    rmSync(this.root, { recursive: true, force: true });
  }
}

function spec(
  name: string,
  o: { replicas?: number; global?: boolean; image?: string } = {},
): Record<string, unknown> {
  return {
    name,
    taskTemplate: {
      containerSpec: { image: o.image ?? 'busybox:latest', args: ['sleep', '3600'] },
      restartPolicy: { condition: 'RESTART_CONDITION_ANY', delay: 100_000_000 },
    },
    mode: o.global ? { global: {} } : { replicated: { replicas: o.replicas ?? 1 } },
    updateConfig: { parallelism: 1, delay: 0, monitor: 200_000_000, failureAction: 'FAILURE_ACTION_PAUSE' },
  };
}

async function create(s: Swarm, body: Record<string, unknown>): Promise<Service> {
  const res = (await s.control().createService({ spec: body })) as { service: Service };
  return res.service;
}

async function update(s: Swarm, id: string, change: (spec: Record<string, unknown>) => void): Promise<void> {
  await eventually(async () => {
    const cur = s.leader().store.get('service', id);
    if (!cur?.spec) return false;
    const next = structuredClone(cur.spec) as unknown as Record<string, unknown>;
    change(next);
    return s
      .control()
      .updateService({ serviceId: id, serviceVersion: cur.version, spec: next })
      .then(() => true)
      .catch((err: unknown) => {
        if (String(err).includes('out of sequence')) return false;
        throw err;
      });
  }, `update of service ${id}`);
}

describe('control plane, one manager and fake agents', () => {
  const s = new Swarm();

  beforeAll(async () => {
    const m = await s.init();
    // the manager runs no agent in these tests: keep tasks off it
    await eventually(() => m.store.get('node', m.nodeId) !== undefined, 'the manager node object');
    await s.setNode(m.nodeId, { availability: 'AVAILABILITY_DRAIN' });
    await s.addAgent('w1', { zone: 'a' });
    await s.addAgent('w2', { zone: 'b' });
    await s.addAgent('w3', { zone: 'b' });
  }, 120_000);

  afterAll(() => s.destroy());

  it('swarm init created the cluster object and the ingress network', () => {
    const store = s.leader().store;
    expect(store.find('cluster')).toHaveLength(1);
    const ingress = store.find('network', { name: 'ingress' })[0];
    expect(ingress?.spec?.ingress).toBe(true);
    expect(ingress?.ipamOptions?.configs[0]?.subnet).toBe('10.0.0.0/24');
  });

  it('a replicated service converges on the agents, one task per slot, spread over the nodes', async () => {
    const svc = await create(s, spec('web', { replicas: 3 }));
    await s.converged(svc.id, 3, 'web at 3 replicas');
    const nodes = new Set(s.runningOnAgents(svc.id).map((r) => r.agent));
    expect(nodes.size).toBe(3);
  });

  it('scales up and down; never two running tasks for one slot', async () => {
    const svc = s.leader().store.find('service', { name: 'web' })[0] as Service;
    await update(
      s,
      svc.id,
      (sp) => ((sp.mode as { replicated: { replicas: number } }).replicated.replicas = 5),
    );
    await s.converged(svc.id, 5, 'web at 5');
    await update(
      s,
      svc.id,
      (sp) => ((sp.mode as { replicated: { replicas: number } }).replicated.replicas = 2),
    );
    await s.converged(svc.id, 2, 'web at 2');
    const slots = s.runningOnAgents(svc.id).map((r) => r.task.slot);
    expect(new Set(slots).size).toBe(slots.length);
  });

  it('a global service runs once on every eligible node and follows joins and drains', async () => {
    const svc = await create(s, spec('agent', { global: true }));
    await s.converged(svc.id, 3, 'one per worker');
    const w4 = await s.addAgent('w4');
    await s.converged(svc.id, 4, 'one on the new node too');
    await s.setNode(w4.nodeId, { availability: 'AVAILABILITY_DRAIN' });
    await s.converged(svc.id, 3, 'none on the drained node');
    expect(s.runningOnAgents(svc.id).some((r) => r.agent === 'w4')).toBe(false);
  });

  it('a constrained task says why it is pending, and is placed as soon as a node fits', async () => {
    const body = spec('zoned', { replicas: 1 });
    (body.taskTemplate as Record<string, unknown>).placement = { constraints: ['node.labels.zone==c'] };
    const svc = await create(s, body);
    await eventually(
      () =>
        s
          .tasks(svc.id)
          .some((t) => /scheduling constraints not satisfied on \d+ nodes/.test(t.status?.message ?? '')),
      'a pending message naming the constraint filter',
      () => s.describe(svc.id),
    );
    const w1 = s.agents.find((a) => a.name === 'w1') as Agent;
    await s.setNode(w1.nodeId, { labels: { zone: 'c' } });
    await s.converged(svc.id, 1, 'the task placed on the relabelled node');
    expect(s.runningOnAgents(svc.id)[0]?.agent).toBe('w1');
  });

  it('a secret reaches only the nodes running a task that uses it', async () => {
    const sec = (await s.control().createSecret({
      spec: { name: 'db-pass', data: Buffer.from('hunter2') },
    })) as { secret: { id: string } };
    const body = spec('db', { replicas: 1 });
    (body.taskTemplate as { containerSpec: Record<string, unknown> }).containerSpec.secrets = [
      {
        secretId: sec.secret.id,
        secretName: 'db-pass',
        file: { name: 'db-pass', uid: '0', gid: '0', mode: 0o444 },
      },
    ];
    const svc = await create(s, body);
    await s.converged(svc.id, 1, 'db running');
    const where = s.runningOnAgents(svc.id)[0]?.agent;
    for (const a of s.agents)
      expect(a.agent.secretsReceived().has(sec.secret.id), a.name).toBe(a.name === where);
    // the control API never returns the data
    const got = (await s.control().getSecret({ secretId: sec.secret.id })) as {
      secret: { spec: { data: Buffer } };
    };
    expect(got.secret.spec.data.length).toBe(0);
  });

  it('a rolling update replaces every task with the new spec and completes', async () => {
    const svc = s.leader().store.find('service', { name: 'web' })[0] as Service;
    await update(s, svc.id, (sp) => {
      (sp.taskTemplate as { containerSpec: { image: string } }).containerSpec.image = 'busybox:1.36';
    });
    await eventually(
      () => s.leader().store.get('service', svc.id)?.updateStatus?.state === 'STATE_COMPLETED',
      'the update to complete',
      () => s.describe(svc.id),
      30_000,
    );
    await s.converged(svc.id, 2, 'web on the new image');
    for (const r of s.runningOnAgents(svc.id)) expect(r.task.spec?.containerSpec?.image).toBe('busybox:1.36');
  });

  it('an update whose tasks fail rolls back to the previous spec', async () => {
    const svc = s.leader().store.find('service', { name: 'web' })[0] as Service;
    s.behaviour = (t) => (t.spec?.containerSpec?.image === 'busybox:broken' ? 'fail' : 'run');
    await update(s, svc.id, (sp) => {
      (sp.taskTemplate as { containerSpec: { image: string } }).containerSpec.image = 'busybox:broken';
      (sp.updateConfig as Record<string, unknown>).failureAction = 'FAILURE_ACTION_ROLLBACK';
    });
    await eventually(
      () => s.leader().store.get('service', svc.id)?.updateStatus?.state === 'STATE_ROLLBACK_COMPLETED',
      'the automatic rollback to complete',
      () => `${JSON.stringify(s.leader().store.get('service', svc.id)?.updateStatus)}\n${s.describe(svc.id)}`,
      40_000,
    );
    expect(s.leader().store.get('service', svc.id)?.spec?.taskTemplate?.containerSpec?.image).toBe(
      'busybox:1.36',
    );
    await s.converged(svc.id, 2, 'web back on the previous image');
    s.behaviour = () => 'run';
  });

  it('a node that stops heartbeating goes DOWN and its tasks move to other nodes', async () => {
    const svc = s.leader().store.find('service', { name: 'web' })[0] as Service;
    const victim = s.runningOnAgents(svc.id)[0]?.agent as string;
    const a = s.agents.find((x) => x.name === victim) as Agent;
    a.agent.pause();
    await eventually(
      () => s.leader().store.get('node', a.nodeId)?.status?.state === 'STATE_DOWN',
      'the silent node DOWN',
      () => JSON.stringify(s.leader().store.get('node', a.nodeId)?.status),
    );
    await eventually(
      () => {
        const live = s
          .tasks(svc.id)
          .filter((t) => t.desiredState === 'TASK_STATE_RUNNING' && t.status?.state === 'TASK_STATE_RUNNING');
        return live.length === 2 && live.every((t) => t.nodeId !== a.nodeId);
      },
      'both slots running on live nodes',
      () => s.describe(svc.id),
      30_000,
    );
    a.agent.resume();
  });
});

describe('control plane, three managers: forwarding and an update that survives the leader', () => {
  const s = new Swarm();

  beforeAll(async () => {
    const m = await s.init();
    await s.joinManager();
    await s.joinManager();
    for (const x of s.managers) {
      await eventually(() => s.leader().store.get('node', x.nodeId) !== undefined, 'manager node objects');
      await s.setNode(x.nodeId, { availability: 'AVAILABILITY_DRAIN' });
    }
    expect(m.isLeader()).toBe(true);
    await s.addAgent('w1');
    await s.addAgent('w2');
    await s.addAgent('w3');
  }, 180_000);

  afterAll(() => s.destroy());

  it('a follower forwards control calls to the leader', async () => {
    const follower = s.managers.find((m) => !m.isLeader()) as Manager;
    const res = (await s.control(follower).createService({ spec: spec('api', { replicas: 4 }) })) as {
      service: Service;
    };
    await s.converged(res.service.id, 4, 'api at 4');
    await expect(s.control(follower).createService({ spec: spec('api', { replicas: 1 }) })).rejects.toThrow(
      /name conflicts with an existing object/,
    );
  });

  it('the leader dies in the middle of a rolling update; the new leader finishes it', async () => {
    const svc = s.leader().store.find('service', { name: 'api' })[0] as Service;
    await update(s, svc.id, (sp) => {
      (sp.taskTemplate as { containerSpec: { image: string } }).containerSpec.image = 'busybox:next';
      (sp.updateConfig as Record<string, unknown>).delay = 700_000_000; // 0.7 s between slots
    });
    const old = s.leader();
    await eventually(
      () =>
        s
          .tasks(svc.id)
          .some(
            (t) =>
              t.spec?.containerSpec?.image === 'busybox:next' && t.status?.state === 'TASK_STATE_RUNNING',
          ),
      'the first slot updated',
      () => s.describe(svc.id),
    );
    expect(old.store.get('service', svc.id)?.updateStatus?.state).toBe('STATE_UPDATING');
    await old.stop();
    s.managers.splice(s.managers.indexOf(old), 1);
    const next = await s.waitLeader();
    expect(next).not.toBe(old);
    await eventually(
      () => next.store.get('service', svc.id)?.updateStatus?.state === 'STATE_COMPLETED',
      'the update completed under the new leader',
      () => `${JSON.stringify(next.store.get('service', svc.id)?.updateStatus)}\n${s.describe(svc.id)}`,
      45_000,
    );
    await s.converged(svc.id, 4, 'api at 4 on the new image');
    for (const r of s.runningOnAgents(svc.id)) expect(r.task.spec?.containerSpec?.image).toBe('busybox:next');
  });
});
