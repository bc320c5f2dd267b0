/**
 * Real shoald processes on loopback, as users run them: each with its own data root, API socket and
 * cluster port, started through the bin shim. For cluster tests of the daemon, the docker CLI suite,
 * `shoal cluster up` and the e2e benchmark. `destroy()` stops every process it started (SIGTERM, then
 * SIGKILL), shuts down their tasks, and removes the folder.
 */
import type { Dirent } from 'node:fs';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import {
  mkdirSync,
  mkdtempSync,
  rmSync,
  openSync,
  closeSync,
  readFileSync,
  readdirSync,
  readlinkSync,
} from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { eventually, freePort } from './harness.ts';
import { removeCgroups, taskCgroups } from './hosts/registry.ts';

export const SHOALD_BIN = fileURLToPath(new URL('../daemon/bin/shoald.js', import.meta.url));
export const SHOAL_BIN = fileURLToPath(new URL('../cli/bin/shoal.js', import.meta.url));

export interface DaemonHandle {
  readonly name: string;
  readonly dataRoot: string;
  readonly socket: string;
  /** The cluster address, `127.0.0.1:port`. */
  readonly addr: string;
  readonly logFile: string;
  proc: ChildProcess | undefined;
}

export interface ApiResponse {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: string;
  json<T = unknown>(): T;
}

export interface KitOptions {
  readonly engine?: 'process' | 'docker';
  readonly dockerHost?: string;
  /** Extra shoald flags for every node. */
  readonly flags?: readonly string[];
  readonly root?: string;
  /** Raft tick (ms) for every node; tests use 50 for quick elections, benchmarks shoald's default. */
  readonly tickMs?: number | 'default';
}

/** Sends one HTTP request to a daemon's unix socket. */
export function api(
  socket: string,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<ApiResponse> {
  return new Promise((resolve, reject) => {
    const data = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
    const req = request(
      {
        socketPath: socket,
        method,
        path,
        headers: {
          ...(data ? { 'content-type': 'application/json', 'content-length': String(data.length) } : {}),
          ...headers,
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: text,
            json: <T>() => JSON.parse(text) as T,
          });
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.setTimeout(30_000, () => req.destroy(new Error(`${method} ${path}: timed out`)));
    if (data) req.write(data);
    req.end();
  });
}

export class ShoaldKit {
  readonly root: string;
  readonly nodes: DaemonHandle[] = [];

  constructor(private readonly o: KitOptions = {}) {
    this.root = o.root ?? mkdtempSync(join(tmpdir(), 'shoald-kit-'));
  }

  /** Starts one more shoald (not yet in a swarm). */
  async add(name: string): Promise<DaemonHandle> {
    const dataRoot = join(this.root, name);
    mkdirSync(dataRoot, { recursive: true });
    const port = await freePort();
    const n: DaemonHandle = {
      name,
      dataRoot,
      socket: join(dataRoot, 'shoal.sock'),
      addr: `127.0.0.1:${port}`,
      logFile: join(this.root, `${name}.log`),
      proc: undefined,
    };
    this.nodes.push(n);
    await this.start(n);
    return n;
  }

  /** (Re)starts a node's shoald on its data root and waits for its API. */
  async start(n: DaemonHandle): Promise<void> {
    const fd = openSync(n.logFile, 'a');
    const args = [
      SHOALD_BIN,
      '--data-root',
      n.dataRoot,
      '-H',
      `unix://${n.socket}`,
      '--listen-addr',
      n.addr,
      '--advertise-addr',
      n.addr,
      '--hostname',
      n.name,
      '--engine',
      this.o.engine ?? 'process',
      ...(this.o.dockerHost ? ['--docker-host', this.o.dockerHost] : []),
      ...(this.o.tickMs === 'default' ? [] : ['--tick-ms', String(this.o.tickMs ?? 50)]),
      '--cert-poll-ms',
      '300',
      '--heartbeat-ms',
      '1000',
      ...(this.o.flags ?? []),
    ];
    n.proc = spawn(process.execPath, args, {
      stdio: ['ignore', fd, fd],
      env: { ...process.env, SHOAL_LOG_LEVEL: process.env['SHOAL_LOG_LEVEL'] ?? 'info' },
    });
    closeSync(fd);
    await eventually(
      async () => {
        if (n.proc?.exitCode !== null) throw new Error(`${n.name} exited:\n${this.tail(n)}`);
        return api(n.socket, 'GET', '/_ping').then(
          (r) => r.status === 200,
          () => false,
        );
      },
      `${n.name}'s API`,
      () => this.tail(n),
      30_000,
    );
  }

  /** Stops a node's shoald: SIGTERM (graceful) or SIGKILL. */
  async stop(n: DaemonHandle, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    const p = n.proc;
    if (!p || p.exitCode !== null || p.signalCode !== null) return;
    const exited = new Promise<void>((r) => p.once('exit', () => r()));
    p.kill(signal);
    const timer = setTimeout(() => p.kill('SIGKILL'), 15_000);
    await exited;
    clearTimeout(timer);
    n.proc = undefined;
  }

  /** The last lines of a node's log. */
  tail(n: DaemonHandle, lines = 40): string {
    try {
      return `--- ${n.name} log ---\n${readFileSync(n.logFile, 'utf8').split('\n').slice(-lines).join('\n')}`;
    } catch {
      return `(no log for ${n.name})`;
    }
  }

  describe(): string {
    return this.nodes.map((n) => this.tail(n, 15)).join('\n');
  }

  async destroy(): Promise<void> {
    // Leaving shuts the node's tasks down; then stop the processes.
    await Promise.all(
      this.nodes.map((n) =>
        n.proc ? api(n.socket, 'POST', '/swarm/leave?force=1').catch(() => undefined) : Promise.resolve(),
      ),
    );
    await Promise.all(this.nodes.map((n) => this.stop(n)));
    sweep(this.root);
    rmSync(this.root, { recursive: true, force: true });
  }
}

/**
 * The safety net of destroy(): kills any process still working under `root` (a task whose node could
 * not shut it down in time: its cwd or root directory is inside) and lazily unmounts what is left
 * mounted there (task tmpfs), deepest first, and removes the killed tasks' cgroups. Touches nothing
 * outside `root` but those cgroups, which its tasks' state files name.
 */
export function sweep(root: string): void {
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      const cwd = readlinkSync(`/proc/${pid}/cwd`);
      const rootDir = readlinkSync(`/proc/${pid}/root`);
      if (cwd.startsWith(root + '/') || rootDir.startsWith(root + '/')) process.kill(Number(pid), 'SIGKILL');
    } catch {
      // gone, or not ours to read
    }
  }
  // Tasks on the host's filesystem have cwd and root "/": find them by the pids their engine recorded.
  const walk = (dir: string): void => {
    let entries: Dirent[];
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const d of entries) {
      const e = d.name;
      const p = join(dir, e);
      if (e === 'state.json' && d.isFile()) {
        try {
          const pid = (JSON.parse(readFileSync(p, 'utf8')) as { pid?: unknown }).pid;
          if (typeof pid === 'number' && pid > 1) {
            for (const target of [-pid, pid])
              try {
                process.kill(target, 'SIGKILL');
              } catch {
                // already gone
              }
          }
        } catch {
          // not a task state file
        }
      } else if (d.isDirectory() && e !== 'rootfs') walk(p); // never follows symlinks
    }
  };
  walk(root);
  // The killed tasks' cgroup folders (a SIGKILLed shoald never removes them).
  removeCgroups(taskCgroups(root));
  const points = readFileSync('/proc/self/mounts', 'utf8')
    .split('\n')
    .map((l) => (l.split(' ')[1] ?? '').replace(/\\040/g, ' '))
    .filter((m) => m.startsWith(root + '/'))
    .sort((a, b) => b.length - a.length);
  for (const m of points) spawnSync('umount', ['-l', m]);
}
