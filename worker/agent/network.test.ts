/**
 * The network hook's decisions, against a recording data plane (no root, no kernel): what is ensured,
 * attached, detached and removed when; peers per network; restart; the host-network fallback; and,
 * through a whole Agent, peers from SessionMessages and the note in the RUNNING message.
 */
import * as grpc from '@grpc/grpc-js';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../proto/shared/log.ts';
import type { Task } from '../executor/types.ts';
import { Agent } from './agent.ts';
import { TaskNetworks } from './network.ts';
import { FakeDataPlane, FakeNetnsFiles, allocatedNetwork, attachedTask } from './network-testing.ts';
import { overlayAttachments, peersByNetwork } from './overlays.ts';
import { FakeDispatcher, FakeEngine, eventually, fakeTask } from './testing.ts';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c().catch(() => undefined);
});

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'shoal-net-hook-'));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

const red = allocatedNetwork('red', { subnet: '10.1.0.0/24', gateway: '10.1.0.1', vni: 4097, name: 'red' });
const blue = allocatedNetwork('blue', { subnet: '10.2.0.0/24', gateway: '10.2.0.1', vni: 4098 });
const ingress = allocatedNetwork('ing', {
  subnet: '10.0.0.0/24',
  gateway: '10.0.0.1',
  vni: 4096,
  ingress: true,
});

function task(id: string, nets: { network: typeof red; address: string }[]): Task {
  return attachedTask({ id, networksAttachments: [] } as unknown as Task, nets);
}

const peer = (networkId: string, ip: string, nodeAddr: string) => ({ networkId, ip, mac: '', nodeAddr });

async function hook(
  o: { mode?: 'enter' | 'adopt'; driver?: FakeDataPlane | null } = {},
): Promise<{ h: TaskNetworks; d: FakeDataPlane; f: FakeNetnsFiles; dir: string }> {
  const d = new FakeDataPlane();
  const f = new FakeNetnsFiles();
  const dir = await tempDir();
  const h = new TaskNetworks({
    driver: o.driver === null ? undefined : d,
    unavailable: o.driver === null ? 'not root' : undefined,
    netnsDir: dir,
    files: f,
    mode: o.mode ?? 'enter',
    settings: {},
    log: silentLogger(),
  });
  return { h, d, f, dir };
}

describe('overlayAttachments', () => {
  it('reads subnet, gateway and VNI from the allocation, names eth0.., routes via the first non-ingress', () => {
    const t = task('t1', [
      { network: ingress, address: '10.0.0.5/24' },
      { network: red, address: '10.1.0.7/24' },
      { network: blue, address: '10.2.0.9/24' },
    ]);
    const { attachments, problems } = overlayAttachments(t);
    expect(problems).toEqual([]);
    expect(
      attachments.map((a) => [a.ifname, a.address, a.network.vni, a.network.gateway, a.defaultRoute]),
    ).toEqual([
      ['eth0', '10.0.0.5/24', 4096, '10.0.0.1', false],
      ['eth1', '10.1.0.7/24', 4097, '10.1.0.1', true],
      ['eth2', '10.2.0.9/24', 4098, '10.2.0.1', false],
    ]);
    expect(attachments[1]?.network).toEqual({
      id: 'red',
      vni: 4097,
      subnet: '10.1.0.0/24',
      gateway: '10.1.0.1',
      dataPathPort: 4789,
    });
  });

  it('picks the subnet (and its VNI) holding the address; skips non-overlay drivers; reports problems', () => {
    const multi = allocatedNetwork('m', { subnet: '10.5.0.0/24', gateway: '10.5.0.1', vni: 5000 });
    multi.ipamOptions?.configs.push({ subnet: '10.6.0.0/24', gateway: '10.6.0.1', range: '' });
    if (multi.driverState)
      multi.driverState.options['com.docker.network.driver.overlay.vxlanid_list'] = '5000,5001';
    const local = allocatedNetwork('l', {
      subnet: '172.20.0.0/16',
      gateway: '172.20.0.1',
      vni: 1,
      driver: 'bridge',
    });
    const noVni = allocatedNetwork('nv', { subnet: '10.7.0.0/24', gateway: '10.7.0.1', vni: 1 });
    if (noVni.driverState) noVni.driverState.options = {};
    const { attachments, problems } = overlayAttachments(
      task('t', [
        { network: multi, address: '10.6.0.4/24' },
        { network: local, address: '172.20.0.3/16' },
        { network: noVni, address: '10.7.0.3/24' },
      ]),
      { dataPathPort: 7789, underlayMtu: 9000 },
    );
    expect(attachments.map((a) => a.network)).toEqual([
      {
        id: 'm',
        vni: 5001,
        subnet: '10.6.0.0/24',
        gateway: '10.6.0.1',
        dataPathPort: 7789,
        underlayMtu: 9000,
      },
    ]);
    expect(problems).toEqual(['network nv: no VXLAN ID recorded for subnet 10.7.0.0/24']);
  });

  it('groups the dispatcher peers per network', () => {
    expect(
      peersByNetwork([
        peer('red', '10.1.0.3', '192.168.0.2'),
        { networkId: 'red', ip: '10.1.0.4', mac: '02:42:0a:01:00:04', nodeAddr: '192.168.0.3' },
        peer('blue', '10.2.0.3', ''),
      ]),
    ).toEqual(
      new Map([
        [
          'red',
          [
            { ip: '10.1.0.3', vtep: '192.168.0.2' },
            { ip: '10.1.0.4', vtep: '192.168.0.3', mac: '02:42:0a:01:00:04' },
          ],
        ],
      ]),
    );
  });
});

describe('TaskNetworks', () => {
  it('plumbs a task before prepare: its namespace, each network (peers the first time), each attachment', async () => {
    const { h, d, f, dir } = await hook();
    await h.setPeers([peer('red', '10.1.0.9', '192.168.0.9')]);
    expect(d.calls).toEqual([]); // no sandbox yet: nothing to program
    const t1 = task('t1', [
      { network: red, address: '10.1.0.2/24' },
      { network: ingress, address: '10.0.0.2/24' },
    ]);
    const got = await h.prepare(t1);
    expect(got.network?.netnsPath).toBe(join(dir, 'task-t1'));
    expect(got.notes).toEqual([]);
    expect(f.files.get(join(dir, 'task-t1'))).toBe('fresh');
    expect(d.calls.map((c) => `${c.op} ${'networkId' in c ? c.networkId : ''}`.trim())).toEqual([
      'ensureNetwork',
      'setPeers red',
      'attachTask red',
      'ensureNetwork',
      'attachTask ing',
    ]);
    expect(d.of('attachTask')[0]?.attachment).toEqual({
      taskId: 't1',
      netnsPath: join(dir, 'task-t1'),
      address: '10.1.0.2/24',
      ifname: 'eth0',
      defaultRoute: true,
    });
    // A second task on red: no second peer programming.
    d.calls.length = 0;
    await h.prepare(task('t2', [{ network: red, address: '10.1.0.3/24' }]));
    expect(d.calls.map((c) => c.op)).toEqual(['ensureNetwork', 'attachTask']);
  });

  it('leaves tasks without overlays alone', async () => {
    const { h, d, f } = await hook();
    expect(await h.prepare(task('plain', []))).toEqual({ notes: [] });
    await h.release('plain');
    expect(d.calls).toEqual([]);
    expect(f.log).toEqual([]);
  });

  it('on removal detaches, deletes the namespace, and removes a network once no local task uses it', async () => {
    const { h, d, f, dir } = await hook();
    await h.prepare(task('t1', [{ network: red, address: '10.1.0.2/24' }]));
    await h.prepare(
      task('t2', [
        { network: red, address: '10.1.0.3/24' },
        { network: blue, address: '10.2.0.3/24' },
      ]),
    );
    d.calls.length = 0;
    await h.release('t2');
    expect(d.calls).toEqual([
      { op: 'detachTask', networkId: 'red', taskId: 't2' },
      { op: 'removeNetwork', networkId: 'blue' }, // its sandbox takes the task's veth along
    ]);
    expect(f.exists(join(dir, 'task-t2'))).toBe(false);
    d.calls.length = 0;
    await h.release('t1');
    expect(d.calls).toEqual([{ op: 'removeNetwork', networkId: 'red' }]);
    expect(f.files.size).toBe(0);
  });

  it('programs peers only for networks that changed and that have a sandbox here', async () => {
    const { h, d } = await hook();
    await h.prepare(task('t1', [{ network: red, address: '10.1.0.2/24' }]));
    d.calls.length = 0;
    const table = [peer('red', '10.1.0.5', '192.168.0.5'), peer('blue', '10.2.0.5', '192.168.0.5')];
    await h.setPeers(table);
    await h.setPeers([...table].reverse()); // same table, other order: nothing to do
    expect(d.calls).toEqual([
      { op: 'setPeers', networkId: 'red', peers: [{ ip: '10.1.0.5', vtep: '192.168.0.5' }] },
    ]);
    d.calls.length = 0;
    await h.setPeers([peer('blue', '10.2.0.5', '192.168.0.5')]);
    expect(d.calls).toEqual([{ op: 'setPeers', networkId: 'red', peers: [] }]);
  });

  it('without a data plane: no namespace, a note, the task runs on the host network', async () => {
    const { h, d, f } = await hook({ driver: null });
    const got = await h.prepare(task('t1', [{ network: red, address: '10.1.0.2/24' }]));
    expect(got).toEqual({
      notes: ["overlay networking unavailable (not root): running on the host's network"],
    });
    await h.setPeers([peer('red', '10.1.0.5', '192.168.0.5')]);
    await h.release('t1');
    expect(d.calls).toEqual([]);
    expect(f.log).toEqual([]);
  });

  it('when plumbing fails: undoes it and runs the task on the host network with the reason', async () => {
    const { h, d, f } = await hook();
    d.failOn = 'attachTask';
    const got = await h.prepare(task('t1', [{ network: red, address: '10.1.0.2/24' }]));
    expect(got.network).toBeUndefined();
    expect(got.notes[0]).toMatch(/^overlay networking failed \(attachTask vxlan0 in sandbox: ENODEV\)/);
    expect(d.calls.map((c) => c.op)).toEqual(['ensureNetwork', 'attachTask', 'removeNetwork']);
    expect(f.files.size).toBe(0);
  });

  it('cleans up best effort: a failing step does not stop the others', async () => {
    const { h, d, f } = await hook();
    await h.prepare(
      task('t1', [
        { network: red, address: '10.1.0.2/24' },
        { network: blue, address: '10.2.0.2/24' },
      ]),
    );
    d.calls.length = 0;
    d.failOn = 'removeNetwork';
    await h.release('t1');
    expect(d.calls.map((c) => c.op)).toEqual(['removeNetwork', 'removeNetwork']);
    expect(f.files.size).toBe(0);
    d.calls.length = 0;
    await h.setPeers([peer('red', '10.1.0.5', '192.168.0.5')]); // red is forgotten: nothing to program
    expect(d.calls).toEqual([]);
  });

  it('moves networks to the swarm data path port and remembers it across restarts', async () => {
    const { h, d, f, dir } = await hook();
    await h.prepare(task('t1', [{ network: red, address: '10.1.0.2/24' }]));
    d.calls.length = 0;
    await h.setDataPathPort(7789);
    await h.setDataPathPort(7789);
    expect(d.calls).toEqual([
      { op: 'ensureNetwork', network: { ...d.of('ensureNetwork')[0]?.network, dataPathPort: 7789 } },
    ]);
    expect(d.of('ensureNetwork')[0]?.network.dataPathPort).toBe(7789);
    await h.prepare(task('t2', [{ network: blue, address: '10.2.0.2/24' }]));
    expect(d.of('ensureNetwork')[1]?.network.dataPathPort).toBe(7789);
    await h.close();
    const d2 = new FakeDataPlane();
    const again = new TaskNetworks({
      driver: d2,
      netnsDir: dir,
      files: f,
      mode: 'enter',
      settings: {},
      log: silentLogger(),
    });
    await again.resume([task('t1', [{ network: red, address: '10.1.0.2/24' }])]);
    const state = d2.of('reconcile')[0]?.state;
    expect(state?.networks.map((n) => n.network.dataPathPort)).toEqual([7789]);
  });

  it('plumbs an encrypted network as encrypted, with no cleartext note, and hands the keys over once', async () => {
    const { h, d } = await hook();
    const secret = allocatedNetwork('sec', {
      subnet: '10.3.0.0/24',
      gateway: '10.3.0.1',
      vni: 4099,
      name: 'secret',
    });
    if (secret.spec?.driverConfiguration === null && secret.spec)
      secret.spec.driverConfiguration = { name: 'overlay', options: {} };
    if (secret.spec?.driverConfiguration) secret.spec.driverConfiguration.options['encrypted'] = '';
    const got = await h.prepare(task('t1', [{ network: secret, address: '10.3.0.2/24' }]));
    expect(got.network).toBeDefined();
    expect(got.notes).toEqual([]);
    expect(d.of('ensureNetwork').map((c) => c.network.encrypted)).toEqual([true]);
    const keys = [1, 2, 3].map((t) => ({ key: Buffer.alloc(16, t), lamportTime: t }));
    await h.setKeys(keys);
    await h.setKeys(keys.map((k) => ({ ...k }))); // the same list again: nothing to do
    expect(d.of('setKeys').map((c) => c.keys.map((k) => k.lamportTime))).toEqual([[1, 2, 3]]);
  });

  it('rejects a task whose overlay attachment cannot be plumbed (no address)', async () => {
    const { h } = await hook();
    const t = task('t1', [{ network: red, address: '' }]);
    await expect(h.prepare(t)).rejects.toThrow(/network red: the task has no IPv4 address on it/);
  });

  it('adopt mode (docker): plumbs only when the engine hands over the started workload namespace', async () => {
    const { h, d, f, dir } = await hook({ mode: 'adopt' });
    const got = await h.prepare(task('t1', [{ network: red, address: '10.1.0.2/24' }]));
    expect(d.calls).toEqual([]);
    expect(f.log).toEqual([]);
    await got.network?.adopt('/proc/4242/ns/net');
    expect(f.files.get(join(dir, 'task-t1'))).toBe('/proc/4242/ns/net');
    expect(d.calls.map((c) => c.op)).toEqual(['ensureNetwork', 'attachTask']);
    await h.release('t1');
    await expect(got.network?.adopt('/proc/4242/ns/net')).rejects.toThrow(/released/);
  });

  it('after a restart: reconciles from persisted tasks with the last peers, sweeps unknown task namespaces', async () => {
    const first = await hook();
    await first.h.setPeers([peer('red', '10.1.0.9', '192.168.0.9')]);
    const t1 = task('t1', [{ network: red, address: '10.1.0.2/24' }]);
    const t2 = task('t2', [{ network: blue, address: '10.2.0.2/24' }]); // its namespace is gone
    await first.h.prepare(t1);
    await first.h.close();
    expect(first.d.closed).toBe(true);
    const files = first.f;
    await files.create(join(first.dir, 'task-old'));
    const d = new FakeDataPlane();
    const h = new TaskNetworks({
      driver: d,
      netnsDir: first.dir,
      files,
      mode: 'enter',
      settings: {},
      log: silentLogger(),
    });
    await h.resume([t1, t2, task('plain', [])]);
    expect(d.calls).toEqual([
      {
        op: 'reconcile',
        state: {
          networks: [
            {
              network: {
                id: 'red',
                vni: 4097,
                subnet: '10.1.0.0/24',
                gateway: '10.1.0.1',
                dataPathPort: 4789,
              },
              tasks: [
                {
                  taskId: 't1',
                  netnsPath: join(first.dir, 'task-t1'),
                  address: '10.1.0.2/24',
                  ifname: 'eth0',
                  defaultRoute: true,
                },
              ],
              peers: [{ ip: '10.1.0.9', vtep: '192.168.0.9' }],
            },
          ],
        },
      },
    ]);
    expect([...files.files.keys()]).toEqual([join(first.dir, 'task-t1')]);
    // The adopted network is known: removing its last task removes it.
    d.calls.length = 0;
    await h.release('t1');
    expect(d.calls.map((c) => c.op)).toEqual(['removeNetwork']);
  });
});

describe('Agent with the network hook', () => {
  async function agentWith(network: ConstructorParameters<typeof Agent>[0]['network']) {
    const disp = new FakeDispatcher();
    await disp.start();
    cleanups.push(() => disp.stop());
    const dataDir = await tempDir();
    const engine = new FakeEngine();
    const a = new Agent({
      managers: [disp.addr],
      credentials: grpc.credentials.createInsecure(),
      description: { hostname: 'node1' },
      engine,
      dataDir,
      ...(network !== undefined ? { network } : {}),
    });
    cleanups.push(() => a.stop());
    await a.start();
    await eventually(() => disp.connected);
    return { disp, engine, dataDir };
  }

  it('passes the netns to the engine, programs SessionMessage peers, cleans up on removal', async () => {
    const d = new FakeDataPlane();
    const f = new FakeNetnsFiles();
    const { disp, engine, dataDir } = await agentWith({ driver: d, files: f, vtep: '192.168.0.1' });
    disp.complete([attachedTask(fakeTask('a'), [{ network: red, address: '10.1.0.2/24' }])]);
    await eventually(
      () => disp.last('a')?.state === 'TASK_STATE_RUNNING',
      () => disp.updates,
    );
    expect(disp.last('a')?.message).toBe('started');
    expect(engine.workloads.get('a')?.lastContext?.network?.netnsPath).toBe(join(dataDir, 'netns', 'task-a'));
    disp.overlayPeers = [peer('red', '10.1.0.8', '192.168.0.8')];
    disp.resendSession();
    await eventually(
      () => d.of('setPeers').length === 1,
      () => d.calls,
    );
    expect(d.of('setPeers')[0]?.peers).toEqual([{ ip: '10.1.0.8', vtep: '192.168.0.8' }]);
    disp.complete([]);
    await eventually(
      () => d.of('removeNetwork').length === 1,
      () => d.calls,
    );
    expect(f.files.size).toBe(0);
  });

  it('without overlay support the task still runs, the RUNNING message says why', async () => {
    const { disp, engine } = await agentWith({ disabled: true });
    disp.complete([attachedTask(fakeTask('a'), [{ network: red, address: '10.1.0.2/24' }])]);
    await eventually(
      () => disp.last('a')?.state === 'TASK_STATE_RUNNING',
      () => disp.updates,
    );
    expect(disp.last('a')?.message).toBe(
      "started (overlay networking unavailable (disabled): running on the host's network)",
    );
    expect(engine.workloads.get('a')?.lastContext?.network).toBeUndefined();
  });
});
