/**
 * How the control API finds the object a user names, and Docker's list filters.
 *
 * A reference is tried, as Docker's daemon does, as a full ID, then as a name, then as an ID prefix.
 * Two or more matches are an error naming the count ("service we is ambiguous (2 matches found)").
 */
import type { ListFilters } from '../../proto/gen/shoal/api/ListFilters.ts';
import { InvalidArgumentError, NotFoundError } from '../../proto/shared/errors.ts';
import { nameOf, type ReadTx } from '../store/memory.ts';
import type { Kind, ObjectOf, Task, TaskState } from '../store/types.ts';
import { TASK_STATES } from '../orchestrator/common.ts';

/** The one object `ref` names: its ID, its name, or a unique prefix of its ID. */
export function resolve<K extends Kind>(tx: ReadTx, kind: K, ref: string): ObjectOf[K] {
  if (ref === '') throw new InvalidArgumentError(`a ${kind} ID or name must be provided`, 'ID');
  const exact = tx.get(kind, ref);
  if (exact) return exact;
  const byName = tx.find(kind, { name: ref });
  const matches = byName.length > 0 ? byName : tx.find(kind, { idPrefix: ref });
  const [first, ...rest] = matches;
  if (!first) throw new NotFoundError(`${kind} ${ref} not found`);
  if (rest.length > 0)
    throw new InvalidArgumentError(`${kind} ${ref} is ambiguous (${matches.length} matches found)`, 'ID');
  return first;
}

/** A filter's values by key (`{"name":{"web":true}}` arrives as `name → ["web"]`). */
export type FilterMap = ReadonlyMap<string, readonly string[]>;

export function filterMap(f: ListFilters | null | undefined): FilterMap {
  const out = new Map<string, string[]>();
  for (const [k, set] of Object.entries(f?.filters ?? {})) out.set(k, [...(set.values ?? [])]);
  return out;
}

/** Which filter keys each kind accepts (Docker's, per list endpoint). */
const ACCEPTED: Readonly<Record<Kind, readonly string[]>> = {
  service: ['id', 'name', 'label', 'mode'],
  task: ['id', 'name', 'label', 'service', 'node', 'desired-state', '_up-to-date'],
  node: ['id', 'name', 'label', 'node.label', 'role', 'membership'],
  network: ['id', 'name', 'label', 'driver', 'scope', 'type'],
  secret: ['id', 'name', 'names', 'label'],
  config: ['id', 'name', 'names', 'label'],
  cluster: ['id', 'name', 'label'],
};

function labelsMatch(labels: Readonly<Record<string, string>>, wanted: readonly string[]): boolean {
  return wanted.every((w) => {
    const eq = w.indexOf('=');
    if (eq < 0) return labels[w] !== undefined;
    return labels[w.slice(0, eq)] === w.slice(eq + 1);
  });
}

function labelsOf(kind: Kind, o: ObjectOf[Kind]): Record<string, string> {
  if (kind === 'task') return (o as Task).labels;
  if (kind === 'node') return (o as ObjectOf['node']).description?.engine?.labels ?? {};
  return (o as { spec: { labels: Record<string, string> } | null }).spec?.labels ?? {};
}

const MODES: Readonly<Record<string, string>> = {
  replicated: 'replicated',
  global: 'global',
  'replicated-job': 'replicatedJob',
  'global-job': 'globalJob',
};

/** `running` → TASK_STATE_RUNNING; throws on a state Docker does not know. */
function taskState(s: string): TaskState {
  const state = `TASK_STATE_${s.toUpperCase()}` as TaskState;
  if (!TASK_STATES.includes(state))
    throw new InvalidArgumentError(`invalid filter 'desired-state=${s}'`, 'filters');
  return state;
}

/**
 * The objects of `kind` that pass every filter. `name` and `id` match prefixes, `label` is `k=v` or
 * bare `k` (all must hold); tasks take `service` and `node` as IDs, names or prefixes (an unknown one is
 * NotFound, as in Docker), `desired-state`, and `_up-to-date` (made from the service's current spec).
 */
export function list<K extends Kind>(tx: ReadTx, kind: K, f: ListFilters | null | undefined): ObjectOf[K][] {
  const filters = filterMap(f);
  for (const k of filters.keys())
    if (!ACCEPTED[kind].includes(k)) throw new InvalidArgumentError(`invalid filter '${k}'`, 'filters');
  const get = (k: string): readonly string[] | undefined => {
    const v = filters.get(k);
    return v && v.length > 0 ? v : undefined;
  };
  const ids = get('id');
  const names = get('name');
  const exactNames = get('names');
  const labels = get('label');
  const preds: ((o: ObjectOf[K]) => boolean)[] = [];
  if (ids) preds.push((o) => ids.some((p) => o.id.startsWith(p)));
  if (names) preds.push((o) => names.some((p) => nameOf(kind, o).startsWith(p)));
  if (exactNames) preds.push((o) => exactNames.includes(nameOf(kind, o)));
  if (labels && kind !== 'task') preds.push((o) => labelsMatch(labelsOf(kind, o), labels));
  preds.push(...kindFilters(tx, kind, get));
  return tx.find(kind).filter((o) => preds.every((p) => p(o)));
}

type Getter = (k: string) => readonly string[] | undefined;

function kindFilters<K extends Kind>(tx: ReadTx, kind: K, get: Getter): ((o: ObjectOf[K]) => boolean)[] {
  const preds: ((o: ObjectOf[K]) => boolean)[] = [];
  const add = <T>(p: (o: T) => boolean): void => void preds.push(p as unknown as (o: ObjectOf[K]) => boolean);
  switch (kind) {
    case 'service': {
      const modes = get('mode');
      for (const m of modes ?? [])
        if (!Object.hasOwn(MODES, m))
          throw new InvalidArgumentError(
            `invalid filter 'mode=${m}': want one of ${Object.keys(MODES).join(', ')}`,
            'filters',
          );
      if (modes)
        add<ObjectOf['service']>((s) => modes.some((m) => Boolean(s.spec?.mode?.[MODES[m] as 'global'])));
      break;
    }
    case 'task':
      for (const p of taskFilters(tx, get)) add(p);
      break;
    case 'node': {
      const roles = get('role');
      const nodeLabels = get('node.label');
      const membership = get('membership');
      if (roles)
        add<ObjectOf['node']>((n) =>
          roles.includes(n.spec?.role.replace('NODE_ROLE_', '').toLowerCase() ?? ''),
        );
      if (nodeLabels) add<ObjectOf['node']>((n) => labelsMatch(n.spec?.labels ?? {}, nodeLabels));
      // Every node in the store was accepted (its certificate was issued at join).
      if (membership) add<ObjectOf['node']>(() => membership.includes('accepted'));
      break;
    }
    case 'network': {
      const drivers = get('driver');
      const scopes = get('scope');
      const types = get('type');
      if (drivers)
        add<ObjectOf['network']>((n) => drivers.includes(n.spec?.driverConfiguration?.name || 'overlay'));
      if (scopes) add<ObjectOf['network']>(() => scopes.includes('swarm'));
      if (types) add<ObjectOf['network']>(() => types.includes('custom'));
      break;
    }
    case 'secret':
    case 'config':
    case 'cluster':
      break;
  }
  return preds;
}

function taskFilters(tx: ReadTx, get: Getter): ((t: Task) => boolean)[] {
  const preds: ((t: Task) => boolean)[] = [];
  const services = get('service')?.map((s) => resolve(tx, 'service', s).id);
  const nodes = get('node')?.map((n) => resolve(tx, 'node', n).id);
  const states = get('desired-state')?.map(taskState);
  const labels = get('label');
  const upToDate = get('_up-to-date');
  if (services) preds.push((t) => services.includes(t.serviceId));
  if (nodes) preds.push((t) => nodes.includes(t.nodeId));
  if (states) preds.push((t) => states.includes(t.desiredState));
  if (labels)
    preds.push((t) => labelsMatch(tx.get('service', t.serviceId)?.spec?.labels ?? t.labels, labels));
  if (upToDate?.includes('true') || upToDate?.includes('1'))
    preds.push((t) => t.specVersion === tx.get('service', t.serviceId)?.specVersion);
  return preds;
}
