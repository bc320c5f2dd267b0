/**
 * Test doubles for the network hook: allocated overlay networks and tasks attached to them as the
 * manager's allocator records them, a {@link FakeDataPlane} that records the OverlayDriver calls, and
 * {@link FakeNetnsFiles} (an in-memory set of namespace files).
 */
import type { Network__Output as Network } from '../../proto/gen/shoal/api/Network.ts';
import type { Task } from '../executor/types.ts';
import type { OverlayState, ReconcileReport } from '../network/driver.ts';
import type { OverlayNetwork, Peer, PlanOp, TaskAttachment } from '../network/plan.ts';
import type { NetnsFiles, OverlayDataPlane } from './network.ts';
import { VXLAN_ID_LIST } from './overlays.ts';

/** An allocated network as embedded in a task's attachments. */
export function allocatedNetwork(
  id: string,
  o: { subnet: string; gateway: string; vni: number; name?: string; ingress?: boolean; driver?: string },
): Network {
  return {
    id,
    version: null,
    createdAt: null,
    updatedAt: null,
    spec: {
      name: o.name ?? id,
      labels: {},
      driverConfiguration: o.driver !== undefined ? { name: o.driver, options: {} } : null,
      ipv6Enabled: false,
      internal: false,
      attachable: false,
      ingress: o.ingress ?? false,
      ipamOptions: null,
      configFrom: null,
      scope: 'swarm',
      configOnly: false,
    },
    driverState: { name: o.driver ?? 'overlay', options: { [VXLAN_ID_LIST]: String(o.vni) } },
    ipamOptions: {
      driver: { name: 'default', options: {} },
      configs: [{ subnet: o.subnet, gateway: o.gateway, range: '' }],
    },
  };
}

/** `task` with these network attachments (the allocator's output). */
export function attachedTask<T extends object>(
  task: T,
  attachments: readonly { network: Network; address: string }[],
): T & Pick<Task, 'networksAttachments'> {
  return {
    ...task,
    networksAttachments: attachments.map((a) => ({ network: a.network, addresses: [a.address] })),
  };
}

/** One recorded data-plane call. */
export type DataPlaneCall =
  | { readonly op: 'ensureNetwork'; readonly network: OverlayNetwork }
  | { readonly op: 'attachTask'; readonly networkId: string; readonly attachment: TaskAttachment }
  | { readonly op: 'detachTask'; readonly networkId: string; readonly taskId: string }
  | { readonly op: 'setPeers'; readonly networkId: string; readonly peers: readonly Peer[] }
  | { readonly op: 'setKeys'; readonly keys: readonly { key: Buffer; lamportTime: number }[] }
  | { readonly op: 'removeNetwork'; readonly networkId: string }
  | { readonly op: 'reconcile'; readonly state: OverlayState | undefined };

/** Records calls; `failOn` makes one operation throw. */
export class FakeDataPlane implements OverlayDataPlane {
  readonly calls: DataPlaneCall[] = [];
  failOn: DataPlaneCall['op'] | undefined;
  closed = false;

  private record(c: DataPlaneCall): Promise<readonly PlanOp[]> {
    this.calls.push(c);
    if (this.failOn === c.op) return Promise.reject(new Error(`${c.op} vxlan0 in sandbox: ENODEV`));
    return Promise.resolve([]);
  }

  /** The calls of one kind. */
  of<K extends DataPlaneCall['op']>(op: K): Extract<DataPlaneCall, { op: K }>[] {
    return this.calls.filter((c): c is Extract<DataPlaneCall, { op: K }> => c.op === op);
  }

  ensureNetwork(network: OverlayNetwork): Promise<readonly PlanOp[]> {
    return this.record({ op: 'ensureNetwork', network });
  }
  attachTask(networkId: string, attachment: TaskAttachment): Promise<readonly PlanOp[]> {
    return this.record({ op: 'attachTask', networkId, attachment });
  }
  detachTask(networkId: string, taskId: string): Promise<readonly PlanOp[]> {
    return this.record({ op: 'detachTask', networkId, taskId });
  }
  setPeers(networkId: string, peers: readonly Peer[]): Promise<readonly PlanOp[]> {
    return this.record({ op: 'setPeers', networkId, peers });
  }
  async setKeys(keys: readonly { key: Buffer; lamportTime: number }[]): Promise<void> {
    await this.record({ op: 'setKeys', keys });
  }
  removeNetwork(networkId: string): Promise<readonly PlanOp[]> {
    return this.record({ op: 'removeNetwork', networkId });
  }
  async reconcile(state?: OverlayState): Promise<ReconcileReport> {
    await this.record({ op: 'reconcile', state });
    return { applied: new Map(), removedSandboxes: [] };
  }
  close(): Promise<void> {
    this.closed = true;
    return Promise.resolve();
  }
}

/** Namespace files in memory: path → the namespace it holds (`fresh` or the bound source). */
export class FakeNetnsFiles implements NetnsFiles {
  readonly files = new Map<string, string>();
  readonly log: string[] = [];

  create(path: string): Promise<void> {
    this.log.push(`create ${path}`);
    if (!this.files.has(path)) this.files.set(path, 'fresh');
    return Promise.resolve();
  }
  bind(path: string, source: string): Promise<void> {
    this.log.push(`bind ${path} ${source}`);
    this.files.set(path, source);
    return Promise.resolve();
  }
  remove(path: string): Promise<void> {
    this.log.push(`remove ${path}`);
    this.files.delete(path);
    return Promise.resolve();
  }
  exists(path: string): boolean {
    return this.files.has(path);
  }
  list(dir: string): Promise<string[]> {
    return Promise.resolve(
      [...this.files.keys()].filter((p) => p.startsWith(`${dir}/`)).map((p) => p.slice(dir.length + 1)),
    );
  }
}
