/**
 * The real docker CLI drives Shoal. For each CLI a user may have — the machine's 28.x and Debian's
 * 20.10 — a fresh Shoal cluster of five shoald processes (3 managers, 2 workers, embedded process
 * engine) is built with the CLI's own `swarm init` and `swarm join`, then every command of
 * ../shared/reference/docker-cli-28-trace.txt runs against it, with its output and exit code checked,
 * `docker stack deploy -c trace-stack-compose.yml` included.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureDockerInstalled } from '../worker/engines/docker/testkit.ts';
import { makeBusyboxRootfs, tarDir } from '../worker/images/testkit.ts';
import { eventually } from './harness.ts';
import { api, ShoaldKit, type DaemonHandle } from './shoald-kit.ts';

const REFERENCE = fileURLToPath(new URL('../../shared/reference/', import.meta.url));
const why = process.getuid?.() !== 0 ? 'needs root (namespaces, tmpfs, apt)' : await ensureDockerInstalled();
if (why) console.warn(`docker CLI suite skipped: ${why}`);

/** The docker CLIs to check: the machine's own (28.x) and Debian's docker.io (20.10). */
const CLIS = [
  { version: '28', bin: existsSync('/usr/local/bin/docker') ? '/usr/local/bin/docker' : 'docker' },
  { version: '20.10', bin: '/usr/bin/docker' },
];

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Image names the trace uses, imported on every node: busybox with a CMD that logs then sleeps. */
const IMAGES = ['nginx:alpine', 'nginx:1.27', 'busybox:latest'];
const CMD = 'CMD ["sh", "-c", "echo hello from $(hostname) line 0; echo hello line 1; exec sleep 3600"]';

describe.skipIf(why !== undefined).each(CLIS)('docker $version CLI against a Shoal cluster', (cli) => {
  const work = mkdtempSync(join(tmpdir(), `shoal-dockercli-${cli.version}-`));
  const kit = new ShoaldKit({ root: join(work, 'nodes') });
  let m1: DaemonHandle, m2: DaemonHandle, m3: DaemonHandle, w1: DaemonHandle, w2: DaemonHandle;

  const docker = (node: DaemonHandle, args: readonly string[], input?: string): Promise<Run> =>
    new Promise((resolve) => {
      const child = execFile(
        cli.bin,
        ['-H', `unix://${node.socket}`, ...args],
        { cwd: work, env: { ...process.env, DOCKER_CONFIG: join(work, 'docker-config') }, timeout: 120_000 },
        (err, stdout, stderr) => {
          const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
          resolve({ code, stdout, stderr });
        },
      );
      if (input !== undefined) child.stdin?.end(input);
    });
  const ok = async (node: DaemonHandle, args: readonly string[]): Promise<string> => {
    const r = await docker(node, args);
    expect(r.code, `docker ${args.join(' ')}\n${r.stdout}\n${r.stderr}\n${kit.describe()}`).toBe(0);
    return r.stdout;
  };

  beforeAll(async () => {
    const rootfs = join(work, 'rootfs');
    await makeBusyboxRootfs(rootfs);
    await tarDir(rootfs, join(work, 'busybox.tar'));
    writeFileSync(join(work, 'secret.txt'), 's3cr3t');
    writeFileSync(join(work, 'cfg.yml'), 'key: val\n');
    [m1, m2, m3, w1, w2] = (await Promise.all(['m1', 'm2', 'm3', 'w1', 'w2'].map((n) => kit.add(n)))) as [
      DaemonHandle,
      DaemonHandle,
      DaemonHandle,
      DaemonHandle,
      DaemonHandle,
    ];
    const { readFileSync } = await import('node:fs');
    const tar = readFileSync(join(work, 'busybox.tar'));
    for (const n of kit.nodes)
      for (const image of IMAGES) {
        const r = await importImage(n, image, tar);
        if (r !== 200) throw new Error(`import ${image} on ${n.name}: ${r}`);
      }
  }, 180_000);
  afterAll(async () => {
    await kit.destroy();
    rmSync(work, { recursive: true, force: true });
  }, 180_000);

  it('swarm init, join-token and join build the cluster', async () => {
    const init = await ok(m1, ['swarm', 'init', '--advertise-addr', m1.addr, '--listen-addr', m1.addr]);
    expect(init).toMatch(/^Swarm initialized: current node \([a-z0-9]{25}\) is now a manager\./);
    expect(init).toContain(`docker swarm join --token SWMTKN-1-`);
    expect(init).toContain(m1.addr);
    const wt = await ok(m1, ['swarm', 'join-token', 'worker']);
    expect(wt).toContain('To add a worker to this swarm, run the following command:');
    const workerToken = (await ok(m1, ['swarm', 'join-token', '-q', 'worker'])).trim();
    const managerToken = (await ok(m1, ['swarm', 'join-token', '-q', 'manager'])).trim();
    expect(wt).toContain(workerToken);
    for (const m of [m2, m3]) {
      const out = await ok(m, [
        'swarm',
        'join',
        '--token',
        managerToken,
        '--listen-addr',
        m.addr,
        '--advertise-addr',
        m.addr,
        m1.addr,
      ]);
      expect(out.trim()).toBe('This node joined a swarm as a manager.');
    }
    for (const w of [w1, w2]) {
      const out = await ok(w, [
        'swarm',
        'join',
        '--token',
        workerToken,
        '--listen-addr',
        w.addr,
        '--advertise-addr',
        w.addr,
        m1.addr,
      ]);
      expect(out.trim()).toBe('This node joined a swarm as a worker.');
    }
    const rotated = (await ok(m1, ['swarm', 'join-token', '--rotate', '-q', 'manager'])).trim();
    expect(rotated).toMatch(/^SWMTKN-1-/);
    expect(rotated).not.toBe(managerToken);
  }, 180_000);

  it('node ls, inspect, update, promote, demote and ps', async () => {
    await eventually(
      async () => {
        const out = await ok(m1, ['node', 'ls']);
        return (
          out.split('\n').filter((l) => l.includes('Ready')).length === 5 &&
          out.match(/Reachable/g)?.length === 2
        );
      },
      'five ready nodes, two reachable managers besides the leader',
      () => kit.describe(),
      60_000,
    );
    const ls = await ok(m1, ['node', 'ls']);
    expect(ls.split('\n')[0]).toMatch(
      /^ID\s+HOSTNAME\s+STATUS\s+AVAILABILITY\s+MANAGER STATUS\s+ENGINE VERSION/,
    );
    expect(ls).toMatch(/ \*\s+m1\s+Ready\s+Active\s+Leader/);
    expect(ls.match(/Reachable/g)).toHaveLength(2);
    const pretty = await ok(m1, ['node', 'inspect', '--pretty', 'self']);
    expect(pretty).toMatch(/Hostname:\s+m1/);
    expect(pretty).toMatch(/Leader:\s+Yes/);
    expect(
      (await ok(m1, ['node', 'update', '--availability', 'drain', '--label-add', 'a=b', 'w1'])).trim(),
    ).toBe('w1');
    expect(
      await ok(m1, ['node', 'inspect', '--format', '{{.Spec.Availability}} {{.Spec.Labels.a}}', 'w1']),
    ).toBe('drain b\n');
    expect((await ok(m1, ['node', 'promote', 'w1'])).trim()).toBe(
      'Node w1 promoted to a manager in the swarm.',
    );
    expect((await ok(m1, ['node', 'demote', 'w1'])).trim()).toBe('Manager w1 demoted in the swarm.');
    await ok(m1, ['node', 'update', '--availability', 'active', 'w1']);
    expect((await ok(m1, ['node', 'ps', 'self'])).split('\n')[0]).toMatch(
      /^ID\s+NAME\s+IMAGE\s+NODE\s+DESIRED STATE/,
    );
  }, 180_000);

  it('service create waits for convergence; ls, ps, inspect, update, rollback, scale, logs, rm', async () => {
    const created = await ok(m1, [
      'service',
      'create',
      '--name',
      'web',
      '--replicas',
      '2',
      '-p',
      '8080:80',
      'nginx:alpine',
    ]);
    expect(created).toMatch(/overall progress: 2 out of 2 tasks/);
    // 28.x names the service; 20.10 prints just "verify: Service converged"
    expect(created).toMatch(/verify: Service (web |[a-z0-9]{25} )?converged/);
    const id2 = (
      await ok(m1, [
        'service',
        'create',
        '-d',
        '--name',
        'web2',
        '--mode',
        'global',
        '--no-resolve-image',
        'busybox',
      ])
    ).trim();
    expect(id2).toMatch(/^[a-z0-9]{25}$/);
    await eventually(
      async () => /web2\s+global\s+5\/5/.test(await ok(m1, ['service', 'ls'])),
      'the global service on all five nodes',
      () => kit.describe(),
      60_000,
    );
    const ls = await ok(m1, ['service', 'ls']);
    expect(ls.split('\n')[0]).toMatch(/^ID\s+NAME\s+MODE\s+REPLICAS\s+IMAGE\s+PORTS/);
    expect(ls).toMatch(/web\s+replicated\s+2\/2\s+nginx:alpine\s+\*:8080->80\/tcp/);
    const ps = await ok(m1, ['service', 'ps', 'web']);
    expect(ps).toMatch(/web\.1\s+nginx:alpine\s+\S+\s+Running\s+Running/);
    expect(ps).toMatch(/web\.2\s+nginx:alpine/);
    const pretty = await ok(m1, ['service', 'inspect', '--pretty', 'web']);
    expect(pretty).toMatch(/Name:\s+web/);
    expect(pretty).toMatch(/Replicas:\s+2/);
    expect(pretty).toMatch(/PublishedPort = 8080/);
    expect(
      (
        await ok(m1, [
          'service',
          'update',
          '-d',
          '--image',
          'nginx:1.27',
          '--update-parallelism',
          '2',
          '--update-delay',
          '10s',
          'web',
        ])
      ).trim(),
    ).toBe('web');
    expect(
      await ok(m1, ['service', 'inspect', '--format', '{{.Spec.TaskTemplate.ContainerSpec.Image}}', 'web']),
    ).toBe('nginx:1.27\n');
    expect((await ok(m1, ['service', 'update', '-d', '--rollback', 'web'])).trim()).toBe('web');
    expect(
      await ok(m1, ['service', 'inspect', '--format', '{{.Spec.TaskTemplate.ContainerSpec.Image}}', 'web']),
    ).toBe('nginx:alpine\n');
    expect((await ok(m1, ['service', 'rollback', '-d', 'web'])).trim()).toBe('web');
    expect((await ok(m1, ['service', 'scale', '-d', 'web=3'])).trim()).toBe('web scaled to 3');
    await eventually(
      async () => /web\s+replicated\s+3\/3/.test(await ok(m1, ['service', 'ls'])),
      'three replicas',
      () => kit.describe(),
      60_000,
    );
    await eventually(
      async () =>
        (
          (await ok(m1, ['service', 'logs', 'web'])).match(/^web\.\d\.[a-z0-9]{12}@\S+\s+\| hello from/gm) ??
          []
        ).length >= 3,
      'a log line from every replica',
      () => kit.describe(),
      30_000,
    );
    expect((await ok(m1, ['service', 'rm', 'web', 'web2'])).trim().split('\n')).toEqual(['web', 'web2']);
  }, 240_000);

  it('secrets, configs and networks', async () => {
    expect((await ok(m1, ['secret', 'create', 'mysecret', 'secret.txt'])).trim()).toMatch(/^[a-z0-9]{25}$/);
    expect(await ok(m1, ['secret', 'ls'])).toMatch(
      /^ID\s+NAME\s+DRIVER\s+CREATED\s+UPDATED\n\S+\s+mysecret\s+/,
    );
    expect((await ok(m1, ['secret', 'rm', 'mysecret'])).trim()).toBe('mysecret');
    expect((await ok(m1, ['config', 'create', 'mycfg', 'cfg.yml'])).trim()).toMatch(/^[a-z0-9]{25}$/);
    expect(await ok(m1, ['config', 'ls'])).toMatch(/mycfg/);
    expect((await ok(m1, ['config', 'rm', 'mycfg'])).trim()).toBe('mycfg');
    expect((await ok(m1, ['network', 'create', '-d', 'overlay', 'mynet'])).trim()).toMatch(/^[a-z0-9]{25}$/);
    const nets = await ok(m1, ['network', 'ls']);
    expect(nets).toMatch(/ingress\s+overlay\s+swarm/);
    expect(nets).toMatch(/mynet\s+overlay\s+swarm/);
    expect((await ok(m1, ['network', 'rm', 'mynet'])).trim()).toBe('mynet');
  }, 60_000);

  it('swarm update --autolock, unlock-key --rotate, swarm ca and info', async () => {
    const upd = await ok(m1, ['swarm', 'update', '--autolock', '--cert-expiry', '48h']);
    expect(upd).toContain('Swarm updated.');
    expect(upd).toMatch(/SWMKEY-1-\S+/);
    const rot = await ok(m1, ['swarm', 'unlock-key', '--rotate']);
    expect(rot).toContain('Successfully rotated manager unlock key.');
    expect((await ok(m1, ['swarm', 'ca'])).trim()).toMatch(
      /^-----BEGIN CERTIFICATE-----[\s\S]+-----END CERTIFICATE-----$/,
    );
    const info = await ok(m1, ['info']);
    expect(info).toContain('Swarm: active');
    expect(info).toContain('Is Manager: true');
    expect(info).toMatch(/Managers: 3/);
    expect(info).toMatch(/Nodes: 5/);
    expect(info).toMatch(/Expiry Duration: 2 days/);
    expect(info).toMatch(/Autolock Managers: true/);
  }, 60_000);

  it('stack deploy, ls, services, ps and rm with the trace compose file', async () => {
    await ok(m1, ['secret', 'create', 'ext_secret', 'secret.txt']);
    writeFileSync(
      join(work, 'compose.yml'),
      (await import('node:fs')).readFileSync(join(REFERENCE, 'trace-stack-compose.yml')),
    );
    const dep = await ok(m1, ['stack', 'deploy', '-c', 'compose.yml', 'mystack']);
    for (const what of [
      'network mystack_front',
      'network mystack_back',
      'secret mystack_mysecret',
      'config mystack_mycfg',
      'service mystack_web',
      'service mystack_worker',
    ])
      expect(dep).toContain(`Creating ${what}`);
    expect(await ok(m1, ['stack', 'ls'])).toMatch(/mystack\s+2/);
    const svcs = await ok(m1, ['stack', 'services', 'mystack']);
    expect(svcs).toMatch(
      /mystack_web\s+replicated\s+\d\/3 \(max 2 per node\)\s+nginx:alpine\s+\*:8081->80\/tcp/,
    );
    expect(svcs).toMatch(/mystack_worker\s+global/);
    expect(await ok(m1, ['stack', 'ps', 'mystack'])).toMatch(/mystack_web\.1\s+nginx:alpine/);
    const rm = await ok(m1, ['stack', 'rm', 'mystack']);
    expect(rm).toContain('Removing service mystack_web');
    expect(rm).toContain('Removing network mystack_default');
    await eventually(
      async () => !(await ok(m1, ['network', 'ls'])).includes('mystack_'),
      'the stack networks gone',
      () => kit.describe(),
      60_000,
    );
  }, 120_000);

  it('swarm leave refuses a manager without --force, then leaves with it', async () => {
    const refused = await docker(m3, ['swarm', 'leave']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(
      'Error response from daemon: You are attempting to leave the swarm on a node that is participating as a manager.',
    );
    expect((await ok(m3, ['swarm', 'leave', '--force'])).trim()).toBe('Node left the swarm.');
    const gone = await docker(m3, ['node', 'ls']);
    expect(gone.code).toBe(1);
    expect(gone.stderr).toContain('This node is not a swarm manager.');
  }, 60_000);
});

async function importImage(n: DaemonHandle, name: string, tar: Buffer): Promise<number> {
  const { request } = await import('node:http');
  return new Promise((resolve, reject) => {
    const q = new URLSearchParams({ name, changes: CMD });
    const req = request(
      {
        socketPath: n.socket,
        method: 'POST',
        path: `/shoal/images/import?${q.toString()}`,
        headers: { 'content-type': 'application/x-tar', 'content-length': String(tar.length) },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', reject);
    req.end(tar);
  });
}

// `api` is used by helpers above through ShoaldKit; keep the import for direct checks when debugging.
void api;
