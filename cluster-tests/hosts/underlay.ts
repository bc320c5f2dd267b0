/**
 * The private network the hosts share: a bridge `br0` inside the run's own underlay namespace
 * `<prefix>-ul`, and per host a namespace `<prefix>-<name>` with loopback up and `eth0` (a veth whose
 * peer is a bridge port) holding `10.250.X.(10+i)/24`. Nothing is created in the machine's own network
 * namespace, so the underlay cannot clash with or leak into the machine's networks.
 *
 * Each host namespace gets four empty iptables chains, jumped to from INPUT and OUTPUT: SHOAL-PART-IN/OUT
 * (partitions) and SHOAL-LOSS-IN/OUT (packet loss); the fault helpers only ever add to and flush these.
 */
import { inNs, listNetns, run, tryRun } from './sys.ts';
import { readRecords } from './registry.ts';

export const CHAINS = {
  partIn: 'SHOAL-PART-IN',
  partOut: 'SHOAL-PART-OUT',
  lossIn: 'SHOAL-LOSS-IN',
  lossOut: 'SHOAL-LOSS-OUT',
} as const;

/**
 * An underlay octet X for 10.250.X.0/24 that no other live run uses and that no route of the machine's
 * own namespace covers (harmless either way, since the underlay is private, but it keeps `ip` output
 * unambiguous when people look at several runs).
 */
export function pickSubnetOctet(): number {
  const used = new Set(readRecords().map((r) => r.subnetOctet));
  const routes = run('ip', ['-4', 'route', 'show', 'table', 'all']);
  for (const m of routes.matchAll(/\b10\.250\.(\d+)\./g)) used.add(Number(m[1]));
  const free = [...Array(250).keys()].map((i) => i + 1).filter((x) => !used.has(x));
  const pick = free[Math.floor(Math.random() * free.length)];
  if (pick === undefined) throw new Error('no free 10.250.X.0/24 underlay subnet');
  return pick;
}

export function underlayNs(prefix: string): string {
  return `${prefix}-ul`;
}

/** Creates the underlay namespace with its bridge. */
export function createUnderlay(prefix: string): void {
  const ul = underlayNs(prefix);
  run('ip', ['netns', 'add', ul]);
  run('ip', ['-n', ul, 'link', 'set', 'lo', 'up']);
  run('ip', ['-n', ul, 'link', 'add', 'br0', 'type', 'bridge']);
  run('ip', ['-n', ul, 'link', 'set', 'br0', 'up']);
}

/** Creates one host namespace wired to the bridge, with its address and its empty fault chains. */
export function createHostNs(prefix: string, ns: string, port: string, ip: string): void {
  const ul = underlayNs(prefix);
  if (listNetns().includes(ns)) throw new Error(`namespace ${ns} already exists`);
  run('ip', ['netns', 'add', ns]);
  run('ip', ['-n', ns, 'link', 'set', 'lo', 'up']);
  run('ip', ['-n', ul, 'link', 'add', port, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', ns]);
  run('ip', ['-n', ul, 'link', 'set', port, 'master', 'br0']);
  run('ip', ['-n', ul, 'link', 'set', port, 'up']);
  run('ip', ['-n', ns, 'addr', 'add', `${ip}/24`, 'dev', 'eth0']);
  run('ip', ['-n', ns, 'link', 'set', 'eth0', 'up']);
  for (const c of Object.values(CHAINS)) inNs(ns, 'iptables', ['-w', '-N', c]);
  inNs(ns, 'iptables', ['-w', '-A', 'INPUT', '-j', CHAINS.partIn]);
  inNs(ns, 'iptables', ['-w', '-A', 'INPUT', '-j', CHAINS.lossIn]);
  inNs(ns, 'iptables', ['-w', '-A', 'OUTPUT', '-j', CHAINS.partOut]);
  inNs(ns, 'iptables', ['-w', '-A', 'OUTPUT', '-j', CHAINS.lossOut]);
}

/** Empties one of a host's fault chains. */
export function flushChain(ns: string, chain: string): void {
  inNs(ns, 'iptables', ['-w', '-F', chain]);
}

/** Appends a rule to one of a host's fault chains. */
export function addRule(ns: string, chain: string, rule: readonly string[]): void {
  inNs(ns, 'iptables', ['-w', '-A', chain, ...rule]);
}

/** The rules of a host's fault chains, as `iptables -S` prints them (for describe()). */
export function listRules(ns: string): string[] {
  const out: string[] = [];
  for (const c of Object.values(CHAINS)) {
    try {
      out.push(
        ...inNs(ns, 'iptables', ['-w', '-S', c])
          .split('\n')
          .filter((l) => l.startsWith('-A')),
      );
    } catch {
      // namespace gone
    }
  }
  return out;
}

/** Whether the kernel has netem (it is needed for an honest delay; see HostCluster.delay). */
export function hasNetem(ns: string): boolean {
  const ok = tryRun('nsenter', [
    `--net=/var/run/netns/${ns}`,
    'tc',
    'qdisc',
    'add',
    'dev',
    'lo',
    'root',
    'netem',
    'delay',
    '1ms',
  ]);
  if (ok) tryRun('nsenter', [`--net=/var/run/netns/${ns}`, 'tc', 'qdisc', 'del', 'dev', 'lo', 'root']);
  return ok;
}
