/**
 * The two measurements of the overlay benchmark, each run from one namespace towards an address in
 * another: iperf3 (one TCP stream, receiver's bits/s) and ping (median RTT). Every child process is
 * tracked so that a SIGINT/SIGTERM can end them before their namespaces are deleted (a process inside
 * a deleted namespace keeps that namespace alive).
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';

/** One way of reaching B from A: the namespaces the two ends run in and B's address there. */
export interface Path {
  readonly name: 'underlay' | 'overlay' | 'encrypted';
  /** Namespace (under /run/netns) of the client / pinging side. */
  readonly client: string;
  /** Namespace of the server / answering side. */
  readonly server: string;
  readonly serverIp: string;
}

export interface MeasureOptions {
  /** iperf3 `-t`, after a 1 s `-O` omit. */
  readonly seconds: number;
  /** Pings per RTT figure, 10 ms apart. */
  readonly pings: number;
}

const children = new Set<ChildProcess>();

function track(child: ChildProcess): ChildProcess {
  children.add(child);
  child.once('exit', () => children.delete(child));
  return child;
}

/** Kills every child still running (iperf3 servers and clients, pings); for cleanup on a signal. */
export function killChildren(): void {
  for (const c of children) c.kill('SIGKILL');
}

/** A command run by {@link execIn} failed (or timed out); `stdout` is what it printed before. */
class CommandError extends Error {
  constructor(
    readonly command: string,
    readonly stdout: string,
    cause: Error,
  ) {
    super(`${command}: ${cause.message}`, { cause });
  }
}

/** Runs `cmd` inside namespace `ns`; resolves with stdout, rejects with a {@link CommandError}. */
function execIn(ns: string, cmd: string, args: readonly string[], timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    track(
      execFile(
        'ip',
        ['netns', 'exec', ns, cmd, ...args],
        { timeout: timeoutMs, maxBuffer: 16 << 20 },
        (err, stdout) => (err ? reject(new CommandError(`${cmd} in ${ns}`, stdout, err)) : resolve(stdout)),
      ),
    );
  });
}

/** The median of `xs` (NaN for none). */
export function median(xs: readonly number[]): number {
  if (xs.length === 0) return Number.NaN;
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? (s[m] ?? 0) : ((s[m - 1] ?? 0) + (s[m] ?? 0)) / 2;
}

interface IperfJson {
  readonly error?: string;
  readonly end?: { readonly sum_received?: { readonly bits_per_second?: number } };
}

/**
 * One iperf3 run over `p`: Mbit/s received by the server (in B), the client in A. Not pinned: on this
 * 2-CPU machine `-A 0,1` (client and server on different CPUs) cut veth throughput 2-3x (the receive
 * softirq runs on the sender's CPU, so every segment crosses caches), which would measure the pinning.
 */
export async function iperfMbps(p: Path, o: MeasureOptions): Promise<number> {
  const port = String(5201 + Math.floor(Math.random() * 1000));
  const server = track(
    spawn('ip', ['netns', 'exec', p.server, 'iperf3', '-s', '-1', '-p', port], { stdio: 'ignore' }),
  );
  const args = ['-c', p.serverIp, '-p', port, '-t', String(o.seconds), '-O', '1', '-J'];
  try {
    // the server may not listen yet: retry "unable to connect" for up to 5 s, nothing else. iperf3 -J
    // may exit 0 with an "error" in its JSON, so the JSON decides, not the exit status.
    for (let attempt = 0; ; attempt++) {
      const { out, failure } = await execIn(p.client, 'iperf3', args, (o.seconds + 20) * 1000).then(
        (stdout) => ({ out: stdout, failure: undefined }),
        (err: unknown) => {
          if (!(err instanceof CommandError)) throw err;
          return { out: err.stdout, failure: err };
        },
      );
      const j = parseIperf(out);
      const error = j?.error ?? failure?.message;
      if (error !== undefined && attempt < 50 && /unable to (connect|send control)/.test(error)) {
        await new Promise((r) => setTimeout(r, 100));
        continue;
      }
      if (error !== undefined)
        throw new Error(`iperf3 ${p.name} to ${p.serverIp}: ${error}`, { cause: failure });
      const bps = j?.end?.sum_received?.bits_per_second;
      if (bps === undefined) throw new Error(`iperf3 ${p.name}: no end.sum_received in ${out.slice(0, 300)}`);
      return bps / 1e6;
    }
  } finally {
    server.kill('SIGKILL');
  }
}

function parseIperf(out: string): IperfJson | undefined {
  try {
    return JSON.parse(out) as IperfJson;
  } catch {
    return undefined;
  }
}

/**
 * Median RTT over `p` in µs. Not `ping -q`: its summary has min/avg/max/mdev but no median, so the
 * per-reply times are read instead.
 */
export async function rttUs(p: Path, o: MeasureOptions): Promise<number> {
  const args = ['-c', String(o.pings), '-i', '0.01', '-W', '1', p.serverIp];
  const out = await execIn(p.client, 'ping', args, 60_000);
  const times = [...out.matchAll(/time=([\d.]+) ms/g)].map((m) => Number(m[1]) * 1000);
  if (times.length < o.pings / 2)
    throw new Error(`ping ${p.name}: only ${times.length} replies of ${o.pings}`);
  return median(times);
}
