/**
 * Nodes: the user changes only a node's spec (availability, role, labels, name); the rest is what the
 * node reports. Promote and demote change the spec's role, then tell the CA (the node's next renewal
 * gets a certificate with the new role). Removal refuses managers and nodes that are up.
 */
import { removeNode as caRemoveNode, setNodeRole } from '../../ca/admin.ts';
import type { NodeSpec__Output as NodeSpec } from '../../proto/gen/shoal/api/NodeSpec.ts';
import type { UpdateNodeRequest } from '../../proto/gen/shoal/api/UpdateNodeRequest.ts';
import { FailedPreconditionError, InvalidArgumentError } from '../../proto/shared/errors.ts';
import type { Node } from '../store/types.ts';
import { copy, type Ctx } from './context.ts';
import { normalize } from './defaults.ts';
import { resolve } from './lookup.ts';
import { checkVersion } from './services.ts';
import { checkSpecSize } from './validate.ts';

const isManager = (n: Node): boolean => n.spec?.role === 'NODE_ROLE_MANAGER';

export async function updateNode(ctx: Ctx, req: UpdateNodeRequest): Promise<Node> {
  const cur = resolve(ctx.store, 'node', req.nodeId ?? '');
  const index = checkVersion('node', req.nodeVersion, cur.version?.index ?? 0);
  if (!req.spec) throw new InvalidArgumentError('Spec: a node spec must be provided', 'Spec');
  const spec = normalize<NodeSpec>('NodeSpec', req.spec);
  checkSpecSize('NodeSpec', spec);
  const was = cur.spec?.role ?? 'NODE_ROLE_UNSPECIFIED';
  if (spec.role === 'NODE_ROLE_UNSPECIFIED') spec.role = was;
  if (spec.availability === 'AVAILABILITY_UNSPECIFIED')
    spec.availability = cur.spec?.availability ?? 'AVAILABILITY_ACTIVE';
  const demoting = was === 'NODE_ROLE_MANAGER' && spec.role === 'NODE_ROLE_WORKER';
  if (demoting && ctx.store.find('node').filter(isManager).length <= 1)
    throw new FailedPreconditionError('attempting to demote the last manager of the swarm');
  await ctx.store.update((tx) => {
    const n = copy(cur);
    n.version = { index };
    n.spec = spec;
    tx.update('node', n);
  });
  if (spec.role !== was) {
    const role = spec.role === 'NODE_ROLE_MANAGER' ? 'manager' : 'worker';
    if (ctx.ca?.node(cur.id)) await setNodeRole(ctx.ca, cur.id, role);
    else if (ctx.ca)
      ctx.log.warn({ nodeId: cur.id }, 'role changed for a node the CA has no certificate for');
    ctx.log.info({ nodeId: cur.id, role }, demoting ? 'node demoted' : 'node promoted');
  }
  return copy(ctx.store.get('node', cur.id) as Node);
}

/**
 * `node rm`: a manager must be demoted first; a node that is not down needs `force`. The CA then
 * refuses the node's certificate for good.
 */
export async function removeNode(ctx: Ctx, ref: string, force: boolean): Promise<void> {
  const n = resolve(ctx.store, 'node', ref);
  if (isManager(n))
    throw new FailedPreconditionError(
      `node ${n.id} is a cluster manager and is a member of the raft cluster. It must be demoted to worker before removal`,
    );
  const state = n.status?.state ?? 'STATE_UNSPECIFIED';
  const down = state === 'STATE_DOWN' || state === 'STATE_DISCONNECTED';
  if (!force && !down) throw new FailedPreconditionError(`node ${n.id} is not down and can't be removed`);
  await ctx.store.update((tx) => tx.remove('node', n.id));
  if (ctx.ca?.initialised) await caRemoveNode(ctx.ca, n.id);
  ctx.log.info({ nodeId: n.id, force }, 'node removed');
}
