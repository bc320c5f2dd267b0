/**
 * Thin wrappers over the system tools the host harness drives (`ip`, `nsenter`, `iptables`, `mount`)
 * and over /proc: which processes live in a network namespace, whether a pid is still the process we
 * started. Everything here is synchronous and throws a {@link CommandError} naming the command.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, readlinkSync, statSync } from 'node:fs';

/** Where `ip netns add` puts its namespace files. */
export const NETNS_DIR = '/var/run/netns';

/** A system command exited non-zero; `stderr` says why. */
export class CommandError extends Error {
  constructor(
    readonly argv: readonly string[],
    readonly status: number | null,
    readonly stderr: string,
  ) {
    super(`${argv.join(' ')} failed (exit ${String(status)}): ${stderr.trim()}`);
    this.name = 'CommandError';
  }
}

/** Runs a command to completion; throws {@link CommandError} unless it exits 0. Returns stdout. */
export function run(cmd: string, args: readonly string[]): string {
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  if (r.error) throw new CommandError([cmd, ...args], null, r.error.message);
  if (r.status !== 0) throw new CommandError([cmd, ...args], r.status, r.stderr);
  return r.stdout;
}

/** Runs a command; returns whether it exited 0 (for cleanup, where failures are expected). */
export function tryRun(cmd: string, args: readonly string[]): boolean {
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  return !r.error && r.status === 0;
}

/** Runs a command inside network namespace `ns` (only the network namespace: /sys stays as it is). */
export function inNs(ns: string, cmd: string, args: readonly string[]): string {
  return run('nsenter', [`--net=${NETNS_DIR}/${ns}`, cmd, ...args]);
}

/** The network namespaces `ip netns` knows. */
export function listNetns(): string[] {
  try {
    return readdirSync(NETNS_DIR);
  } catch {
    return [];
  }
}

/** The inode of a network namespace (what /proc/PID/ns/net points at), or undefined when gone. */
export function netnsInode(ns: string): number | undefined {
  try {
    return statSync(`${NETNS_DIR}/${ns}`).ino;
  } catch {
    return undefined;
  }
}

/** Every pid whose network namespace is one of `inodes`. */
export function pidsInNetns(inodes: ReadonlySet<number>): number[] {
  const out: number[] = [];
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const m = /^net:\[(\d+)\]$/.exec(readlinkSync(`/proc/${d}/ns/net`));
      if (m && inodes.has(Number(m[1]))) out.push(Number(d));
    } catch {
      // gone, or a kernel thread
    }
  }
  return out;
}

/** A process's command line, or undefined when it is gone. */
export function cmdline(pid: number): string[] | undefined {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8')
      .split('\0')
      .filter((s) => s !== '');
  } catch {
    return undefined;
  }
}

/** Field 22 of /proc/PID/stat (start time in clock ticks) and field 3 (state); undefined when gone. */
export function procStat(pid: number): { readonly state: string; readonly startTime: number } | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // the command name may hold spaces and parentheses: fields start after the last ')'
    const rest = text.slice(text.lastIndexOf(')') + 2).split(' ');
    return { state: rest[0] ?? '?', startTime: Number(rest[19]) };
  } catch {
    return undefined;
  }
}

/**
 * The process is alive and is the one started at `startTime` (pids are reused); zombies count as dead.
 */
export function isAlive(pid: number, startTime?: number): boolean {
  const s = procStat(pid);
  if (!s || s.state === 'Z' || s.state === 'X') return false;
  return startTime === undefined || s.startTime === startTime;
}

/** Sends a signal; false when the process is already gone. */
export function signal(pid: number, sig: NodeJS.Signals): boolean {
  try {
    process.kill(pid, sig);
    return true;
  } catch {
    return false;
  }
}

/** Mount points at or below `dir`, deepest first. */
export function mountsUnder(dir: string): string[] {
  return readFileSync('/proc/self/mounts', 'utf8')
    .split('\n')
    .map((l) => (l.split(' ')[1] ?? '').replace(/\\040/g, ' '))
    .filter((m) => m === dir || m.startsWith(dir + '/'))
    .sort((a, b) => b.length - a.length);
}

/** Why the harness cannot run here, or undefined when it can (root, `ip netns`, nsenter, iptables). */
export function unavailableReason(): string | undefined {
  if (process.getuid?.() !== 0) return 'host-namespace cluster tests need root';
  for (const [cmd, args] of [
    ['ip', ['netns', 'list']],
    ['nsenter', ['--version']],
    ['iptables', ['--version']],
  ] as const) {
    if (!tryRun(cmd, args)) return `\`${cmd} ${args.join(' ')}\` is not available`;
  }
  if (!existsSync('/proc/self/ns/net')) return 'no network namespaces in this kernel';
  return undefined;
}
