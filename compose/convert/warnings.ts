/**
 * Warnings for service keys Swarm does not honour, worded like `docker stack deploy`
 * ("Ignoring unsupported options: build", "Ignoring deprecated options: …"), one line per service
 * so the user sees where.
 */
import type { Dict } from './read.ts';

/** docker/cli's UnsupportedProperties: warned about, and (except `restart`) not converted. */
export const UNSUPPORTED_PROPERTIES: readonly string[] = [
  'build',
  'cgroupns_mode',
  'cgroup_parent',
  'devices',
  'domainname',
  'external_links',
  'ipc',
  'links',
  'mac_address',
  'network_mode',
  'pid',
  'privileged',
  'restart',
  'security_opt',
  'shm_size',
  'userns_mode',
];

/**
 * Keys of the Compose Specification that no ServiceSpec field carries; docker drops them without a
 * word, Shoal warns as for the unsupported ones.
 */
export const IGNORED_PROPERTIES: readonly string[] = [
  'annotations',
  'attach',
  'blkio_config',
  'cgroup',
  'cpu_count',
  'cpu_percent',
  'cpu_period',
  'cpu_rt_period',
  'cpu_rt_runtime',
  'cpus',
  'depends_on',
  'develop',
  'device_cgroup_rules',
  'dns_opt',
  'gpus',
  'group_add',
  'label_file',
  'mem_reservation',
  'mem_swappiness',
  'oom_kill_disable',
  'pids_limit',
  'platform',
  'post_start',
  'pre_stop',
  'profiles',
  'provider',
  'pull_policy',
  'pull_refresh_after',
  'runtime',
  'scale',
  'storage_opt',
  'tmpfs',
  'use_api_socket',
  'uts',
];

/** docker/cli's DeprecatedProperties, with its explanations. */
export const DEPRECATED_PROPERTIES: Readonly<Record<string, string>> = {
  container_name: 'Setting the container name is not supported.',
  expose:
    "Exposing ports is unnecessary - services on the same network can access each other's containers on any port.",
};

const UNSUPPORTED = new Set([...UNSUPPORTED_PROPERTIES, ...IGNORED_PROPERTIES]);

/** The warnings for one service (empty when every key it uses is honoured). */
export function serviceWarnings(name: string, service: Dict): string[] {
  const keys = Object.keys(service).sort();
  const out: string[] = [];
  const unsupported = keys.filter((k) => UNSUPPORTED.has(k));
  if (unsupported.length > 0)
    out.push(`service ${name}: Ignoring unsupported options: ${unsupported.join(', ')}`);
  const deprecated = keys.filter((k) => Object.hasOwn(DEPRECATED_PROPERTIES, k));
  if (deprecated.length > 0) {
    const lines = deprecated.map((k) => `${k}: ${DEPRECATED_PROPERTIES[k] ?? ''}`);
    out.push(`service ${name}: Ignoring deprecated options: ${lines.join('; ')}`);
  }
  return out;
}
