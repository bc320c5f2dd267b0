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
/** An HTTP GET run by node, printing the body (exit 1 on error or after 5 s). */
const httpGet = (url: string): string[] => [
  NODE,
  '-e',
  `const r = require('http').get(${JSON.stringify(url)}, (s) => { let b = ''; s.on('data', (d) => (b += d)); s.on('end', () => { console.log(b); process.exit(0); }); }); r.on('error', (e) => { console.error(e.message); process.exit(1); }); setTimeout(() => process.exit(1), 5000);`,
];

/** `n` HTTP GETs on fresh connections, one body per line. */
const httpGets = (url: string, n: number): string[] => [
  NODE,
  '-e',
  `const http = require('http'); const out = []; const one = (i) => { if (i === ${n}) { console.log(out.join('\\n')); process.exit(0); } http.get(${JSON.stringify(url)}, { agent: false }, (s) => { let b = ''; s.on('data', (d) => (b += d)); s.on('end', () => { out.push(b); one(i + 1); }); }).on('error', (e) => { console.error(e.message); process.exit(1); }); }; one(0); setTimeout(() => process.exit(1), 15000);`,
];

describe.skipIf(unavailable !== undefined)('overlay networks across hosts', () => {
  let c: HostCluster;
  let linksBefore: string[] = [];
  const t0 = Date.now();
  const since = (): string => `${((Date.now() - t0) / 1000).toFixed(1)} s`;

  beforeAll(async () => {
    expect(await ensureDebianPackage('iputils-ping', () => has('ping'))).toBe(true);
    linksBefore = await rootLinks();
    c = await HostCluster.start({ managers: 1, workers: 2, tickMs: 50, heartbeatMs: 1000 });
    console.log(`cluster ${c.prefix} on ${c.subnet} up at ${since()}`);
  }, 180_000);
  afterAll(async () => {
    await c?.destroy();
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
    const r = await exec('nsenter', ['--target', String(pid), '--all', ...argv], { timeout: 20_000 });
    return r.stdout.trim();
  };
  const tryInTask = async (pid: number, argv: readonly string[]): Promise<string | undefined> =>
    inTask(pid, argv).catch(() => undefined);
  /** HTTP GET from the host `from`'s namespace. */
  const getFromHost = async (from: Host, url: string): Promise<string | undefined> => {
    try {
      return inNs(hostNs(from), httpGet(url)[0] ?? NODE, httpGet(url).slice(1)).trim();
    } catch {
      return undefined;
    }
  };
  const hostNs = (h: Host): string => (h as unknown as { s: { ns: string } }).s.ns;

  let clientPid = 0;
  let webVip = '';

  it('a task reaches a service on another host by name: ping and HTTP, VIP and tasks.<name>', async () => {
    await api('POST', '/networks/create', { Name: 'appnet', Driver: 'overlay' });
    await api('POST', '/services/create', {
      Name: 'web',
      TaskTemplate: {
        ContainerSpec: { Image: 'busybox', Command: WEB, StopGracePeriod: 1_000_000_000 },
        Placement: { Constraints: ['node.hostname==w1'] },
        Networks: [{ Target: 'appnet' }],
      },
      Mode: { Replicated: { Replicas: 1 } },
      EndpointSpec: { Ports: [{ Protocol: 'tcp', TargetPort: 80, PublishedPort: 8080 }] },
    });
    await api('POST', '/services/create', {
      Name: 'client',
      TaskTemplate: {
        ContainerSpec: { Image: 'busybox', Command: CLIENT, StopGracePeriod: 1_000_000_000 },
        Placement: { Constraints: ['node.hostname==w2'] },
        Networks: [{ Target: 'appnet' }],
      },
      Mode: { Replicated: { Replicas: 1 } },
    });
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
    await api('POST', '/services/create', {
      Name: 'rr',
      TaskTemplate: {
        ContainerSpec: { Image: 'busybox', Command: WEB, StopGracePeriod: 1_000_000_000 },
        Placement: { Constraints: ['node.hostname==w1'] },
        Networks: [{ Target: 'appnet' }],
      },
      Mode: { Replicated: { Replicas: 1 } },
      EndpointSpec: {
        Mode: 'dnsrr',
        Ports: [{ Protocol: 'tcp', TargetPort: 80, PublishedPort: 8081, PublishMode: 'host' }],
      },
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

  it('after removing the services and the network, no host keeps an overlay interface, namespace or mount', async () => {
    await api('DELETE', '/services/web');
    await api('DELETE', '/services/client');
    await c.waitFor(
      async () => {
        const left = await Promise.all(['web', 'client'].map((s) => running(s).catch(() => [])));
        return left.every((l) => l.length === 0);
      },
      'tasks gone',
      30_000,
    );
    await api('DELETE', '/networks/appnet');
    for (const h of [c.host('m1'), c.host('w1'), c.host('w2')]) {
      await c.waitFor(
        () =>
          safeReaddir(join(h.dataRoot, 'worker', 'netns')).filter((n) => n !== 'dataplane.json').length === 0,
        `${h.name}: no sandbox or task namespace left`,
        30_000,
      );
      const links = inNs(hostNs(h), 'ip', ['-o', 'link', 'show']);
      expect(links).not.toMatch(/vxlan|veth|\bbr0\b/);
      expect(mountsUnder(join(h.dataRoot, 'worker', 'netns'))).toEqual([]);
      expect(mountsUnder(join(h.dataRoot, 'worker', 'dns'))).toEqual([]);
    }
    const prefix = c.prefix;
    const root = c.root;
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
