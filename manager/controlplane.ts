/**
 * The whole control plane for a Manager: on the leader, the allocator, the key manager, the scheduler,
 * the orchestrators with the rolling updater and the dispatcher; on every manager, the Control service
 * (answered on the leader, forwarded from followers).
 */
import type * as grpc from '@grpc/grpc-js';
import { Allocator } from './allocator/allocator.ts';
import { CLUSTER_CHANNEL_OPTIONS } from '../ca/tls.ts';
import type { ControlClient } from '../proto/gen/shoal/api/Control.ts';
import { grpcServices } from '../proto/load.ts';
import { ControlApi } from './controlapi/controlapi.ts';
import { forwardingControl, type ControlService } from './controlapi/rpc.ts';
import { parseConstraints } from './scheduler/constraint.ts';
import { Dispatcher } from './dispatcher/dispatcher.ts';
import { KeyManager } from './keymanager/keymanager.ts';
import type { LeaderFactory, ManagerContext } from './manager.ts';
import { ManagerNodes } from './manager-nodes.ts';
import { Orchestrator } from './orchestrator/orchestrator.ts';
import { Scheduler } from './scheduler/scheduler.ts';
import { RollingUpdater } from './updater/updater.ts';

export interface ControlPlaneOptions {
  /** Overrides for tests: heartbeat period (ms). */
  readonly heartbeatPeriodMs?: number;
}

export function controlPlane(o: ControlPlaneOptions = {}): LeaderFactory {
  return (ctx: ManagerContext) => {
    const log = ctx.log;
    const updater = new RollingUpdater({ store: ctx.store, log });
    const dispatcher = new Dispatcher({
      store: ctx.store,
      managers: () => ctx.managers(),
      ...(o.heartbeatPeriodMs !== undefined
        ? { heartbeatPeriodMs: () => o.heartbeatPeriodMs as number }
        : {}),
      log,
    });
    const components = [
      new ManagerNodes({ store: ctx.store, raft: ctx.raft, log }),
      new Allocator({ store: ctx.store, log }),
      new KeyManager({ store: ctx.store, log }),
      new Scheduler({ store: ctx.store, log }),
      new Orchestrator({ store: ctx.store, updater, log }),
      dispatcher,
    ];
    return {
      components: [...components, { start: () => undefined, stop: () => updater.stop() }],
      services: { Dispatcher: dispatcher.handlers() },
    };
  };
}

/**
 * The Control service on every manager: the leader answers, a follower forwards to the leader over
 * the cluster's mutual TLS. `api` is also the in-process control API of this manager.
 */
export function controlServices(ctx: ManagerContext): {
  api: ControlService;
  services: Record<string, grpc.UntypedServiceImplementation>;
} {
  const local = new ControlApi({ store: ctx.store, ca: ctx.ca, log: ctx.log, parseConstraints });
  let cached: { addr: string; client: ControlClient } | undefined;
  const api = forwardingControl({
    local,
    leader: () => {
      if (ctx.isLeader()) return { isLeader: true };
      const addr = ctx.leaderAddr();
      if (!addr) return { isLeader: false };
      if (cached?.addr !== addr) {
        cached?.client.close();
        cached = {
          addr,
          client: new (grpcServices().shoal.api.Control)(addr, ctx.creds.client(), CLUSTER_CHANNEL_OPTIONS),
        };
      }
      return { isLeader: false, client: cached.client };
    },
  });
  return { api, services: { Control: api.handlers() } };
}
