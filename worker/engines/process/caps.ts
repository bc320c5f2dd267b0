/**
 * Least privilege as Docker does it by default: a task's capability bounding set is Docker's default
 * set with the spec's `CapabilityAdd` / `CapabilityDrop` applied (moby `oci/caps` TweakCapabilities),
 * its inheritable and ambient sets are empty, and `no_new_privs` is set when the spec asks. Applied with
 * util-linux `setpriv` right before the workload's exec (script.ts).
 */
import { execFileSync } from 'node:child_process';
import { InvalidArgumentError } from '../../../proto/shared/errors.ts';
import type { Privileges } from './script.ts';

/** Docker's default capabilities (moby `oci/caps/defaults.go`), lower case without `CAP_`. */
export const DOCKER_DEFAULT_CAPS: readonly string[] = Object.freeze([
  'chown',
  'dac_override',
  'fsetid',
  'fowner',
  'mknod',
  'net_raw',
  'setgid',
  'setuid',
  'setfcap',
  'setpcap',
  'net_bind_service',
  'sys_chroot',
  'kill',
  'audit_write',
]);

/** Every capability Linux knows (5.x/6.x), for validating names. */
const KNOWN = new Set([
  ...DOCKER_DEFAULT_CAPS,
  'dac_read_search',
  'linux_immutable',
  'net_broadcast',
  'net_admin',
  'ipc_lock',
  'ipc_owner',
  'sys_module',
  'sys_rawio',
  'sys_ptrace',
  'sys_pacct',
  'sys_admin',
  'sys_boot',
  'sys_nice',
  'sys_resource',
  'sys_time',
  'sys_tty_config',
  'lease',
  'audit_control',
  'mac_override',
  'mac_admin',
  'syslog',
  'wake_alarm',
  'block_suspend',
  'audit_read',
  'perfmon',
  'bpf',
  'checkpoint_restore',
]);

/** `CAP_NET_ADMIN`, `net_admin` → `net_admin`; `ALL` → `all`. */
function normalise(name: string, field: string): string {
  const n = name.trim().toLowerCase().replace(/^cap_/, '');
  if (n !== 'all' && !KNOWN.has(n))
    throw new InvalidArgumentError(`unknown capability ${JSON.stringify(name)}`, field);
  return n;
}

/**
 * The bounding set for setpriv's `--bounding-set`, e.g. `-all,+chown,+kill` (or `+all,-sys_admin`
 * when the spec adds ALL), from Docker's defaults and the spec's additions and drops.
 * @throws InvalidArgumentError for an unknown capability name.
 */
export function boundingSet(add: readonly string[], drop: readonly string[]): string {
  const adds = add.map((c) => normalise(c, 'ContainerSpec.CapabilityAdd'));
  const drops = drop.map((c) => normalise(c, 'ContainerSpec.CapabilityDrop'));
  if (adds.includes('all')) {
    return ['+all', ...drops.filter((d) => d !== 'all' && !adds.includes(d)).map((d) => `-${d}`)].join(',');
  }
  const base = drops.includes('all') ? [] : DOCKER_DEFAULT_CAPS.filter((c) => !drops.includes(c));
  const set = new Set([...base, ...adds]);
  return ['-all', ...[...set].map((c) => `+${c}`)].join(',');
}

/** The bounding set with `needed` kept as well (what the launcher needs to chroot and change user). */
export function withNeeded(bounding: string, needed: readonly string[]): string {
  if (bounding.startsWith('+all')) {
    return bounding
      .split(',')
      .filter((p) => !needed.includes(p.slice(1)))
      .join(',');
  }
  const have = new Set(bounding.split(',').slice(1));
  return [bounding, ...needed.filter((n) => !have.has(`+${n}`)).map((n) => `+${n}`)].join(',');
}

let setprivBinary: string | null | undefined;

/** util-linux `setpriv`, found once on PATH (undefined when the host has none). */
export function findSetpriv(): string | undefined {
  if (setprivBinary === undefined) {
    try {
      setprivBinary = execFileSync('sh', ['-c', 'command -v setpriv'], { encoding: 'utf8' }).trim() || null;
    } catch {
      setprivBinary = null;
    }
  }
  return setprivBinary ?? undefined;
}

/**
 * The privileges a container spec asks for: Docker's default capabilities tweaked by the spec, and
 * no_new_privs when `Privileges.NoNewPrivileges` is set. Undefined when the host has no setpriv.
 * @throws InvalidArgumentError for an unknown capability name.
 */
export function privilegesOf(cs: {
  readonly capabilityAdd?: readonly string[] | undefined;
  readonly capabilityDrop?: readonly string[] | undefined;
  readonly privileges?: { readonly noNewPrivileges?: boolean | undefined } | null;
}): Privileges | undefined {
  const bounding = boundingSet(cs.capabilityAdd ?? [], cs.capabilityDrop ?? []);
  const setpriv = findSetpriv();
  if (setpriv === undefined) return undefined;
  return { setpriv, bounding, noNewPrivs: cs.privileges?.noNewPrivileges === true };
}
