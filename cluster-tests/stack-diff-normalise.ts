/**
 * What stack-diff.test.ts compares: the services, networks, secrets and configs one stack left on a
 * cluster (Shoal or Docker Swarm), as the Engine API returns them, with ONLY the fields the server
 * generates replaced or dropped:
 *
 * - object IDs, CreatedAt/UpdatedAt/Created timestamps and Version (index) are dropped;
 * - IDs inside a service spec (TaskTemplate.Networks[].Target, ContainerSpec.Secrets[].SecretID,
 *   ContainerSpec.Configs[].ConfigID) are replaced by the referenced object's name;
 * - a service's Endpoint (the allocator's observed state: virtual IPs, the ports it published) and
 *   UpdateStatus/ServiceStatus are dropped: they are status, not spec;
 * - a network's Containers, Peers and Status (attachments, observed state), the VXLAN ID the allocator
 *   picked (Options["com.docker.network.driver.overlay.vxlanid_list"], value only) and, for IPAM pools
 *   the compose file did not set, the allocated Subnet and Gateway (values only) are replaced by
 *   placeholders.
 *
 * - and only when the reference dockerd is older than API 1.42 (Debian's 20.10 speaks 1.41): the two
 *   fields Shoal writes that such a daemon has no notion of (`withoutNewerFields`), from Shoal's side.
 *
 * Everything else — every spec field, label, option, default the server fills in — must be equal.
 */

/** A JSON object as the Engine API returns it. */
export type Obj = Record<string, unknown>;

/** One stack's objects on one cluster, normalised. */
export interface StackSnapshot {
  readonly services: Record<string, unknown>;
  readonly networks: Record<string, unknown>;
  readonly secrets: Record<string, unknown>;
  readonly configs: Record<string, unknown>;
}

/** Name lookups for IDs found inside specs (every network, secret and config of the cluster). */
export interface Names {
  readonly networks: ReadonlyMap<string, string>;
  readonly secrets: ReadonlyMap<string, string>;
  readonly configs: ReadonlyMap<string, string>;
}

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const obj = (v: unknown): Obj => (isObj(v) ? v : {});
const byName = (name: string | undefined, names: ReadonlyMap<string, string>, id: unknown): string =>
  typeof id === 'string' ? (names.get(id) ?? `<unknown id of ${name ?? '?'}>`) : `<${typeof id}>`;

/** A service: its Spec with IDs turned into names; nothing else of the object. */
export function normaliseService(service: Obj, names: Names): unknown {
  const spec = structuredClone(obj(service['Spec']));
  const task = obj(spec['TaskTemplate']);
  const container = obj(task['ContainerSpec']);
  if (Array.isArray(task['Networks']))
    for (const n of task['Networks'] as Obj[]) n['Target'] = byName('network', names.networks, n['Target']);
  if (Array.isArray(container['Secrets']))
    for (const s of container['Secrets'] as Obj[])
      s['SecretID'] = byName('secret', names.secrets, s['SecretID']);
  if (Array.isArray(container['Configs']))
    for (const c of container['Configs'] as Obj[])
      c['ConfigID'] = byName('config', names.configs, c['ConfigID']);
  // A credential spec may name a config by ID too (docker's convert fills it from the config list).
  const cred = obj(obj(container['Privileges'])['CredentialSpec']);
  if (typeof cred['Config'] === 'string' && cred['Config'] !== '')
    cred['Config'] = byName('config', names.configs, cred['Config']);
  return spec;
}

/**
 * A network as `network inspect` shows it, minus Id, Created, Containers, Peers and Status; the
 * allocated VXLAN ID, and the Subnet/Gateway of pools the file did not give, as placeholders.
 * `givenSubnets` are the subnets the compose file set for this network.
 */
export function normaliseNetwork(network: Obj, givenSubnets: ReadonlySet<string>): unknown {
  const n = structuredClone(network);
  for (const k of ['Id', 'Created', 'Containers', 'Peers', 'Status']) delete n[k];
  const options = n['Options'];
  if (isObj(options) && 'com.docker.network.driver.overlay.vxlanid_list' in options)
    options['com.docker.network.driver.overlay.vxlanid_list'] = '<allocated>';
  const ipam = n['IPAM'];
  if (isObj(ipam) && Array.isArray(ipam['Config'])) {
    for (const pool of ipam['Config'] as Obj[]) {
      if (typeof pool['Subnet'] === 'string' && givenSubnets.has(pool['Subnet'])) continue;
      if ('Subnet' in pool) pool['Subnet'] = '<allocated>';
      if ('Gateway' in pool) pool['Gateway'] = '<allocated>';
    }
  }
  return n;
}

/** A secret or config: its Spec (the API never returns a secret's Data; a config's Data it does). */
export function normaliseFileObject(o: Obj): unknown {
  return structuredClone(obj(o['Spec']));
}

/** Keyed by name, so that the comparison does not depend on list order. */
export function keyed(list: readonly Obj[], name: (o: Obj) => string, f: (o: Obj) => unknown): Obj {
  const entries: [string, unknown][] = list.map((o) => [name(o), f(o)]);
  return Object.fromEntries(entries.sort(([a], [b]) => a.localeCompare(b)));
}

/** The name a service, secret or config carries in its Spec; a network's Name. */
export function specName(o: Obj): string {
  const name = obj(o['Spec'])['Name'] ?? o['Name'];
  return typeof name === 'string' ? name : '';
}

/**
 * Fields Shoal writes (it speaks API 1.47, as Docker 27/28) that the Docker daemon on this machine
 * does not know when it is Debian's 20.10 (API 1.41): there is nothing there to compare them with.
 * Dropped from Shoal's side only when the reference daemon's API version is below 1.42.
 */
const NEWER_THAN_1_41: readonly { kind: 'services' | 'networks'; path: readonly string[] }[] = [
  { kind: 'services', path: ['TaskTemplate', 'ContainerSpec', 'Privileges', 'NoNewPrivileges'] },
  { kind: 'networks', path: ['EnableIPv4'] },
];

/** Compares dotted API versions (`1.41` < `1.47`). */
export function apiBelow(version: string, than: string): boolean {
  const [a1 = 0, a2 = 0] = version.split('.').map(Number);
  const [b1 = 0, b2 = 0] = than.split('.').map(Number);
  return a1 < b1 || (a1 === b1 && a2 < b2);
}

/** Drops, from `snap`, the fields a reference daemon of API `referenceApi` cannot have written. */
export function withoutNewerFields(snap: StackSnapshot, referenceApi: string): StackSnapshot {
  if (!apiBelow(referenceApi, '1.42')) return snap;
  const out = structuredClone(snap) as { services: Obj; networks: Obj; secrets: Obj; configs: Obj };
  for (const { kind, path } of NEWER_THAN_1_41) {
    for (const o of Object.values(out[kind])) {
      let at: unknown = o;
      for (const key of path.slice(0, -1)) at = isObj(at) ? at[key] : undefined;
      if (isObj(at)) delete at[path[path.length - 1] ?? ''];
    }
  }
  return out;
}
