/**
 * `npm run cluster -- up|status|down`: the host harness as a user tool. `up` starts a swarm of hosts
 * (network namespaces, one detached shoald each) that outlives the command and writes its state to
 * `<dir>/state.json` (default ~/.shoal/hosts-cluster); `status` shows it; `down` removes it all.
 * `sweep` removes what crashed test runs left behind.
 */
import { Command, InvalidArgumentError } from 'commander';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { HostCluster, type ClusterState } from './cluster.ts';
import type { Host } from './host.ts';
import { sweepStale } from './registry.ts';
import { procStat } from './sys.ts';

const DEFAULT_DIR = join(homedir(), '.shoal', 'hosts-cluster');
const stateFile = (dir: string): string => join(dir, 'state.json');

function count(flag: string, min: number): (v: string) => number {
  return (v) => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < min)
      throw new InvalidArgumentError(`${flag} must be an integer ≥ ${min}`);
    return n;
  };
}

function table(rows: readonly (readonly string[])[]): string {
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length))) ?? [];
  return rows
    .map((r) =>
      r
        .map((c, i) => c.padEnd(widths[i] ?? 0))
        .join('   ')
        .trimEnd(),
    )
    .join('\n');
}

function load(dir: string): HostCluster {
  const f = stateFile(dir);
  if (!existsSync(f)) throw new Error(`no cluster in ${dir} (start one with: npm run cluster -- up)`);
  return HostCluster.attach(JSON.parse(readFileSync(f, 'utf8')) as ClusterState);
}

function requireRoot(): void {
  const why = HostCluster.unavailable();
  if (why) throw new Error(`cannot run host clusters here: ${why}`);
}

async function up(o: {
  managers: number;
  workers: number;
  dir: string;
  tickMs?: number;
  heartbeatMs?: number;
  diskMb: number;
}): Promise<void> {
  requireRoot();
  if (existsSync(stateFile(o.dir))) {
    const old = load(o.dir);
    const alive = old.hosts.filter((h) => h.running()).length;
    throw new Error(
      `a cluster (${old.prefix}, ${alive}/${old.hosts.length} daemons running) is already recorded in ${o.dir}: ` +
        `run \`npm run cluster -- down${o.dir === DEFAULT_DIR ? '' : ` --dir ${o.dir}`}\` first, or use another --dir`,
    );
  }
  mkdirSync(o.dir, { recursive: true });
  const started = Date.now();
  const c = await HostCluster.start({
    managers: o.managers,
    workers: o.workers,
    dir: o.dir,
    persistent: true,
    diskMb: o.diskMb,
    ...(o.tickMs !== undefined ? { tickMs: o.tickMs } : {}),
    ...(o.heartbeatMs !== undefined ? { heartbeatMs: o.heartbeatMs } : {}),
  });
  writeFileSync(stateFile(o.dir), JSON.stringify(c.state, null, 2));
  let leader = '?';
  await c
    .waitFor(async () => ((leader = (await c.leader()).name), true), 'a leader', 10_000)
    .catch(() => undefined);
  console.log(
    `cluster ${c.prefix} up in ${((Date.now() - started) / 1000).toFixed(1)} s: ${o.managers} manager(s), ` +
      `${o.workers} worker(s) on the private underlay ${c.subnet} (namespaces ${c.prefix}-*); leader ${leader}\n`,
  );
  console.log(
    table([
      ['HOST', 'ROLE', 'ADDRESS', 'NAMESPACE', 'API'],
      ...c.hosts.map((h) => [h.name, h.role, h.addr, h.s.ns, `unix://${h.socket}`]),
    ]),
  );
  console.log(
    `\nreach a host's API (from the repo): npx shoal -H unix://${c.host(0).socket} node ls\n` +
      `                  or with docker: docker -H unix://${c.host(0).socket} service ls\n` +
      `logs: ${c.root}/<host>/shoald.log    state: ${stateFile(o.dir)}\n` +
      `a shell on a host: nsenter --net=/var/run/netns/${c.prefix}-m1 bash\n` +
      `status: npm run cluster -- status${o.dir === DEFAULT_DIR ? '' : ` --dir ${o.dir}`}    ` +
      `remove: npm run cluster -- down${o.dir === DEFAULT_DIR ? '' : ` --dir ${o.dir}`}`,
  );
}

async function hostStatus(h: Host): Promise<{ daemon: string; swarm: string }> {
  if (!h.running()) return { daemon: 'not running', swarm: '-' };
  const paused = procStat(h.pid ?? 0)?.state === 'T';
  const daemon = `${paused ? 'paused' : 'running'} (pid ${h.pid})`;
  if (paused) return { daemon, swarm: '-' };
  try {
    const info = (await h.api('GET', '/v1.47/info', undefined, 3000)).json<{
      Swarm: { LocalNodeState: string; ControlAvailable: boolean };
    }>();
    return { daemon, swarm: info.Swarm.LocalNodeState };
  } catch (err) {
    return { daemon, swarm: `API: ${err instanceof Error ? err.message : String(err)}` };
  }
}

async function status(dir: string): Promise<void> {
  const c = load(dir);
  const rows = await Promise.all(
    c.hosts.map(async (h) => {
      const s = await hostStatus(h);
      const leader =
        h.role === 'manager' && h.running() ? ((await c.leaderSeenBy(h, 3000))?.name ?? '-') : '';
      return [h.name, h.role, h.addr, s.daemon, s.swarm, leader, `unix://${h.socket}`];
    }),
  );
  console.log(`cluster ${c.prefix} on ${c.subnet} (state ${stateFile(dir)})\n`);
  console.log(table([['HOST', 'ROLE', 'ADDRESS', 'DAEMON', 'SWARM', 'SEES LEADER', 'API'], ...rows]));
}

async function down(dir: string): Promise<void> {
  requireRoot();
  const c = load(dir);
  await c.destroy();
  rmSync(stateFile(dir), { force: true });
  console.log(`cluster ${c.prefix} removed (daemons, tasks, namespaces, tmpfs mounts, ${c.root})`);
}

export async function main(argv: readonly string[]): Promise<void> {
  const dirOpt = ['--dir <dir>', 'where the state file and the hosts live', DEFAULT_DIR] as const;
  const cmd = new Command('cluster').description(
    'A Shoal swarm of hosts in network namespaces (one shoald each, on a private underlay).',
  );
  cmd
    .command('up')
    .description('start a swarm of hosts; the daemons keep running after this command')
    .option('--managers <n>', 'manager hosts', count('--managers', 1), 3)
    .option('--workers <n>', 'worker hosts', count('--workers', 0), 0)
    .option(...dirOpt)
    .option('--tick-ms <ms>', "raft tick (default: shoald's, 1 s)", count('--tick-ms', 1))
    .option(
      '--heartbeat-ms <ms>',
      "dispatcher heartbeat (default: shoald's, 5 s)",
      count('--heartbeat-ms', 1),
    )
    .option('--disk-mb <mb>', "size of each host's data-root tmpfs", count('--disk-mb', 8), 64)
    .action(async (o: Parameters<typeof up>[0]) => up(o));
  cmd
    .command('status')
    .description('show the hosts of the recorded cluster')
    .option(...dirOpt)
    .action(async (o: { dir: string }) => status(o.dir));
  cmd
    .command('down')
    .description('stop and remove the recorded cluster')
    .option(...dirOpt)
    .action(async (o: { dir: string }) => down(o.dir));
  cmd
    .command('sweep')
    .description('remove what crashed test runs left behind (never a cluster made by `up`)')
    .action(() => {
      requireRoot();
      const swept = sweepStale();
      console.log(swept.length ? `swept ${swept.join(', ')}` : 'nothing to sweep');
    });
  await cmd.parseAsync([...argv], { from: 'user' });
}

if (process.argv[1] && import.meta.filename === process.argv[1]) {
  main(process.argv.slice(2)).then(
    () => process.exit(0),
    (err: unknown) => {
      console.error(`cluster: ${err instanceof Error ? err.message : String(err)}`);
      process.exit(1);
    },
  );
}
