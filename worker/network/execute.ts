/**
 * The executor: applies a plan through {@link NetNs} handles, one operation at a time, stopping at the
 * first failure (later steps depend on earlier ones; the next reconcile picks up from what exists).
 * Also reads back the observed state the planner compares against.
 */
import { mkdirSync, statfsSync } from 'node:fs';
import { dirname } from 'node:path';
import { netnsAddon } from './native.ts';
import { NetlinkError, errnoOf } from './errors.ts';
import { NetNs } from './netns.ts';
import type { DesiredNetwork, ObservedNetwork, ObservedTask, PlanOp } from './plan.ts';
import { VXLAN, taskIfname } from './plan.ts';

const NSFS_MAGIC = 0x6e736673;

/** True when `path` is a network namespace file (a bind mount of nsfs, or /proc/<pid>/ns/net). */
export function isNetns(path: string): boolean {
  try {
    return statfsSync(path).type === NSFS_MAGIC;
  } catch {
    return false;
  }
}

/**
 * Namespace handles opened on demand for one reconcile and closed after it: task namespaces must not
 * be pinned by the agent once the task is gone.
 */
export class NsPool {
  private readonly handles = new Map<string, Promise<NetNs>>();

  get(path: string): Promise<NetNs> {
    let h = this.handles.get(path);
    if (h === undefined) {
      h = NetNs.open(path);
      this.handles.set(path, h);
      h.catch(() => this.handles.delete(path));
    }
    return h;
  }

  /** Closes and forgets the handle on `path`, if open. */
  async drop(path: string): Promise<void> {
    const h = this.handles.get(path);
    this.handles.delete(path);
    if (h !== undefined) (await h.catch(() => undefined))?.close();
  }

  async closeAll(): Promise<void> {
    for (const path of [...this.handles.keys()]) await this.drop(path);
  }
}

/** Reads back everything the planner needs for one network. */
export async function observeNetwork(d: DesiredNetwork, pool: NsPool): Promise<ObservedNetwork> {
  const tasks = new Map<string, ObservedTask>();
  for (const t of d.tasks) tasks.set(t.taskId, await observeTask(t.netnsPath, taskIfname(t), pool));
  if (!isNetns(d.sandboxPath))
    return { sandboxExists: false, links: [], addresses: [], neighbors: [], fdb: [], tasks };
  const sb = await pool.get(d.sandboxPath);
  return {
    sandboxExists: true,
    links: await sb.listLinks(),
    addresses: await sb.listAddresses(),
    neighbors: await sb.listNeighbors(VXLAN),
    fdb: await sb.listFdb(VXLAN),
    tasks,
  };
}

async function observeTask(path: string, ifname: string, pool: NsPool): Promise<ObservedTask> {
  if (!isNetns(path)) return { netnsExists: false, links: [], addresses: [], routes: [] };
  const ns = await pool.get(path);
  return {
    netnsExists: true,
    links: (await ns.listLinks()).filter((l) => l.name === ifname || l.name === 'lo'),
    addresses: await ns.listAddresses(ifname),
    routes: await ns.listRoutes(),
  };
}

/** Applies `ops` in order. @throws NetlinkError naming the failed operation and interface. */
export async function executePlan(ops: readonly PlanOp[], pool: NsPool): Promise<void> {
  for (const op of ops) await apply(op, pool);
}

async function apply(op: PlanOp, pool: NsPool): Promise<void> {
  switch (op.op) {
    case 'createNetns':
      return createNetns(op.path);
    case 'removeNetns':
      await pool.drop(op.path);
      return removeNetns(op.path);
    case 'addBridge':
      return (await pool.get(op.ns)).addBridge(op.name, { mtu: op.mtu });
    case 'addVxlan':
      return (await pool.get(op.ns)).addVxlan(op.name, {
        vni: op.vni,
        port: op.port,
        mtu: op.mtu,
        learning: false,
        proxy: true,
        netns: await pool.get(op.into),
      });
    case 'addVeth':
      return (await pool.get(op.ns)).addVeth(op.name, {
        peerName: op.peerName,
        peerNs: await pool.get(op.peerNs),
        peerMac: op.peerMac,
        mtu: op.mtu,
      });
    case 'setMaster':
      return (await pool.get(op.ns)).setMaster(op.name, op.master);
    case 'setMtu':
      return (await pool.get(op.ns)).setMtu(op.name, op.mtu);
    case 'up':
      return (await pool.get(op.ns)).up(op.name);
    case 'delLink':
      return (await pool.get(op.ns)).delLink(op.name);
    case 'addAddress':
      return (await pool.get(op.ns)).addAddress(op.name, op.cidr);
    case 'delAddress':
      return (await pool.get(op.ns)).delAddress(op.name, op.cidr);
    case 'addRoute':
      return (await pool.get(op.ns)).addRoute({ dst: op.dst, via: op.via });
    case 'addNeighbor':
      return (await pool.get(op.ns)).addNeighbor(op.name, op.ip, op.mac);
    case 'delNeighbor':
      return (await pool.get(op.ns)).delNeighbor(op.name, op.ip);
    case 'addFdb':
      return (await pool.get(op.ns)).addFdb(op.name, op.mac, op.dst);
    case 'delFdb':
      return (await pool.get(op.ns)).delFdb(op.name, op.mac, op.dst);
  }
}

function createNetns(path: string): void {
  try {
    const addon = netnsAddon();
    mkdirSync(dirname(path), { recursive: true, mode: 0o755 });
    addon.create(path);
  } catch (err) {
    if (err instanceof Error && err.name === 'NativeAddonMissingError') throw err;
    throw new NetlinkError(errnoOf(err), 'createNetns', path, path, { cause: err });
  }
}

function removeNetns(path: string): void {
  try {
    netnsAddon().remove(path);
  } catch (err) {
    if (err instanceof Error && err.name === 'NativeAddonMissingError') throw err;
    throw new NetlinkError(errnoOf(err), 'removeNetns', path, path, { cause: err });
  }
}
