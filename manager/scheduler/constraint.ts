/**
 * Placement constraints (`node.labels.zone==east`, `node.role!=manager`, `node.ip==10.0.0.0/8`): their
 * parser, shared with the control API so a bad expression is refused when the service is created, and
 * their evaluation against a node.
 *
 * Swarm's rules (swarmkit `manager/constraint/constraint.go`): `key == value` or `key != value`, every
 * constraint must hold, values compare case-insensitively, an attribute the node lacks is "". Shoal is
 * stricter than Swarm at parse time: an unknown key, or a `node.ip` value that is neither an IP address
 * nor a CIDR block, is refused instead of never matching.
 */
import { BlockList, isIP } from 'node:net';
import { InvalidArgumentError } from '../../proto/shared/errors.ts';
import type { Node } from '../store/types.ts';

export type ConstraintOperator = '==' | '!=';

/** The attribute of a node a constraint reads. */
export type ConstraintKey =
  | { readonly kind: 'node.id' }
  | { readonly kind: 'node.hostname' }
  | { readonly kind: 'node.ip' }
  | { readonly kind: 'node.role' }
  | { readonly kind: 'node.platform.os' }
  | { readonly kind: 'node.platform.arch' }
  | { readonly kind: 'node.labels'; readonly label: string }
  | { readonly kind: 'engine.labels'; readonly label: string };

/** One parsed constraint. For `node.ip`, `ip` holds the address or block to compare with. */
export interface Constraint {
  /** The expression as the user wrote it (for messages). */
  readonly expression: string;
  readonly key: ConstraintKey;
  readonly operator: ConstraintOperator;
  /** The value, lower-cased (comparisons ignore case). */
  readonly value: string;
  readonly ip?: BlockList;
}

const OPERATORS: readonly ConstraintOperator[] = ['==', '!='];
const KEY_PATTERN = /^[a-z_][a-z0-9\-_.]+$/i;
/** Swarm's value alphabet: no characters that are (or may become) operators. */
const VALUE_PATTERN = /^[a-z0-9:\-_\s.*()?+[\]\\^$|/]+$/i;
const PLAIN_KEYS = [
  'node.id',
  'node.hostname',
  'node.ip',
  'node.role',
  'node.platform.os',
  'node.platform.arch',
] as const;
const LABEL_PREFIXES = ['node.labels.', 'engine.labels.'] as const;

/** The keys a constraint may use, for messages. */
export const CONSTRAINT_KEYS: readonly string[] = [...PLAIN_KEYS, 'node.labels.<key>', 'engine.labels.<key>'];

/**
 * Parses placement constraints. Throws InvalidArgumentError (field `Placement.Constraints`) naming the
 * expression and what is wrong with it: no operator, an unknown key, a bad value.
 */
export function parseConstraints(exprs: readonly string[]): Constraint[] {
  return exprs.map(parseConstraint);
}

function parseConstraint(expression: string): Constraint {
  const bad = (why: string): InvalidArgumentError =>
    new InvalidArgumentError(
      `invalid placement constraint ${JSON.stringify(expression)}: ${why}`,
      'Placement.Constraints',
    );
  const at = OPERATORS.map((op) => ({ op, i: expression.indexOf(op) }))
    .filter((o) => o.i >= 0)
    .sort((a, b) => a.i - b.i)[0];
  if (!at) {
    const other = /(<=|>=|=~|!~|<|>|=)/.exec(expression)?.[1];
    throw bad(
      other === undefined
        ? 'expected one operator from ==, !='
        : `operator ${JSON.stringify(other)} is not supported (use == or !=)`,
    );
  }
  const rawKey = expression.slice(0, at.i).trim();
  const rawValue = expression.slice(at.i + 2).trim();
  if (!KEY_PATTERN.test(rawKey)) throw bad(`key ${JSON.stringify(rawKey)} is invalid`);
  if (!VALUE_PATTERN.test(rawValue)) throw bad(`value ${JSON.stringify(rawValue)} is invalid`);
  const key = parseKey(rawKey);
  if (!key) throw bad(`unknown key ${JSON.stringify(rawKey)} (want one of ${CONSTRAINT_KEYS.join(', ')})`);
  const base = { expression, key, operator: at.op, value: rawValue.toLowerCase() };
  if (key.kind !== 'node.ip') return base;
  const ip = parseIpOrCidr(rawValue);
  if (!ip) throw bad(`value ${JSON.stringify(rawValue)} is not an IP address or CIDR block`);
  return { ...base, ip };
}

/** A node attribute key (`node.hostname`, `node.labels.zone`, …), or undefined when unknown. */
export function parseKey(raw: string): ConstraintKey | undefined {
  const lower = raw.toLowerCase();
  for (const k of PLAIN_KEYS) if (lower === k) return { kind: k };
  for (const prefix of LABEL_PREFIXES) {
    if (!lower.startsWith(prefix)) continue;
    const label = raw.slice(prefix.length);
    if (label === '') return undefined;
    return prefix === 'node.labels.' ? { kind: 'node.labels', label } : { kind: 'engine.labels', label };
  }
  return undefined;
}

function parseIpOrCidr(raw: string): BlockList | undefined {
  const list = new BlockList();
  const slash = raw.indexOf('/');
  const addr = slash < 0 ? raw : raw.slice(0, slash);
  const family = isIP(addr);
  if (family === 0) return undefined;
  const type = family === 4 ? 'ipv4' : 'ipv6';
  if (slash < 0) {
    list.addAddress(addr, type);
    return list;
  }
  const bitsText = raw.slice(slash + 1);
  const bits = Number(bitsText);
  if (!/^\d+$/.test(bitsText) || bits > (family === 4 ? 32 : 128)) return undefined;
  list.addSubnet(addr, bits, type);
  return list;
}

/** The node's value for a constraint key, as Swarm reads it ("" when the node lacks it). */
export function attributeOf(node: Node, key: ConstraintKey): string {
  switch (key.kind) {
    case 'node.id':
      return node.id;
    case 'node.hostname':
      return node.description?.hostname ?? '';
    case 'node.ip':
      return node.status?.addr ?? '';
    case 'node.role':
      return roleName(node);
    case 'node.platform.os':
      return node.description?.platform?.os ?? '';
    case 'node.platform.arch':
      return node.description?.platform?.architecture ?? '';
    case 'node.labels':
      return node.spec?.labels[key.label] ?? '';
    case 'engine.labels':
      return node.description?.engine?.labels[key.label] ?? '';
  }
}

function roleName(node: Node): string {
  switch (node.spec?.role) {
    case 'NODE_ROLE_MANAGER':
      return 'manager';
    case 'NODE_ROLE_WORKER':
      return 'worker';
    case 'NODE_ROLE_UNSPECIFIED':
    case undefined:
      return '';
  }
}

/** Whether one constraint holds on the node. */
export function constraintHolds(c: Constraint, node: Node): boolean {
  const attr = attributeOf(node, c.key);
  let equal: boolean;
  if (c.ip) {
    const host = stripPort(attr);
    const family = isIP(host);
    equal = family !== 0 && c.ip.check(host, family === 4 ? 'ipv4' : 'ipv6');
  } else {
    equal = attr.toLowerCase() === c.value;
  }
  return c.operator === '==' ? equal : !equal;
}

/** Every constraint holds on the node. */
export function constraintsHold(cs: readonly Constraint[], node: Node): boolean {
  for (const c of cs) if (!constraintHolds(c, node)) return false;
  return true;
}

/** A node's address may carry a port (`10.0.0.5:2377`, `[fd00::1]:2377`). */
function stripPort(addr: string): string {
  if (isIP(addr) !== 0) return addr;
  const bracket = /^\[([^\]]+)\](?::\d+)?$/.exec(addr);
  if (bracket?.[1] !== undefined) return bracket[1];
  const colon = addr.lastIndexOf(':');
  return colon > 0 && addr.indexOf(':') === colon ? addr.slice(0, colon) : addr;
}
