/**
 * One "host": a network namespace with its own shoald (process engine), its data root on a private
 * tmpfs, its API on a unix socket (reachable from anywhere on the machine: a path socket does not
 * belong to a network namespace), its cluster port on its underlay address. The daemon is started
 * detached through `nsenter --net` (not `ip netns exec`, which remounts /sys and hides the cgroups),
 * so it outlives whoever started it; it is tracked by pid and start time, never by a handle.
 */
import { spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { request } from 'node:http';
import { SHOALD_BIN, type ApiResponse } from '../shoald-kit.ts';
import { isAlive, NETNS_DIR, procStat, signal } from './sys.ts';

/** What is remembered of a host (the CLI's state file holds these). */
export interface HostState {
  /** `m1`, `m2`, … for managers, `w1`, … for workers; also the node's hostname. */
  readonly name: string;
  readonly role: 'manager' | 'worker';
  /** Its network namespace, `<prefix>-<name>`. */
  readonly ns: string;
  /** Its underlay address. */
  readonly ip: string;
  /** Its folder: `shoal.sock`, `shoald.log`, and `data/` (the tmpfs data root). */
  readonly dir: string;
  readonly dataRoot: string;
  readonly socket: string;
  readonly logFile: string;
  pid?: number;
  pidStart?: number;
}

/** Daemon settings shared by every host of a cluster. */
export interface DaemonSettings {
  /** Raft tick (ms); undefined: shoald's default. */
  readonly tickMs?: number;
  /** Dispatcher heartbeat period (ms) of the swarm; undefined: shoald's default. */
  readonly heartbeatMs?: number;
  readonly logLevel?: string;
}

export const CLUSTER_PORT = 2377;

export class Host {
  constructor(
    readonly s: HostState,
    private readonly settings: DaemonSettings,
  ) {}

  get name(): string {
    return this.s.name;
  }
  get role(): 'manager' | 'worker' {
    return this.s.role;
  }
  get ip(): string {
    return this.s.ip;
  }
  /** `ip:2377`, what the other nodes dial. */
  get addr(): string {
    return `${this.s.ip}:${CLUSTER_PORT}`;
  }
  get socket(): string {
    return this.s.socket;
  }
  get dataRoot(): string {
    return this.s.dataRoot;
  }
  get pid(): number | undefined {
    return this.running() ? this.s.pid : undefined;
  }

  /** The daemon is alive (possibly stopped by SIGSTOP). */
  running(): boolean {
    return this.s.pid !== undefined && isAlive(this.s.pid, this.s.pidStart);
  }

  /** Starts shoald detached inside the host's namespace; resolves once its API answers. */
  async start(): Promise<void> {
    if (this.running()) throw new Error(`${this.name}: shoald is already running (pid ${this.s.pid})`);
    const fd = openSync(this.s.logFile, 'a');
    const args = [
      `--net=${NETNS_DIR}/${this.s.ns}`,
      process.execPath,
      SHOALD_BIN,
      '--data-root',
      this.s.dataRoot,
      '-H',
      `unix://${this.s.socket}`,
      '--listen-addr',
      this.addr,
      '--advertise-addr',
      this.addr,
      '--hostname',
      this.name,
      '--engine',
      'process',
      '--cert-poll-ms',
      '300',
      ...(this.settings.tickMs !== undefined ? ['--tick-ms', String(this.settings.tickMs)] : []),
      ...(this.settings.heartbeatMs !== undefined
        ? ['--heartbeat-ms', String(this.settings.heartbeatMs)]
        : []),
    ];
    const child = spawn('nsenter', args, {
      detached: true,
      stdio: ['ignore', fd, fd],
      env: { ...process.env, SHOAL_LOG_LEVEL: this.settings.logLevel ?? 'info' },
    });
    closeSync(fd);
    child.unref();
    const pid = child.pid;
    if (pid === undefined) throw new Error(`${this.name}: could not start nsenter`);
    this.s.pid = pid;
    this.s.pidStart = procStat(pid)?.startTime ?? 0;
    const end = Date.now() + 60_000;
    for (;;) {
      if (!this.running()) throw new Error(`${this.name}: shoald exited at start\n${this.tail()}`);
      if ((await this.ping(1000)) === 200) return;
      if (Date.now() > end) throw new Error(`${this.name}: API not up after 60 s\n${this.tail()}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  /** Sends a signal to the daemon; false when it is not running. */
  signal(sig: NodeJS.Signals): boolean {
    return this.running() && this.s.pid !== undefined && signal(this.s.pid, sig);
  }

  /** Stops the daemon (SIGTERM, SIGKILL after `graceMs`, or SIGKILL at once) and waits for it. */
  async stop(how: 'SIGTERM' | 'SIGKILL' = 'SIGTERM', graceMs = 10_000): Promise<void> {
    if (!this.running()) return;
    this.signal('SIGCONT');
    this.signal(how);
    const end = Date.now() + graceMs;
    while (this.running()) {
      if (Date.now() > end) this.signal('SIGKILL');
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  /** `GET /_ping`'s status, or 0 when the API does not answer within `timeoutMs`. */
  async ping(timeoutMs: number): Promise<number> {
    return this.api('GET', '/_ping', undefined, timeoutMs).then(
      (r) => r.status,
      () => 0,
    );
  }

  /** One HTTP request to the host's API socket; rejects when no answer comes within `timeoutMs`. */
  api(method: string, path: string, body?: unknown, timeoutMs = 30_000): Promise<ApiResponse> {
    return new Promise((resolve, reject) => {
      const data = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
      const req = request(
        {
          socketPath: this.s.socket,
          method,
          path,
          headers: data ? { 'content-type': 'application/json', 'content-length': String(data.length) } : {},
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
      req.setTimeout(timeoutMs, () =>
        req.destroy(new Error(`${this.name}: ${method} ${path}: no answer within ${timeoutMs} ms`)),
      );
      if (data) req.write(data);
      req.end();
    });
  }

  /** The last lines of the daemon's log. */
  tail(lines = 30): string {
    try {
      const text = readFileSync(this.s.logFile, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
      return `--- ${this.name} (${this.s.ip}) log ---\n${text}`;
    } catch {
      return `(no log for ${this.name})`;
    }
  }
}
