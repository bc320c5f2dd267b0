/**
 * ControlApi: the only path for user intent. Every create, update and remove of services, nodes,
 * tasks, secrets, configs, networks and the cluster is validated here, given Swarm's defaults and
 * written as one store transaction. Runs on the leader; followers reach it through
 * {@link forwardingControl}. The same methods serve in-process callers (the daemon's HTTP API) and the
 * gRPC Control service (`handlers()`, `register(server)`).
 *
 * Objects handed out are copies: callers may change them freely. Errors are the shared ShoalErrors
 * (InvalidArgument naming the field, NotFound, AlreadyExists, FailedPrecondition).
 */
import type * as grpc from '@grpc/grpc-js';
import type { CaStore } from '../../ca/store.ts';
import type { ControlHandlers } from '../../proto/gen/shoal/api/Control.ts';
import { InvalidArgumentError } from '../../proto/shared/errors.ts';
import type { Logger } from '../../proto/shared/log.ts';
import { silentLogger } from '../../proto/shared/log.ts';
import type { MemoryStore } from '../store/memory.ts';
import type { Kind, ObjectOf, Secret, Service } from '../store/types.ts';
import { shown, updateCluster } from './cluster.ts';
import { copy, type Ctx } from './context.ts';
import { list, resolve } from './lookup.ts';
import { removeNode, updateNode } from './nodes.ts';
import {
  createData,
  createNetwork,
  redacted,
  removeData,
  removeNetwork,
  removeTask,
  updateData,
} from './resources.ts';
import {
  controlHandlers,
  registerControl,
  type ControlMethods,
  type RequestOf as Req,
  type ResponseOf as Res,
} from './rpc.ts';
import { createService, removeService, serviceStatus, updateService } from './services.ts';
import { checkConstraints, type ConstraintParser } from './validate.ts';

/** A response with its object present (the generated types allow null; this API always fills them). */
export type Sure<T> = { [K in keyof T]: NonNullable<T[K]> };

export interface ControlApiOptions {
  readonly store: MemoryStore;
  /** The swarm's CA: needed for promote/demote, node removal, token and unlock-key rotation. */
  readonly ca?: CaStore;
  readonly log?: Logger;
  /** Clock, ms since the epoch (default Date.now). */
  readonly now?: () => number;
  /** Placement-constraint checker; default: the scheduler's parser (`checkConstraints`). */
  readonly parseConstraints?: ConstraintParser;
}

function need<T>(v: T | null | undefined, what: string): T {
  if (v === null || v === undefined || v === '')
    throw new InvalidArgumentError(`${what} must be provided`, what);
  return v;
}

export class ControlApi implements ControlMethods {
  private readonly ctx: Ctx;

  constructor(o: ControlApiOptions) {
    this.ctx = {
      store: o.store,
      ca: o.ca,
      log: (o.log ?? silentLogger()).child({ component: 'controlapi' }),
      now: o.now ?? Date.now,
      parseConstraints: o.parseConstraints ?? checkConstraints,
    };
  }

  /** The gRPC handlers of the Control service, calling this API. */
  handlers(): ControlHandlers {
    return controlHandlers(this, this.ctx.log);
  }

  /** Adds the Control service to a gRPC server. */
  register(server: grpc.Server): void {
    registerControl(server, this, this.ctx.log);
  }

  private one<K extends Kind>(kind: K, ref: string | undefined): ObjectOf[K] {
    return copy(resolve(this.ctx.store, kind, ref ?? ''));
  }

  private many<K extends Kind>(kind: K, filters: Req<'ListNodes'>['filters']): ObjectOf[K][] {
    return list(this.ctx.store, kind, filters).map((o) => copy(o));
  }

  // ---- nodes ----

  getNode(r: Req<'GetNode'>): Promise<Sure<Res<'GetNode'>>> {
    return Promise.resolve().then(() => ({ node: this.one('node', r.nodeId) }));
  }

  listNodes(r: Req<'ListNodes'>): Promise<Sure<Res<'ListNodes'>>> {
    return Promise.resolve().then(() => ({ nodes: this.many('node', r.filters) }));
  }

  async updateNode(r: Req<'UpdateNode'>): Promise<Sure<Res<'UpdateNode'>>> {
    return { node: await updateNode(this.ctx, r) };
  }

  async removeNode(r: Req<'RemoveNode'>): Promise<Sure<Res<'RemoveNode'>>> {
    await removeNode(this.ctx, r.nodeId ?? '', r.force ?? false);
    return {};
  }

  // ---- tasks ----

  getTask(r: Req<'GetTask'>): Promise<Sure<Res<'GetTask'>>> {
    return Promise.resolve().then(() => ({ task: this.one('task', r.taskId) }));
  }

  listTasks(r: Req<'ListTasks'>): Promise<Sure<Res<'ListTasks'>>> {
    return Promise.resolve().then(() => ({ tasks: this.many('task', r.filters) }));
  }

  async removeTask(r: Req<'RemoveTask'>): Promise<Sure<Res<'RemoveTask'>>> {
    await removeTask(this.ctx, r.taskId ?? '');
    return {};
  }

  // ---- services ----

  getService(r: Req<'GetService'>): Promise<Sure<Res<'GetService'>>> {
    return Promise.resolve().then(() => ({ service: this.one('service', r.serviceId) }));
  }

  listServices(r: Req<'ListServices'>): Promise<Sure<Res<'ListServices'>>> {
    return Promise.resolve().then(() => {
      const services: Service[] = this.many('service', r.filters);
      if (r.status) for (const s of services) s.serviceStatus = serviceStatus(this.ctx, s);
      return { services };
    });
  }

  async createService(r: Req<'CreateService'>): Promise<Sure<Res<'CreateService'>>> {
    return { service: await createService(this.ctx, r.spec) };
  }

  async updateService(r: Req<'UpdateService'>): Promise<Sure<Res<'UpdateService'>>> {
    return { service: await updateService(this.ctx, r) };
  }

  /** `service rollback`: the previous spec comes back; fails when there is none. */
  async rollbackService(ref: string): Promise<Sure<Res<'UpdateService'>>> {
    const s = resolve(this.ctx.store, 'service', ref);
    return this.updateService({ serviceId: s.id, serviceVersion: s.version, rollback: 'previous' });
  }

  async removeService(r: Req<'RemoveService'>): Promise<Sure<Res<'RemoveService'>>> {
    await removeService(this.ctx, r.serviceId ?? '');
    return {};
  }

  // ---- networks ----

  getNetwork(r: Req<'GetNetwork'>): Promise<Sure<Res<'GetNetwork'>>> {
    return Promise.resolve().then(() => ({ network: this.one('network', r.networkId) }));
  }

  listNetworks(r: Req<'ListNetworks'>): Promise<Sure<Res<'ListNetworks'>>> {
    return Promise.resolve().then(() => ({ networks: this.many('network', r.filters) }));
  }

  async createNetwork(r: Req<'CreateNetwork'>): Promise<Sure<Res<'CreateNetwork'>>> {
    return { network: await createNetwork(this.ctx, r.spec) };
  }

  async removeNetwork(r: Req<'RemoveNetwork'>): Promise<Sure<Res<'RemoveNetwork'>>> {
    await removeNetwork(this.ctx, r.networkId ?? '');
    return {};
  }

  // ---- secrets (never with their data) ----

  getSecret(r: Req<'GetSecret'>): Promise<Sure<Res<'GetSecret'>>> {
    return Promise.resolve().then(() => ({
      secret: redacted(resolve(this.ctx.store, 'secret', r.secretId ?? '')),
    }));
  }

  listSecrets(r: Req<'ListSecrets'>): Promise<Sure<Res<'ListSecrets'>>> {
    return Promise.resolve().then(() => ({
      secrets: list(this.ctx.store, 'secret', r.filters).map(redacted),
    }));
  }

  async createSecret(r: Req<'CreateSecret'>): Promise<Sure<Res<'CreateSecret'>>> {
    return { secret: redacted((await createData(this.ctx, 'secret', r.spec)) as Secret) };
  }

  async updateSecret(r: Req<'UpdateSecret'>): Promise<Sure<Res<'UpdateSecret'>>> {
    const s = await updateData(this.ctx, 'secret', need(r.secretId, 'SecretID'), r.secretVersion, r.spec);
    return { secret: redacted(s as Secret) };
  }

  async removeSecret(r: Req<'RemoveSecret'>): Promise<Sure<Res<'RemoveSecret'>>> {
    await removeData(this.ctx, 'secret', r.secretId ?? '');
    return {};
  }

  // ---- configs ----

  getConfig(r: Req<'GetConfig'>): Promise<Sure<Res<'GetConfig'>>> {
    return Promise.resolve().then(() => ({ config: this.one('config', r.configId) }));
  }

  listConfigs(r: Req<'ListConfigs'>): Promise<Sure<Res<'ListConfigs'>>> {
    return Promise.resolve().then(() => ({ configs: this.many('config', r.filters) }));
  }

  async createConfig(r: Req<'CreateConfig'>): Promise<Sure<Res<'CreateConfig'>>> {
    return { config: await createData(this.ctx, 'config', r.spec) };
  }

  async updateConfig(r: Req<'UpdateConfig'>): Promise<Sure<Res<'UpdateConfig'>>> {
    const c = await updateData(this.ctx, 'config', need(r.configId, 'ConfigID'), r.configVersion, r.spec);
    return { config: c };
  }

  async removeConfig(r: Req<'RemoveConfig'>): Promise<Sure<Res<'RemoveConfig'>>> {
    await removeData(this.ctx, 'config', r.configId ?? '');
    return {};
  }

  // ---- cluster ----

  getCluster(r: Req<'GetCluster'>): Promise<Sure<Res<'GetCluster'>>> {
    return Promise.resolve().then(() => ({
      cluster: shown(this.ctx, resolve(this.ctx.store, 'cluster', r.clusterId ?? '')),
    }));
  }

  listClusters(r: Req<'ListClusters'>): Promise<Sure<Res<'ListClusters'>>> {
    return Promise.resolve().then(() => ({
      clusters: list(this.ctx.store, 'cluster', r.filters).map((c) => shown(this.ctx, c)),
    }));
  }

  async updateCluster(r: Req<'UpdateCluster'>): Promise<Sure<Res<'UpdateCluster'>>> {
    return { cluster: await updateCluster(this.ctx, r) };
  }
}
