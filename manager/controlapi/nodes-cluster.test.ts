import { describe, expect, it } from 'vitest';
import { newCaState } from '../../ca/admin.ts';
import { CaStore } from '../../ca/store.ts';
import { FailedPreconditionError, InvalidArgumentError } from '../../proto/shared/errors.ts';
import { blank, MemoryStore } from '../store/memory.ts';
import type { Node } from '../store/types.ts';
import { initCluster } from './cluster.ts';
import { ControlApi } from './controlapi.ts';

async function refused(p: Promise<unknown>): Promise<Error> {
  const r = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(r instanceof Error)) throw new Error('expected the call to fail');
  return r;
}

function node(id: string, hostname: string, role: 'manager' | 'worker', state = 'STATE_READY'): Node {
  const n = blank('node');
  n.id = id.padEnd(25, '0');
  n.spec = {
    name: '',
    labels: {},
    role: role === 'manager' ? 'NODE_ROLE_MANAGER' : 'NODE_ROLE_WORKER',
    availability: 'AVAILABILITY_ACTIVE',
  };
  n.description = { ...blank('node').description, hostname } as Node['description'];
  n.status = { state: state as 'STATE_READY', message: '', addr: '10.0.0.1' };
  return n;
}

async function newCa(clusterId: string): Promise<CaStore> {
  let i = 0;
  const ca: CaStore = new CaStore({
    propose: (d) => {
      ca.apply(d, ++i);
      return Promise.resolve(i);
    },
  });
  await ca.propose({ op: 'init', state: await newCaState({ clusterId }) });
  return ca;
}

async function setup(
  withCa = false,
): Promise<{ store: MemoryStore; api: ControlApi; ca: CaStore | undefined }> {
  const store = MemoryStore.local();
  const ca = withCa ? await newCa('c'.repeat(25)) : undefined;
  await store.update((tx) => {
    tx.create('node', node('m1', 'manager-1', 'manager'));
    tx.create('node', node('w1', 'worker-1', 'worker'));
    tx.create('node', node('w2', 'worker-2', 'worker', 'STATE_DOWN'));
  });
  for (const id of ['m1', 'w1', 'w2'])
    await ca?.propose({
      op: 'issued',
      nodeId: id.padEnd(25, '0'),
      role: id === 'm1' ? 'manager' : 'worker',
      certPem: 'x',
      serial: id,
      issuer: 'd',
    });
  return { store, api: new ControlApi({ store, ...(ca ? { ca } : {}) }), ca };
}

describe('nodes', () => {
  it('changes availability and labels, by hostname', async () => {
    const { api } = await setup();
    const { node: n } = await api.getNode({ nodeId: 'worker-1' });
    const { node: updated } = await api.updateNode({
      nodeId: 'worker-1',
      nodeVersion: n.version,
      spec: { availability: 'AVAILABILITY_DRAIN', labels: { zone: 'a' } },
    });
    expect(updated.spec).toMatchObject({
      availability: 'AVAILABILITY_DRAIN',
      labels: { zone: 'a' },
      role: 'NODE_ROLE_WORKER',
    });
    const { nodes } = await api.listNodes({ filters: { filters: { 'node.label': { values: ['zone=a'] } } } });
    expect(nodes.map((x) => x.description?.hostname)).toEqual(['worker-1']);
    const { nodes: managers } = await api.listNodes({
      filters: { filters: { role: { values: ['manager'] } } },
    });
    expect(managers.map((x) => x.description?.hostname)).toEqual(['manager-1']);
    const { nodes: pending } = await api.listNodes({
      filters: { filters: { membership: { values: ['pending'] } } },
    });
    expect(pending).toEqual([]);
  });

  it('promotes through the CA, and refuses to demote the last manager', async () => {
    const { api, ca } = await setup(true);
    const w1 = (await api.getNode({ nodeId: 'worker-1' })).node;
    await api.updateNode({
      nodeId: w1.id,
      nodeVersion: w1.version,
      spec: { ...w1.spec, role: 'NODE_ROLE_MANAGER' },
    });
    expect(ca?.node(w1.id)?.desiredRole).toBe('manager');
    const m1 = (await api.getNode({ nodeId: 'manager-1' })).node;
    await api.updateNode({
      nodeId: m1.id,
      nodeVersion: m1.version,
      spec: { ...m1.spec, role: 'NODE_ROLE_WORKER' },
    });
    expect(ca?.node(m1.id)?.desiredRole).toBe('worker');
    const w1m = (await api.getNode({ nodeId: 'worker-1' })).node;
    const e = await refused(
      api.updateNode({
        nodeId: w1m.id,
        nodeVersion: w1m.version,
        spec: { ...w1m.spec, role: 'NODE_ROLE_WORKER' },
      }),
    );
    expect(e).toBeInstanceOf(FailedPreconditionError);
    expect(e.message).toBe('attempting to demote the last manager of the swarm');
  });

  it('removes only down workers unless forced; managers must be demoted first', async () => {
    const { api, store, ca } = await setup(true);
    const manager = await refused(api.removeNode({ nodeId: 'manager-1', force: true }));
    expect(manager).toBeInstanceOf(FailedPreconditionError);
    expect(manager.message).toMatch(
      /^node m10+ is a cluster manager and is a member of the raft cluster\. It must be demoted to worker before removal$/,
    );
    const up = await refused(api.removeNode({ nodeId: 'worker-1' }));
    expect(up).toBeInstanceOf(FailedPreconditionError);
    expect(up.message).toBe(`node ${'w1'.padEnd(25, '0')} is not down and can't be removed`);
    await api.removeNode({ nodeId: 'worker-2' });
    await api.removeNode({ nodeId: 'worker-1', force: true });
    expect(store.find('node').map((n) => n.description?.hostname)).toEqual(['manager-1']);
    expect(ca?.isRemoved('w1'.padEnd(25, '0'))).toBe(true);
  });

  it('refuses a stale node version', async () => {
    const { api } = await setup();
    const { node: n } = await api.getNode({ nodeId: 'worker-1' });
    await api.updateNode({ nodeId: n.id, nodeVersion: n.version, spec: { ...n.spec, labels: { a: '1' } } });
    expect(
      (await refused(api.updateNode({ nodeId: n.id, nodeVersion: n.version, spec: n.spec }))).message,
    ).toBe('update out of sequence');
  });
});

describe('cluster', () => {
  it('initCluster merges the init spec over Swarm defaults and mirrors the CA tokens', async () => {
    const { api, store, ca } = await setup(true);
    const tokens = ca?.state.joinTokens;
    await initCluster(store, {
      clusterId: 'c'.repeat(25),
      name: 'default',
      spec: { caConfig: { nodeCertExpiry: 172_800_000_000_000 } },
      ...(tokens ? { joinTokens: tokens } : {}),
    });
    const { cluster } = await api.getCluster({ clusterId: 'default' });
    expect(cluster.spec).toMatchObject({
      name: 'default',
      orchestration: { taskHistoryRetentionLimit: 5 },
      dispatcher: { heartbeatPeriod: 5e9 },
      caConfig: { nodeCertExpiry: 172_800_000_000_000 },
      raft: { snapshotInterval: 10_000, electionTick: 10, heartbeatTick: 1 },
    });
    expect(cluster.joinTokens).toEqual(tokens);
    expect(cluster.joinTokens?.worker).toMatch(/^SWMTKN-1-/);
  });

  it('rotates join tokens and the unlock key through the CA; updates history limit, heartbeat and cert expiry', async () => {
    const { api, store, ca } = await setup(true);
    await initCluster(store, {
      clusterId: 'c'.repeat(25),
      ...(ca ? { joinTokens: ca.state.joinTokens } : {}),
    });
    const before = (await api.getCluster({ clusterId: 'default' })).cluster;
    const { cluster } = await api.updateCluster({
      clusterId: before.id,
      clusterVersion: before.version,
      spec: {
        ...before.spec,
        orchestration: { taskHistoryRetentionLimit: 2 },
        dispatcher: { heartbeatPeriod: 2e9 },
        caConfig: { nodeCertExpiry: 48 * 3600e9 },
        encryptionConfig: { autoLockManagers: true },
      },
      rotateWorkerToken: true,
    });
    expect(cluster.joinTokens?.worker).not.toBe(before.joinTokens?.worker);
    expect(cluster.joinTokens?.manager).toBe(before.joinTokens?.manager);
    expect(store.get('cluster', before.id)?.joinTokens?.worker).toBe(ca?.state.joinTokens.worker);
    expect(ca?.state.nodeCertExpiryMs).toBe(48 * 3600e3);
    expect(ca?.state.unlockKey).toMatch(/^SWMKEY-1-/);
    expect(cluster.spec).toMatchObject({
      orchestration: { taskHistoryRetentionLimit: 2 },
      dispatcher: { heartbeatPeriod: 2e9 },
    });
    const key = ca?.state.unlockKey;
    const { cluster: c2 } = await api.updateCluster({
      clusterId: cluster.id,
      clusterVersion: cluster.version,
      spec: cluster.spec,
      rotateManagerToken: true,
      rotateManagerUnlockKey: true,
    });
    expect(c2.joinTokens?.manager).not.toBe(before.joinTokens?.manager);
    expect(ca?.state.unlockKey).not.toBe(key);
  });

  it('starts a root CA rotation when CAConfig.ForceRotate goes up (swarm ca --rotate), one at a time', async () => {
    const { api, store, ca } = await setup(true);
    await initCluster(store, {
      clusterId: 'c'.repeat(25),
      ...(ca ? { joinTokens: ca.state.joinTokens } : {}),
    });
    const before = (await api.getCluster({ clusterId: 'default' })).cluster;
    const same = await api.updateCluster({
      clusterId: before.id,
      clusterVersion: before.version,
      spec: before.spec,
    });
    expect(ca?.state.rotation, 'an update that keeps ForceRotate rotates nothing').toBeNull();
    const spec = { ...same.cluster.spec, caConfig: { ...same.cluster.spec?.caConfig, forceRotate: 1 } };
    const { cluster } = await api.updateCluster({
      clusterId: before.id,
      clusterVersion: same.cluster.version,
      spec,
    });
    expect(ca?.state.rotation?.nextCertPem).toMatch(/BEGIN CERTIFICATE/);
    expect(cluster.rootRotationInProgress).toBe(true);
    const again = await refused(
      api.updateCluster({
        clusterId: before.id,
        clusterVersion: cluster.version,
        spec: { ...spec, caConfig: { ...spec.caConfig, forceRotate: 2 } },
      }),
    );
    expect(again.message).toMatch(/already in progress/);
  });

  it('refuses a certificate expiry under an hour and a negative history limit, naming the field', async () => {
    const { api, store } = await setup();
    const c = await initCluster(store, { clusterId: 'c'.repeat(25) });
    const short = await refused(
      api.updateCluster({
        clusterId: c.id,
        clusterVersion: c.version,
        spec: { ...c.spec, caConfig: { nodeCertExpiry: 60e9 } },
      }),
    );
    expect(short).toBeInstanceOf(InvalidArgumentError);
    expect(short.message).toBe(
      'Spec.CAConfig.NodeCertExpiry: invalid certificate expiry: 0h1m0s; the minimum is 1h0m0s',
    );
    const neg = await refused(
      api.updateCluster({
        clusterId: c.id,
        clusterVersion: c.version,
        spec: { ...c.spec, orchestration: { taskHistoryRetentionLimit: -1 } },
      }),
    );
    expect(neg.message).toBe('Spec.Orchestration.TaskHistoryRetentionLimit: must not be negative (got -1)');
    const noCa = await refused(
      api.updateCluster({
        clusterId: c.id,
        clusterVersion: c.version,
        spec: c.spec,
        rotateWorkerToken: true,
      }),
    );
    expect(noCa).toBeInstanceOf(FailedPreconditionError);
  });
});
