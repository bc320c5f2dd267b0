/**
 * A spare host: a namespace on the cluster's underlay running its own shoald, not in the swarm (for
 * join scenarios). It is not in `c.hosts` (so `describe()` leaves it out), but it carries the run's
 * prefix and lives under the run's folder, so `c.destroy()` (and the sweeper) remove it with the rest.
 * Addresses: `10.250.X.100+n`, clear of the cluster's `10.250.X.10+i`.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { HostCluster } from './cluster.ts';
import { Host, type HostState } from './host.ts';
import { run } from './sys.ts';
import { createHostNs } from './underlay.ts';

/**
 * Creates spare host `s<n>` (n ≥ 1, unique per cluster) and starts its daemon; resolves once its API
 * answers. `role` only names what it is meant to join as.
 */
export async function addSpareHost(
  c: HostCluster,
  n: number,
  role: 'manager' | 'worker' = 'worker',
): Promise<Host> {
  if (!(Number.isInteger(n) && n >= 1 && n <= 100))
    throw new RangeError(`spare host number must be in 1..100 (got ${n})`);
  const name = `s${n}`;
  const dir = join(c.root, name);
  const s: HostState = {
    name,
    role,
    ns: `${c.prefix}-${name}`,
    ip: `10.250.${c.state.subnetOctet}.${100 + n}`,
    dir,
    dataRoot: join(dir, 'data'),
    socket: join(dir, 'shoal.sock'),
    logFile: join(dir, 'shoald.log'),
  };
  createHostNs(c.prefix, s.ns, name, s.ip);
  mkdirSync(s.dataRoot, { recursive: true, mode: 0o700 });
  run('mount', ['-t', 'tmpfs', '-o', `size=${c.state.diskMb}m,mode=0700`, 'shoal-hosts', s.dataRoot]);
  const h = new Host(s, c.state.settings);
  await h.start();
  return h;
}
