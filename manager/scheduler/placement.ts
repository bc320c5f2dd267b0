/**
 * Placing a group of identical tasks (one service, one spec version) on the nodes that passed the
 * pipeline: a tree of spread preferences, tasks divided evenly among its branches counting the tasks
 * of the service already there, and within a leaf the balancing order — nodes where the service keeps
 * failing last, then fewest tasks of this service, then fewest tasks in all.
 *
 * Resources, host ports and max replicas are checked again before each task lands (the group's own
 * tasks use them up); a branch that fills up passes its share to its siblings.
 */
import { InvalidArgumentError } from '../../proto/shared/errors.ts';
import type { Node } from '../store/types.ts';
import { attributeOf, CONSTRAINT_KEYS, parseKey } from './constraint.ts';
import { stillFits, type TaskNeeds } from './filters.ts';
import { Heap } from './heap.ts';
import type { NodeInfo } from './nodeinfo.ts';

/** A node that passed the pipeline for the group. */
export interface Candidate {
  readonly info: NodeInfo;
  /** The service failed 5+ times here lately: last resort. */
  readonly failing: boolean;
}

interface Branch {
  readonly key: string;
  /** Tasks of the service in this branch (grows as the group is placed). */
  count: number;
  full: boolean;
  readonly children: Branch[] | undefined;
  readonly leaf: Candidate[] | undefined;
  heap?: Heap<Candidate>;
}

/** Called for each decision: account the task on the node at once, so the next one sees it. */
export type Land = (info: NodeInfo) => void;

/**
 * Places up to `count` tasks; calls `land` once per task placed, in order. Returns how many were
 * placed (the rest fit nowhere).
 */
export function placeGroup(
  count: number,
  candidates: readonly Candidate[],
  needs: TaskNeeds,
  spread: readonly string[],
  land: Land,
): number {
  const root = buildTree(candidates, spread, needs.serviceId);
  return placeIn(root, count, needs, land);
}

/**
 * Checks a spread descriptor, for the control API: any node attribute a constraint can read
 * (`node.labels.<key>`, `engine.labels.<key>`, `node.id`, `node.hostname`, `node.role`, …). Swarm
 * accepts any text and spreads over "" for what it does not know (so `spread: node.id`, common in
 * real stack files, only spreads by task count there); Shoal spreads over the attribute, and refuses
 * an unknown descriptor naming the ones it knows. Throws InvalidArgumentError; returns it unchanged.
 */
export function parseSpreadDescriptor(descriptor: string): string {
  if (parseKey(descriptor) !== undefined) return descriptor;
  throw new InvalidArgumentError(
    `invalid spread descriptor ${JSON.stringify(descriptor)}: want one of ${CONSTRAINT_KEYS.join(', ')}`,
    'Placement.Preferences',
  );
}

/** The node's value for a spread descriptor ("" when it has none, or the descriptor is unknown). */
export function spreadValue(node: Node | undefined, descriptor: string): string {
  const key = parseKey(descriptor);
  return node === undefined || key === undefined ? '' : attributeOf(node, key);
}

function buildTree(candidates: readonly Candidate[], spread: readonly string[], serviceId: string): Branch {
  if (spread.length === 0) {
    let count = 0;
    for (const c of candidates) count += c.info.serviceTasks(serviceId);
    return { key: '', count, full: false, children: undefined, leaf: [...candidates] };
  }
  const [descriptor, ...rest] = spread as [string, ...string[]];
  const byValue = new Map<string, Candidate[]>();
  for (const c of candidates) {
    const v = spreadValue(c.info.node, descriptor);
    let list = byValue.get(v);
    if (!list) byValue.set(v, (list = []));
    list.push(c);
  }
  const children = [...byValue.keys()]
    .sort()
    .map((v) => ({ ...buildTree(byValue.get(v) ?? [], rest, serviceId), key: v }));
  const count = children.reduce((s, c) => s + c.count, 0);
  return { key: '', count, full: false, children, leaf: undefined };
}

function placeIn(b: Branch, n: number, needs: TaskNeeds, land: Land): number {
  const placed = b.children ? placeAmong(b.children, n, needs, land) : placeOnLeaf(b, n, needs, land);
  b.count += placed;
  if (placed < n) b.full = true;
  return placed;
}

function placeAmong(children: Branch[], n: number, needs: TaskNeeds, land: Land): number {
  let left = n;
  while (left > 0) {
    const open = children.filter((c) => !c.full);
    if (open.length === 0) break;
    const shares = distribute(
      left,
      open.map((c) => c.count),
    );
    open.forEach((c, i) => {
      const share = shares[i] ?? 0;
      if (share > 0) left -= placeIn(c, share, needs, land);
    });
  }
  return n - left;
}

function placeOnLeaf(b: Branch, n: number, needs: TaskNeeds, land: Land): number {
  const sid = needs.serviceId;
  b.heap ??= new Heap(b.leaf ?? [], (x, y) => balanceLess(x, y, sid));
  const heap = b.heap;
  let placed = 0;
  while (placed < n) {
    const top = heap.peek();
    if (!top) break;
    if (!stillFits(top.info, needs)) {
      heap.pop();
      continue;
    }
    land(top.info);
    heap.fixTop();
    placed++;
  }
  return placed;
}

/** Swarm's balancing order: failing nodes last, then fewer tasks of the service, then fewer in all. */
function balanceLess(a: Candidate, b: Candidate, serviceId: string): boolean {
  if (a.failing !== b.failing) return !a.failing;
  const sa = a.info.serviceTasks(serviceId);
  const sb = b.info.serviceTasks(serviceId);
  if (sa !== sb) return sa < sb;
  if (a.info.activeTasks !== b.info.activeTasks) return a.info.activeTasks < b.info.activeTasks;
  return a.info.id < b.info.id;
}

/**
 * Water-filling: how many of `n` new tasks each branch gets so that the totals (`counts[i]` + share)
 * are as even as they can be; branches with fewer tasks fill first, ties go to the earlier branch.
 */
export function distribute(n: number, counts: readonly number[]): number[] {
  const order = counts.map((c, i) => ({ c, i })).sort((a, b) => a.c - b.c || a.i - b.i);
  const shares: number[] = counts.map(() => 0);
  if (order.length === 0 || n <= 0) return shares;
  // Raise the m lowest branches to a common level without spending more than n.
  let m = 1;
  let sum = order[0]?.c ?? 0;
  while (m < order.length) {
    const next = order[m]?.c ?? 0;
    if (next * m - sum > n) break;
    sum += next;
    m++;
  }
  const level = Math.floor((n + sum) / m);
  let extra = n + sum - level * m;
  for (let k = 0; k < m; k++) {
    const o = order[k];
    if (!o) continue;
    shares[o.i] = level - o.c + (extra > 0 ? 1 : 0);
    if (extra > 0) extra--;
  }
  return shares;
}
