/**
 * Overlay networking on a swarm of three hosts (network namespaces on a private underlay, one shoald
 * each, see hosts/README.md), as a user sees it from inside the tasks and from the hosts:
 * - a client task on one host reaches a web service on another by name (ping and HTTP), `tasks.web`
 *   names the task, the name is the VIP;
 * - the web service's published port answers on every host's address (routing mesh);
 * - when the web task moves to another host (its node drained) the name and the published port still
 *   answer;
 * - once the services and the network are removed, no overlay interface, namespace or mount is left in
 *   any host, and after the cluster is destroyed nothing of it is left on the machine.
 * Inside a task means what `docker exec` gives: `nsenter --target <workload pid> --all`.
 */
import { execFile } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HostCluster } from './hosts/cluster.ts';
import type { Host } from './hosts/host.ts';
import { inNs, listNetns, mountsUnder, pidsInNetns, cmdline } from './hosts/sys.ts';
import { underlayNs } from './hosts/underlay.ts';
import { spawn } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { ensureDebianPackage } from '../worker/testing/apt.ts';

const exec = promisify(execFile);

interface TaskJson {
  ID: string;
  NodeID: string;
  DesiredState: string;
  Status: { State: string };
  NetworksAttachments?: { Network: { Spec: { Name: string } }; Addresses: string[] }[];
}
interface ServiceJson {
  ID: string;
  Endpoint?: { VirtualIPs?: { NetworkID: string; Addr: string }[] };
}

const unavailable = HostCluster.unavailable();
if (unavailable) console.log(`netns: skipped: ${unavailable}`);

const NODE = process.execPath;
/** The web workload: answers every request with its own hostname (one per task). */
const WEB = [
  NODE,
  '-e',
  "require('http').createServer((q, s) => s.end('web:' + require('os').hostname())).listen(80)",
];
const CLIENT = ['sleep', '3001'];
/** A web workload that echoes the request path. */
const ECHO = [NODE, '-e', "require('http').createServer((q, s) => s.end('echo:' + q.url)).listen(80)"];
const SCLIENT = ['sleep', '3002'];
/** An HTTP GET run by node, printing the body (exit 1 on error or after 5 s). */
const httpGet = (url: string): string[] => [
  NODE,
  '-e',
  `const r = require('http').get(${JSON.stringify(url)}, (s) => { let b = ''; s.on('data', (d) => (b += d)); s.on('end', () => { console.log(b); process.exit(0); }); }); r.on('error', (e) => { console.error(e.message); process.exit(1); }); setTimeout(() => process.exit(1), 10000);`,
];

/** `n` HTTP GETs on fresh connections, one body per line. */
const httpGets = (url: string, n: number): string[] => [
  NODE,
  '-e',
  `const http = require('http'); const out = []; const one = (i) => { if (i === ${n}) { console.log(out.join('\\n')); process.exit(0); } http.get(${JSON.stringify(url)}, { agent: false }, (s) => { let b = ''; s.on('data', (d) => (b += d)); s.on('end', () => { out.push(b); one(i + 1); }); }).on('error', (e) => { console.error(e.message); process.exit(1); }); }; one(0); setTimeout(() => process.exit(1), 30000);`,
];

describe.skipIf(unavailable !== undefined)('overlay networks across hosts', () => {
  let c: HostCluster;
  let linksBefore: string[] = [];
  const t0 = Date.now();
  const since = (): string => `${((Date.now() - t0) / 1000).toFixed(1)} s`;

  beforeAll(async () => {
    expect(await ensureDebianPackage('iputils-ping', () => has('ping'))).toBe(true);
    expect(await ensureDebianPackage('tcpdump', () => has('tcpdump'))).toBe(true);
    linksBefore = await rootLinks();
    // heartbeats every 5 s: a daemon restarted on a loaded machine stays READY (its tasks are kept)
    c = await HostCluster.start({ managers: 1, workers: 2, tickMs: 50, heartbeatMs: 5000 });
    console.log(`cluster ${c.prefix} on ${c.subnet} up at ${since()}`);
  }, 180_000);
  let destroyed = false;
  afterAll(async () => {
    if (!destroyed) await c?.destroy();
  }, 60_000);

  const api = async (method: string, path: string, body?: unknown): Promise<unknown> => {
    const r = await c.host('m1').api(method, `/v1.47${path}`, body);
    if (r.status >= 300) throw new Error(`${method} ${path}: ${r.status} ${r.body}`);
    return r.body === '' ? undefined : r.json<unknown>();
  };
  const nodeIdOf = async (name: string): Promise<string> => {
    const nodes = (await api('GET', '/nodes')) as { ID: string; Description: { Hostname: string } }[];
    const n = nodes.find((x) => x.Description.Hostname === name);
    if (!n) throw new Error(`no node ${name}`);
    return n.ID;
  };
  const running = async (service: string): Promise<TaskJson[]> => {
    const q = encodeURIComponent(JSON.stringify({ service: [service], 'desired-state': ['running'] }));
    return ((await api('GET', `/tasks?filters=${q}`)) as TaskJson[]).filter(
      (t) => t.Status.State === 'running',
    );
  };
  /** The pid of a task workload (`argv`) running on a host, in one of its task namespaces. */
  const workloadPid = (h: Host, argv: readonly string[]): number | undefined => {
    const dir = join(h.dataRoot, 'worker', 'netns');
    const inodes = new Set<number>();
    for (const name of safeReaddir(dir))
      if (name.startsWith('task-')) inodes.add(statSync(join(dir, name)).ino);
    return pidsInNetns(inodes).find((p) => (cmdline(p) ?? []).join(' ') === argv.join(' '));
  };
  /** Runs a command inside a task (all of its namespaces, like `docker exec`). */
  const inTask = async (pid: number, argv: readonly string[]): Promise<string> => {
    const r = await exec('nsenter', ['--target', String(pid), '--all', ...argv], { timeout: 40_000 });
    return r.stdout.trim();
  };
  const tryInTask = async (pid: number, argv: readonly string[]): Promise<string | undefined> =>
    inTask(pid, argv).catch(() => undefined);
  /** HTTP GET from the host `from`'s namespace. */
  const getFromHost = (from: Host, url: string): Promise<string | undefined> =>
    Promise.resolve()
      .then(() => inNs(hostNs(from), NODE, httpGet(url).slice(1)).trim())
      .catch(() => undefined);
  const hostNs = (h: Host): string => h.s.ns;

  /** A one-replica service of `cmd` pinned to `host`, on `nets`, with an optional endpoint spec. */
  const createService = (
    name: string,
    cmd: readonly string[],
    host: string,
    nets: readonly string[],
    endpoint?: Record<string, unknown>,
  ): Promise<unknown> =>
    api('POST', '/services/create', {
      Name: name,
      TaskTemplate: {
        ContainerSpec: { Image: 'busybox', Command: cmd, StopGracePeriod: 1_000_000_000 },
        Placement: { Constraints: [`node.hostname==${host}`] },
        Networks: nets.map((Target) => ({ Target })),
      },
      Mode: { Replicated: { Replicas: 1 } },
      ...(endpoint !== undefined ? { EndpointSpec: endpoint } : {}),
    });

  let clientPid = 0;
  let webVip = '';

  it('a task reaches a service on another host by name: ping and HTTP, VIP and tasks.<name>', async () => {
    await api('POST', '/networks/create', { Name: 'appnet', Driver: 'overlay' });
    await createService('web', WEB, 'w1', ['appnet'], {
      Ports: [{ Protocol: 'tcp', TargetPort: 80, PublishedPort: 8080 }],
    });
    await createService('client', CLIENT, 'w2', ['appnet']);
    await c.waitFor(
      async () => (await running('web')).length === 1 && (await running('client')).length === 1,
      'web and client running',
      60_000,
    );
    const [web] = await running('web');
    expect(web?.NodeID).toBe(await nodeIdOf('w1'));
    const webIp = web?.NetworksAttachments?.find((a) => a.Network.Spec.Name === 'appnet')?.Addresses[0];
    expect(webIp).toMatch(/^\d+\.\d+\.\d+\.\d+\/\d+$/);
    const svc = (await api('GET', '/services/web')) as ServiceJson;
    const net = (await api('GET', '/networks/appnet')) as { Id: string };
    webVip = svc.Endpoint?.VirtualIPs?.find((v) => v.NetworkID === net.Id)?.Addr.split('/')[0] ?? '';
    expect(webVip).toMatch(/^\d+\.\d+\.\d+\.\d+$/);

    await c.waitFor(() => workloadPid(c.host('w2'), CLIENT) !== undefined, 'the client workload', 10_000);
    const pid = workloadPid(c.host('w2'), CLIENT);
    expect(pid, 'the client workload runs in a task namespace on w2').toBeDefined();
    clientPid = pid ?? 0;
    console.log(`web task ${webIp} vip ${webVip}; client pid ${clientPid} at ${since()}`);

    // the name is the VIP, tasks.web the task's address (getent asks the resolver in resolv.conf)
    await c.waitFor(
      async () => (await tryInTask(clientPid, ['getent', 'hosts', 'web']))?.startsWith(webVip) === true,
      'web resolves to its VIP',
      30_000,
    );
    expect(await inTask(clientPid, ['cat', '/etc/resolv.conf'])).toContain('nameserver 127.0.0.11');
    // tasks.web lists RUNNING tasks: it fills in once the manager has seen the task run
    await c.waitFor(
      async () =>
        (await tryInTask(clientPid, ['getent', 'hosts', 'tasks.web']))?.split(/\s+/)[0] ===
        webIp?.split('/')[0],
      'tasks.web resolves to the task',
      30_000,
    );
    // HTTP by name through the VIP, across hosts
    const body = await inTask(clientPid, httpGet('http://web/'));
    expect(body).toMatch(/^web:/);
    // ping by name (the VIP) and the task's address
    expect(await inTask(clientPid, ['ping', '-c', '2', '-W', '3', 'web'])).toMatch(/2 received/);
    expect(await inTask(clientPid, ['ping', '-c', '1', '-W', '3', 'tasks.web'])).toMatch(/1 received/);
    // names of nothing: an error, not a hang
    expect(await tryInTask(clientPid, ['getent', 'hosts', 'nosuchservice'])).toBeUndefined();
    console.log(`name, VIP, ping and HTTP checked at ${since()}`);
  });

  it("the client's host daemon restarts: its task keeps running and resolves again", async () => {
    await c.restart('w2');
    expect(workloadPid(c.host('w2'), CLIENT)).toBe(clientPid);
    await c.waitFor(
      async () => (await tryInTask(clientPid, httpGet('http://web/')))?.startsWith('web:') === true,
      'web answers by name after the restart',
      30_000,
    );
    console.log(`w2 restarted, DNS served again at ${since()}`);
  });

  it('the published port answers on every host', async () => {
    for (const h of [c.host('m1'), c.host('w1'), c.host('w2')]) {
      for (const target of [c.host('m1'), c.host('w1'), c.host('w2')]) {
        let got: string | undefined;
        await c.waitFor(
          async () => (got = await getFromHost(h, `http://${target.ip}:8080/`))?.startsWith('web:') === true,
          `port 8080 on ${target.name} from ${h.name}`,
          30_000,
        );
        expect(got).toMatch(/^web:/);
      }
    }
    console.log(`published port answered on every host at ${since()}`);
  });

  it('when the task moves to another host, its name and published port still answer', async () => {
    const before = (await running('web'))[0]?.ID;
    await api('POST', `/services/web/update?version=${await version('web')}`, {
      ...(await spec('web')),
      TaskTemplate: {
        ...((await spec('web')).TaskTemplate as object),
        Placement: { Constraints: ['node.hostname==m1'] },
      },
    });
    await c.waitFor(
      async () => {
        const r = await running('web');
        return r.length === 1 && r[0]?.ID !== before && r[0]?.NodeID === (await nodeIdOf('m1'));
      },
      'web moved to m1',
      60_000,
    );
    // the old task is gone from DNS and the VIP: every answer comes from the new task
    await c.waitFor(
      async () => (await tryInTask(clientPid, httpGet('http://web/')))?.startsWith('web:') === true,
      'web answers after the move',
      30_000,
    );
    const bodies = new Set<string>();
    for (let i = 0; i < 6; i++) bodies.add(await inTask(clientPid, httpGet('http://web/')));
    expect(bodies.size).toBe(1);
    expect((await inTask(clientPid, ['getent', 'hosts', 'web'])).split(/\s+/)[0]).toBe(webVip);
    for (const target of [c.host('m1'), c.host('w1'), c.host('w2')])
      await c.waitFor(
        async () =>
          (await getFromHost(c.host('w2'), `http://${target.ip}:8080/`))?.startsWith('web:') === true,
        `port 8080 on ${target.name} after the move`,
        30_000,
      );
    console.log(`moved and reachable at ${since()}`);
  });

  it('the VIP and the published port spread over every running task; a stopped task drops out at once', async () => {
    const current = await spec('web');
    await api('POST', `/services/web/update?version=${await version('web')}`, {
      ...current,
      TaskTemplate: { ...(current.TaskTemplate as object), Placement: {} },
      Mode: { Replicated: { Replicas: 3 } },
    });
    await c.waitFor(async () => (await running('web')).length === 3, '3 web tasks running', 60_000);
    const hosts = new Set((await running('web')).map((t) => t.NodeID));
    console.log(`3 web tasks on ${hosts.size} hosts at ${since()}`);
    const names = async (pid: number, host: string): Promise<Set<string>> =>
      new Set((await inTask(pid, httpGets(`http://${host}/`, 40))).split('\n'));
    // DNS answers as soon as the tasks run; then every task is reached through the VIP
    await c.waitFor(
      async () => (await tryInTask(clientPid, ['getent', 'ahostsv4', 'tasks.web']))?.split('\n').length === 9,
      'tasks.web lists three tasks (three lines each in ahosts)',
      30_000,
    );
    await c.waitFor(
      async () => (await names(clientPid, 'web')).size === 3,
      'the VIP reaches all three',
      30_000,
    );
    const viaPort = new Set(
      inNs(hostNs(c.host('w1')), NODE, httpGets(`http://${c.host('w2').ip}:8080/`, 6).slice(1))
        .trim()
        .split('\n'),
    );
    expect(viaPort.size).toBe(3);
    // scaled down: the removed tasks leave the VIP, tasks.web and the published port
    await api('POST', `/services/web/update?version=${await version('web')}`, {
      ...(await spec('web')),
      Mode: { Replicated: { Replicas: 1 } },
    });
    await c.waitFor(async () => (await running('web')).length === 1, 'one web task', 60_000);
    const t1 = Date.now();
    await c.waitFor(
      async () => (await names(clientPid, 'web').catch(() => new Set())).size === 1,
      'VIP to one task',
      30_000,
    );
    console.log(`VIP down to one task ${Date.now() - t1} ms after the API showed one`);
    expect((await inTask(clientPid, ['getent', 'hosts', 'tasks.web'])).split('\n')).toHaveLength(1);
    const port = new Set(
      inNs(hostNs(c.host('m1')), NODE, httpGets(`http://${c.host('w1').ip}:8080/`, 6).slice(1))
        .trim()
        .split('\n'),
    );
    expect(port.size).toBe(1);
  });

  it('dnsrr names list the tasks; a host-mode port answers only where its task runs', async () => {
    await createService('rr', WEB, 'w1', ['appnet'], {
      Mode: 'dnsrr',
      Ports: [{ Protocol: 'tcp', TargetPort: 80, PublishedPort: 8081, PublishMode: 'host' }],
    });
    await c.waitFor(async () => (await running('rr')).length === 1, 'rr running', 60_000);
    const [rr] = await running('rr');
    const rrIp = rr?.NetworksAttachments?.find((a) => a.Network.Spec.Name === 'appnet')?.Addresses[0]?.split(
      '/',
    )[0];
    await c.waitFor(
      async () => (await tryInTask(clientPid, ['getent', 'hosts', 'rr']))?.split(/\s+/)[0] === rrIp,
      'rr resolves to its task (dnsrr)',
      30_000,
    );
    expect(await inTask(clientPid, httpGet('http://rr/'))).toMatch(/^web:/);
    let got: string | undefined;
    await c.waitFor(
      async () =>
        (got = await getFromHost(c.host('m1'), `http://${c.host('w1').ip}:8081/`))?.startsWith('web:') ===
        true,
      'host-mode port on w1',
      30_000,
    );
    expect(got).toMatch(/^web:/);
    expect(await getFromHost(c.host('m1'), `http://${c.host('w2').ip}:8081/`)).toBeUndefined();
    expect(await getFromHost(c.host('m1'), `http://${c.host('m1').ip}:8081/`)).toBeUndefined();
    await api('DELETE', '/services/rr');
  });

  it('an encrypted overlay carries no cleartext and no VXLAN on the underlay; a plain one does (control)', async () => {
    await api('POST', '/networks/create', { Name: 'plainnet', Driver: 'overlay' });
    await api('POST', '/networks/create', { Name: 'secnet', Driver: 'overlay', Options: { encrypted: '' } });
    await createService('pweb', ECHO, 'w1', ['plainnet']);
    await createService('sweb', ECHO, 'w1', ['secnet']);
    await createService('sclient', SCLIENT, 'w2', ['plainnet', 'secnet']);
    await c.waitFor(
      async () => (await Promise.all(['pweb', 'sweb', 'sclient'].map(running))).every((r) => r.length === 1),
      'pweb, sweb and sclient running',
      60_000,
    );
    // RUNNING comes as the task starts; its workload execs a moment later
    await c.waitFor(() => workloadPid(c.host('w2'), SCLIENT) !== undefined, 'the sclient workload', 10_000);
    const pid = workloadPid(c.host('w2'), SCLIENT) ?? 0;
    const sec = (await api('GET', '/networks/secnet')) as { Options?: Record<string, string> };
    const vni = Number(sec.Options?.['com.docker.network.driver.overlay.vxlanid_list']?.split(',')[0]);
    expect(vni).toBeGreaterThan(0);
    await c.waitFor(
      async () => (await tryInTask(pid, httpGet('http://sweb/warmup')))?.startsWith('echo:') === true,
      'sweb answers over the encrypted network',
      30_000,
    );
    await c.waitFor(
      async () => (await tryInTask(pid, httpGet('http://pweb/warmup')))?.startsWith('echo:') === true,
      'pweb answers over the plain network',
      30_000,
    );

    const plainMarker = `PLAIN-${Date.now()}-MARKER`;
    const plain = await capture(c.prefix, async () => {
      expect(await inTask(pid, httpGet(`http://pweb/${plainMarker}`))).toBe(`echo:/${plainMarker}`);
    });
    expect(plain.includes(Buffer.from(plainMarker)), 'the capture sees cleartext on a plain overlay').toBe(
      true,
    );

    const secretMarker = `SECRET-${Date.now()}-MARKER`;
    const secret = await capture(c.prefix, async () => {
      expect(await inTask(pid, httpGet(`http://sweb/${secretMarker}`))).toBe(`echo:/${secretMarker}`);
      expect(
        await inTask(pid, [
          'ping',
          '-c',
          '3',
          '-i',
          '0.2',
          '-p',
          Buffer.from('SECRETPING').toString('hex'),
          'tasks.sweb',
        ]),
      ).toMatch(/3 received/);
    });
    expect(secret.includes(Buffer.from(secretMarker))).toBe(false);
    expect(secret.includes(Buffer.from('SECRETPING'))).toBe(false);
    const vxlanOfSecnet = secret.packets.filter((p) => p.dstPort === 4789 && p.vni === vni);
    expect(vxlanOfSecnet).toEqual([]);
    expect(secret.packets.filter((p) => p.dstPort === 4790).length).toBeGreaterThan(5);
    console.log(
      `encrypted: ${secret.packets.filter((p) => p.dstPort === 4790).length} sealed datagrams, no cleartext, no VXLAN for VNI ${vni}`,
    );
    for (const name of ['pweb', 'sweb', 'sclient']) await api('DELETE', `/services/${name}`);
    await c.waitFor(
      async () =>
        (await Promise.all(['pweb', 'sweb', 'sclient'].map((n) => running(n).catch(() => [])))).every(
          (r) => r.length === 0,
        ),
      'tasks gone',
      30_000,
    );
    await api('DELETE', '/networks/secnet');
    await api('DELETE', '/networks/plainnet');
  });

  it('a node that leaves the swarm takes its overlay plumbing with it', async () => {
    const w2 = c.host('w2');
    expect(workloadPid(w2, CLIENT)).toBeDefined(); // the client task still runs there
    const left = await w2.api('POST', '/v1.47/swarm/leave');
    expect(left.status, left.body).toBe(200);
    await c.waitFor(
      () =>
        safeReaddir(join(w2.dataRoot, 'worker', 'netns')).filter((n) => n !== 'dataplane.json').length === 0,
      `w2: no sandbox, task or ingress namespace left (has ${safeReaddir(join(w2.dataRoot, 'worker', 'netns')).join(' ')})`,
      30_000,
    );
    expect(workloadPid(w2, CLIENT)).toBeUndefined();
    expect(inNs(hostNs(w2), 'ip', ['-o', 'link', 'show'])).not.toMatch(/vxlan|veth|tap0|\bbr0\b/);
    expect(mountsUnder(join(w2.dataRoot, 'worker', 'netns'))).toEqual([]);
  });

  it('after removing the services and the network, no host keeps an overlay interface, namespace or mount', async () => {
    for (const name of ['web', 'client', 'pweb', 'sweb', 'sclient'])
      await api('DELETE', `/services/${name}`).catch(() => undefined);
    await c.waitFor(
      async () => {
        const left = await Promise.all(
          ['web', 'client', 'pweb', 'sweb', 'sclient'].map((s) => running(s).catch(() => [])),
        );
        return left.every((l) => l.length === 0);
      },
      'tasks gone',
      30_000,
    );
    await api('DELETE', '/networks/appnet');
    await api('DELETE', '/networks/secnet').catch(() => undefined);
    await api('DELETE', '/networks/plainnet').catch(() => undefined);
    for (const h of [c.host('m1'), c.host('w1'), c.host('w2')]) {
      await c.waitFor(
        () =>
          safeReaddir(join(h.dataRoot, 'worker', 'netns')).filter((n) => n !== 'dataplane.json').length === 0,
        `${h.name}: no sandbox or task namespace left (has ${safeReaddir(join(h.dataRoot, 'worker', 'netns')).join(' ')})`,
        30_000,
      );
      const links = inNs(hostNs(h), 'ip', ['-o', 'link', 'show']);
      expect(links).not.toMatch(/vxlan|veth|\bbr0\b/);
      expect(mountsUnder(join(h.dataRoot, 'worker', 'netns'))).toEqual([]);
      expect(mountsUnder(join(h.dataRoot, 'worker', 'dns'))).toEqual([]);
    }
    const prefix = c.prefix;
    const root = c.root;
    destroyed = true;
    await c.destroy();
    expect(listNetns().filter((n) => n.includes(prefix))).toEqual([]);
    expect(mountsUnder(root)).toEqual([]);
    // nothing of the run in the machine's own namespace (other tests may add links of their own)
    const added = (await rootLinks()).filter((l) => !linksBefore.includes(l));
    expect(added.filter((l) => l.includes(prefix) || /^(vx|veth|tap|ov-)/.test(l))).toEqual([]);
  });

  async function spec(name: string): Promise<Record<string, unknown>> {
    return ((await api('GET', `/services/${name}`)) as { Spec: Record<string, unknown> }).Spec;
  }
  async function version(name: string): Promise<number> {
    return ((await api('GET', `/services/${name}`)) as { Version: { Index: number } }).Version.Index;
  }
});

interface Captured {
  /** Every captured byte (headers included). */
  includes(needle: Buffer): boolean;
  /** UDP packets: destination port and, for VXLAN, the VNI. */
  readonly packets: { dstPort: number; vni: number | undefined }[];
}

/** Captures UDP on every port of the run's underlay bridge (in its own namespace) while `fn` runs. */
async function capture(prefix: string, fn: () => Promise<void>): Promise<Captured> {
  const file = join(tmpdir(), `${prefix}-${Date.now()}.pcap`);
  const proc = spawn(
    'ip',
    [
      'netns',
      'exec',
      underlayNs(prefix),
      'tcpdump',
      '-i',
      'any',
      '--immediate-mode',
      '-U',
      '-s',
      '0',
      '-w',
      file,
      'udp',
    ],
    {
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  );
  try {
    await new Promise<void>((resolve, reject) => {
      const t = setTimeout(() => reject(new Error('tcpdump did not start')), 10_000);
      proc.stderr.on('data', (d: Buffer) => {
        if (d.toString().includes('listening on')) {
          clearTimeout(t);
          resolve();
        }
      });
    });
    await new Promise((r) => setTimeout(r, 500)); // "listening" comes a moment before packets are seen
    await fn();
    await new Promise((r) => setTimeout(r, 300));
  } finally {
    let tail = '';
    proc.stderr.on('data', (d: Buffer) => (tail += d.toString()));
    proc.kill('SIGINT');
    await new Promise((r) => proc.once('exit', r));
    if (!/ 0 packets dropped/.test(tail)) console.log('tcpdump:', tail.trim().replace(/\n/g, '; '));
  }
  const raw = readFileSync(file);
  rmSync(file, { force: true });
  return { includes: (n) => raw.includes(n), packets: pcapUdp(raw) };
}

/** UDP destination ports (and VXLAN VNIs) of a pcap file (Ethernet, Linux cooked v1 or v2). */
function pcapUdp(raw: Buffer): { dstPort: number; vni: number | undefined }[] {
  const linktype = raw.readUInt32LE(20);
  // where the IP header starts, and where the EtherType sits
  const [l2, typeAt] =
    linktype === 1 ? [14, 12] : linktype === 113 ? [16, 14] : linktype === 276 ? [20, 0] : [-1, 0];
  if (l2 < 0) throw new Error(`pcap link type ${linktype} not understood`);
  const out: { dstPort: number; vni: number | undefined }[] = [];
  let at = 24; // global header
  while (at + 16 <= raw.length) {
    const len = raw.readUInt32LE(at + 8);
    const pkt = raw.subarray(at + 16, at + 16 + len);
    at += 16 + len;
    if (pkt.length < l2 + 28 || pkt.readUInt16BE(typeAt) !== 0x0800) continue;
    const ihl = ((pkt[l2] ?? 0) & 0x0f) * 4;
    if (pkt[l2 + 9] !== 17) continue;
    const udp = l2 + ihl;
    const dstPort = pkt.readUInt16BE(udp + 2);
    const vni = dstPort === 4789 && pkt.length >= udp + 16 ? pkt.readUIntBE(udp + 12, 3) : undefined;
    out.push({ dstPort, vni });
  }
  return out;
}

function safeReaddir(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

async function has(cmd: string): Promise<boolean> {
  return exec('sh', ['-c', `command -v ${cmd}`]).then(
    () => true,
    () => false,
  );
}

/** The names of the links of the machine's own namespace (the test must add none for good). */
async function rootLinks(): Promise<string[]> {
  const { stdout } = await exec('ip', ['-o', 'link', 'show']);
  return stdout
    .split('\n')
    .map((l) => l.split(':')[1]?.trim().split('@')[0] ?? '')
    .filter((n) => n !== '')
    .sort();
}
