/**
 * The faults, as plain functions over host namespaces and data roots; {@link HostCluster} exposes them.
 * Network faults are iptables rules in the host namespaces' own fault chains (see underlay.ts), so
 * they act on the real sockets of the real daemons and nothing outside the run is touched.
 */
import { closeSync, openSync, readSync, readdirSync, rmSync, statSync, writeSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { inNs, tryRun } from './sys.ts';
import { addRule, CHAINS, flushChain, hasNetem } from './underlay.ts';

/** Thrown by delay() on kernels without sch_netem: there is no honest way to delay packets here. */
export class DelayUnsupportedError extends Error {
  constructor(readonly host: string) {
    super(
      `delay(${host}): not supported by this kernel (no sch_netem: \`tc qdisc add dev eth0 root netem delay …\` ` +
        'fails with "Specified qdisc kind is unknown"). A tbf/htb rate limit is not a delay, so the harness ' +
        'refuses rather than fake one. Use loss() or partition() instead, or a kernel with sch_netem.',
    );
    this.name = 'DelayUnsupportedError';
  }
}

/** The namespace and underlay address of a host, all the network faults need. */
export interface NetHost {
  readonly name: string;
  readonly ns: string;
  readonly ip: string;
}

/**
 * Drops traffic between every host of `a` and every host of `b`; with `oneWay`, only packets from `a`
 * to `b` (so TCP connections in either direction fail, but datagrams from `b` still reach `a`).
 */
export function partition(a: readonly NetHost[], b: readonly NetHost[], oneWay: boolean): void {
  for (const x of a)
    for (const y of b) {
      if (x.ns === y.ns) throw new Error(`partition: ${x.name} is on both sides`);
      addRule(x.ns, CHAINS.partOut, ['-d', y.ip, '-j', 'DROP']);
      addRule(y.ns, CHAINS.partIn, ['-s', x.ip, '-j', 'DROP']);
      if (!oneWay) {
        addRule(y.ns, CHAINS.partOut, ['-d', x.ip, '-j', 'DROP']);
        addRule(x.ns, CHAINS.partIn, ['-s', y.ip, '-j', 'DROP']);
      }
    }
}

/** Removes every partition rule of these hosts. */
export function heal(hosts: readonly NetHost[]): void {
  for (const h of hosts) {
    flushChain(h.ns, CHAINS.partIn);
    flushChain(h.ns, CHAINS.partOut);
  }
}

/**
 * Every packet entering or leaving the host on the underlay is dropped with probability `pct`/100
 * (so a round trip is lost more often than `pct`%). `pct` 0 removes the loss.
 */
export function loss(h: NetHost, pct: number): void {
  if (!(pct >= 0 && pct <= 100))
    throw new RangeError(`loss(${h.name}): pct must be in [0, 100] (got ${pct})`);
  flushChain(h.ns, CHAINS.lossIn);
  flushChain(h.ns, CHAINS.lossOut);
  if (pct === 0) return;
  const stat = ['-m', 'statistic', '--mode', 'random', '--probability', (pct / 100).toFixed(4), '-j', 'DROP'];
  addRule(h.ns, CHAINS.lossIn, ['-i', 'eth0', ...stat]);
  addRule(h.ns, CHAINS.lossOut, ['-o', 'eth0', ...stat]);
}

/** Delays every packet the host sends on the underlay by `ms` (netem); 0 removes it. */
export function delay(h: NetHost, ms: number): void {
  if (!(ms >= 0)) throw new RangeError(`delay(${h.name}): ms must be ≥ 0 (got ${ms})`);
  if (ms === 0) {
    tryRun('nsenter', [`--net=/var/run/netns/${h.ns}`, 'tc', 'qdisc', 'del', 'dev', 'eth0', 'root']);
    return;
  }
  if (!hasNetem(h.ns)) throw new DelayUnsupportedError(h.name);
  inNs(h.ns, 'tc', ['qdisc', 'replace', 'dev', 'eth0', 'root', 'netem', 'delay', `${ms}ms`]);
}

/** The name of the file fillDisk() writes in a data root. */
export const FILL_FILE = '.harness-fill';

/** Writes one file into `dataRoot` (its own tmpfs) until the filesystem says ENOSPC; returns bytes written. */
export function fillDisk(dataRoot: string): number {
  const fd = openSync(join(dataRoot, FILL_FILE), 'a');
  let written = 0;
  try {
    for (const size of [1 << 20, 4096, 1]) {
      const chunk = Buffer.alloc(size, 0x5a);
      for (;;) {
        try {
          written += writeSync(fd, chunk);
        } catch (err) {
          if ((err as NodeJS.ErrnoException).code === 'ENOSPC') break;
          throw err;
        }
      }
    }
  } finally {
    closeSync(fd);
  }
  return written;
}

/** Undoes fillDisk(). */
export function freeDisk(dataRoot: string): void {
  rmSync(join(dataRoot, FILL_FILE), { force: true });
}

/**
 * Flips bytes of the file at `relPath` under `dataRoot` (every file below it when it is a folder):
 * 64 bytes in the middle and one byte in every 512. Returns the files changed (relative paths).
 */
export function corrupt(dataRoot: string, relPath: string): string[] {
  const target = resolve(dataRoot, relPath);
  if (relative(dataRoot, target).startsWith('..'))
    throw new Error(`corrupt: "${relPath}" is outside the data root`);
  const files: string[] = [];
  const walk = (p: string): void => {
    const st = statSync(p);
    if (st.isDirectory()) for (const e of readdirSync(p)) walk(join(p, e));
    else if (st.isFile() && st.size > 0) files.push(p);
  };
  walk(target);
  for (const f of files) flipBytes(f);
  return files.map((f) => relative(dataRoot, f));
}

function flipBytes(file: string): void {
  const size = statSync(file).size;
  const fd = openSync(file, 'r+');
  try {
    const offsets = new Set<number>();
    const mid = Math.floor(size / 2);
    for (let i = Math.max(0, mid - 32); i < Math.min(size, mid + 32); i++) offsets.add(i);
    for (let i = 0; i < size; i += 512) offsets.add(i);
    const b = Buffer.alloc(1);
    for (const o of offsets) {
      readSync(fd, b, 0, 1, o);
      b[0] = (b[0] ?? 0) ^ 0xff;
      writeSync(fd, b, 0, 1, o);
    }
  } finally {
    closeSync(fd);
  }
}
