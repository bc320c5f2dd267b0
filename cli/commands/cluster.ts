/**
 * `shoal cluster up|down|status`: a local Shoal cluster on this one machine, for trying Shoal out —
 * shoald processes on loopback (each with its own data root, API socket and cluster port, embedded
 * process engine), joined into one swarm, with a small demo stack whose service answers HTTP.
 * The processes run in the background; `down` makes each node leave (its tasks stop) and removes the
 * folder. Nothing listens beyond 127.0.0.1.
 */
import { spawn } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import type { Ctx } from '../context.ts';
import { CliError, UsageError } from '../errors.ts';
import { ApiClient } from '../http.ts';
import { deployStack, loadStack, type DeployOptions } from './stack-deploy.ts';

const SHOALD = fileURLToPath(new URL('../../daemon/bin/shoald.js', import.meta.url));
const STATE = 'cluster.json';

interface ClusterNode {
  readonly name: string;
  readonly pid: number;
  readonly socket: string;
  readonly addr: string;
  readonly role: 'manager' | 'worker';
}

interface ClusterState {
  readonly dir: string;
  readonly nodes: readonly ClusterNode[];
  readonly demoPort: number;
}

export const DEFAULT_CLUSTER_DIR = join(homedir(), '.shoal', 'local-cluster');

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const a = srv.address();
      srv.close(() => (typeof a === 'object' && a ? resolve(a.port) : reject(new Error('no free port'))));
    });
  });
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function readState(dir: string): ClusterState | undefined {
  const p = join(dir, STATE);
  return existsSync(p) ? (JSON.parse(readFileSync(p, 'utf8')) as ClusterState) : undefined;
}

function count(v: string, flag: string, min: number): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < min || n > 9)
    throw new UsageError(`invalid argument "${v}" for "${flag}" flag: want a whole number from ${min} to 9`);
  return n;
}

async function waitForApi(api: ApiClient, name: string, log: string, timeoutMs = 60_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    try {
      await api.request('GET', '/_ping', { unversioned: true });
      return;
    } catch {
      if (Date.now() > end) {
        const tail = existsSync(log) ? readFileSync(log, 'utf8').split('\n').slice(-15).join('\n') : '';
        throw new CliError(`${name}: shoald did not answer within ${timeoutMs / 1000} s\n${tail}`);
      }
      await new Promise((r) => setTimeout(r, 200));
    }
  }
}

/** Starts one shoald in the background. */
async function startNode(dir: string, name: string, role: ClusterNode['role']): Promise<ClusterNode> {
  const root = join(dir, name);
  mkdirSync(root, { recursive: true });
  const socket = join(root, 'shoal.sock');
  const addr = `127.0.0.1:${await freePort()}`;
  const log = join(dir, `${name}.log`);
  const fd = openSync(log, 'a');
  const child = spawn(
    process.execPath,
    [
      SHOALD,
      '--data-root',
      root,
      '-H',
      `unix://${socket}`,
      '--listen-addr',
      addr,
      '--advertise-addr',
      addr,
      '--hostname',
      name,
    ],
    { detached: true, stdio: ['ignore', fd, fd] },
  );
  closeSync(fd);
  child.unref();
  const api = new ApiClient(`unix://${socket}`);
  try {
    await waitForApi(api, name, log);
  } finally {
    api.close();
  }
  return { name, pid: child.pid ?? 0, socket, addr, role };
}

/**
 * The demo stack: examples/demo-stack.yml, deployed as `shoal stack deploy --resolve-image never`
 * would (its service answers HTTP on the host's loopback: the process engine's host network).
 */
const DEMO_STACK = fileURLToPath(new URL('../../examples/demo-stack.yml', import.meta.url));

async function deployDemo(ctx: Ctx, api: ApiClient, port: number): Promise<void> {
  const o: DeployOptions = {
    composeFiles: [DEMO_STACK],
    prune: false,
    resolveImage: 'never',
    detach: true,
    quiet: true,
    env: { ...process.env, NODE: process.execPath, DEMO_PORT: String(port) },
  };
  ctx.io.out(`Deploying the demo stack (${DEMO_STACK}) ...\n`);
  await deployStack({ ...ctx, api: () => api }, 'demo', loadStack('demo', o), o);
}

async function up(
  ctx: Ctx,
  o: { managers: string; workers: string; dir: string; demoPort: string; demo: boolean },
): Promise<void> {
  const managers = count(o.managers, '--managers', 1);
  const workers = count(o.workers, '--workers', 0);
  const demoPort = Number(o.demoPort);
  if (!/^\d+$/.test(o.demoPort) || demoPort < 1024 || demoPort > 65535)
    throw new UsageError(
      `invalid argument "${o.demoPort}" for "--demo-port" flag: want a port from 1024 to 65535`,
    );
  const existing = readState(o.dir);
  if (existing && existing.nodes.some((n) => alive(n.pid)))
    throw new CliError(`a local cluster is already running in ${o.dir}; run \`shoal cluster down\` first`);
  rmSync(o.dir, { recursive: true, force: true });
  mkdirSync(o.dir, { recursive: true });
  const nodes: ClusterNode[] = [];
  const save = (): void =>
    writeFileSync(join(o.dir, STATE), JSON.stringify({ dir: o.dir, nodes, demoPort }, null, 2));
  const names = [
    ...Array.from({ length: managers }, (_, i) => ({ name: `manager${i + 1}`, role: 'manager' as const })),
    ...Array.from({ length: workers }, (_, i) => ({ name: `worker${i + 1}`, role: 'worker' as const })),
  ];
  ctx.io.out(`Starting ${managers} manager(s) and ${workers} worker(s) in ${o.dir} ...\n`);
  for (const n of names) {
    nodes.push(await startNode(o.dir, n.name, n.role));
    save();
  }
  const first = nodes[0] as ClusterNode;
  const lead = new ApiClient(`unix://${first.socket}`);
  try {
    await lead.json('POST', '/swarm/init', { body: { ListenAddr: first.addr, AdvertiseAddr: first.addr } });
    const tokens = (await lead.get<{ JoinTokens: { Worker: string; Manager: string } }>('/swarm')).JoinTokens;
    for (const n of nodes.slice(1)) {
      const api = new ApiClient(`unix://${n.socket}`);
      try {
        await api.request('POST', '/swarm/join', {
          body: {
            ListenAddr: n.addr,
            AdvertiseAddr: n.addr,
            RemoteAddrs: [first.addr],
            JoinToken: n.role === 'manager' ? tokens.Manager : tokens.Worker,
          },
        });
      } finally {
        api.close();
      }
    }
    if (o.demo) await deployDemo(ctx, lead, demoPort);
  } finally {
    lead.close();
  }
  const host = `unix://${first.socket}`;
  ctx.io.out(
    [
      `Local Shoal cluster is up: ${nodes.map((n) => `${n.name} (${n.addr})`).join(', ')}.`,
      ...(o.demo
        ? [
            '',
            `Demo stack "demo": service demo_web answers HTTP on 127.0.0.1:${demoPort} (give it a second):`,
            `  curl http://127.0.0.1:${demoPort}/`,
          ]
        : []),
      '',
      'Look at it with shoal or with the docker CLI:',
      `  export SHOAL_HOST=${host}`,
      '  npx shoal node ls',
      '  npx shoal service ps demo_web',
      `  docker -H ${host} service ls`,
      '',
      'Stop it and remove its data:',
      `  npx shoal cluster down${o.dir === DEFAULT_CLUSTER_DIR ? '' : ` --dir ${o.dir}`}`,
      '',
    ].join('\n'),
  );
}

async function down(ctx: Ctx, o: { dir: string }): Promise<void> {
  const state = readState(o.dir);
  if (!state) {
    ctx.io.out(`No local cluster in ${o.dir}.\n`);
    return;
  }
  // Workers first, then managers: each leaves (its tasks stop), then its shoald stops.
  const order = [...state.nodes].sort((a, b) => (a.role === b.role ? 0 : a.role === 'worker' ? -1 : 1));
  for (const n of order) {
    if (!alive(n.pid)) continue;
    const api = new ApiClient(`unix://${n.socket}`);
    await api.request('POST', '/swarm/leave', { query: { force: '1' } }).catch(() => undefined);
    api.close();
    process.kill(n.pid, 'SIGTERM');
    const end = Date.now() + 15_000;
    while (alive(n.pid) && Date.now() < end) await new Promise((r) => setTimeout(r, 100));
    if (alive(n.pid)) process.kill(n.pid, 'SIGKILL');
    ctx.io.out(`${n.name} stopped\n`);
  }
  rmSync(o.dir, { recursive: true, force: true });
  ctx.io.out(`Local cluster removed (${o.dir}).\n`);
}

async function status(ctx: Ctx, o: { dir: string }): Promise<void> {
  const state = readState(o.dir);
  if (!state) {
    ctx.io.out(`No local cluster in ${o.dir}.\n`);
    return;
  }
  for (const n of state.nodes) {
    let swarm = 'not running';
    if (alive(n.pid)) {
      const api = new ApiClient(`unix://${n.socket}`);
      try {
        const info = await api.get<{ Swarm: { LocalNodeState: string; ControlAvailable: boolean } }>('/info');
        swarm = `${info.Swarm.LocalNodeState}${info.Swarm.ControlAvailable ? ' (manager)' : ' (worker)'}`;
      } catch (err) {
        swarm = `not answering: ${(err as Error).message}`;
      } finally {
        api.close();
      }
    }
    ctx.io.out(`${n.name}\tpid ${n.pid}\t${n.addr}\tunix://${n.socket}\t${swarm}\n`);
  }
}

/** Registers `cluster`. */
export function registerCluster(program: Command, ctx: Ctx): void {
  const cluster = program
    .command('cluster')
    .description('Run a local Shoal cluster on this machine (for trying Shoal)');
  cluster
    .command('up')
    .description('Start shoald processes on loopback, join them into a swarm and deploy a demo stack')
    .option('--managers <n>', 'managers to start', '3')
    .option('--workers <n>', 'workers to start', '0')
    .option('--dir <dir>', 'where the nodes keep their data', DEFAULT_CLUSTER_DIR)
    .option('--demo-port <port>', 'port the demo service answers HTTP on', '8080')
    .option('--no-demo', 'do not deploy the demo stack')
    .action((o: { managers: string; workers: string; dir: string; demoPort: string; demo: boolean }) =>
      up(ctx, o),
    );
  cluster
    .command('down')
    .description('Stop the local cluster: every node leaves the swarm and stops; its data is removed')
    .option('--dir <dir>', 'the cluster folder', DEFAULT_CLUSTER_DIR)
    .action((o: { dir: string }) => down(ctx, o));
  cluster
    .command('status')
    .description("Show the local cluster's nodes")
    .option('--dir <dir>', 'the cluster folder', DEFAULT_CLUSTER_DIR)
    .action((o: { dir: string }) => status(ctx, o));
}
