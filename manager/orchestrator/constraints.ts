/**
 * Placement constraints, as far as the orchestrators need them: which nodes a global service (or
 * global job) belongs on. The scheduler has its own, fuller matcher; this one is kept separate so the
 * two folders do not depend on each other. Swarm's rules: `key == value` or `key != value`, all must
 * hold, values compare case-insensitively, a missing attribute is "".
 */
import type { Node, Service } from '../store/types.ts';

/** Decides whether a node may run a service's tasks (placement constraints only). */
export type Fits = (node: Node, service: Service) => boolean;

export interface Constraint {
  readonly key: string;
  readonly op: '==' | '!=';
  readonly value: string;
}

const PATTERN = /^\s*([\w.\-/]+)\s*(==|!=)\s*(.*?)\s*$/;

/** Parses `key == value` / `key != value`; undefined when the text is neither. */
export function parseConstraint(text: string): Constraint | undefined {
  const m = PATTERN.exec(text);
  if (!m?.[1] || !m[2]) return undefined;
  return { key: normalizeKey(m[1]), op: m[2] as Constraint['op'], value: m[3] ?? '' };
}

/** Keys are case-insensitive, except the label name after `node.labels.` / `engine.labels.`. */
function normalizeKey(raw: string): string {
  const lower = raw.toLowerCase();
  for (const prefix of ['node.labels.', 'engine.labels.'])
    if (lower.startsWith(prefix)) return prefix + raw.slice(prefix.length);
  return lower;
}

function labelOf(labels: Record<string, string> | undefined, key: string): string {
  return labels?.[key] ?? '';
}

/** The node's value of a constraint key ("" when it has none, undefined for an unknown key). */
export function attribute(node: Node, key: string): string | undefined {
  if (key.startsWith('node.labels.')) return labelOf(node.spec?.labels, key.slice('node.labels.'.length));
  if (key.startsWith('engine.labels.'))
    return labelOf(node.description?.engine?.labels, key.slice('engine.labels.'.length));
  switch (key) {
    case 'node.id':
      return node.id;
    case 'node.hostname':
      return node.description?.hostname ?? '';
    case 'node.role':
      return node.spec?.role === 'NODE_ROLE_MANAGER' ? 'manager' : 'worker';
    case 'node.platform.os':
      return node.description?.platform?.os ?? '';
    case 'node.platform.arch':
      return node.description?.platform?.architecture ?? '';
    case 'node.ip':
      return node.status?.addr ?? '';
    default:
      return undefined;
  }
}

/** Every constraint holds on the node; a constraint that does not parse or names no known key fails. */
export function matchesConstraints(node: Node, constraints: readonly string[]): boolean {
  for (const text of constraints) {
    const c = parseConstraint(text);
    if (!c) return false;
    const have = attribute(node, c.key);
    if (have === undefined) return false;
    const equal = have.toLowerCase() === c.value.toLowerCase();
    if ((c.op === '==') !== equal) return false;
  }
  return true;
}

/** The default {@link Fits}: the service's placement constraints, checked with {@link matchesConstraints}. */
export const fitsConstraints: Fits = (node, service) =>
  matchesConstraints(node, service.spec?.taskTemplate?.placement?.constraints ?? []);
