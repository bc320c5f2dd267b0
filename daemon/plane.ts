/**
 * The manager's control plane as shoald runs it: the leader's loops (allocator, scheduler,
 * orchestrators, updater, dispatcher, log broker) and, on every manager, the Control and Logs services
 * plus the in-process log subscription the HTTP API reads.
 */
import { controlPlane, controlServices } from '../manager/controlplane.ts';
import type { LeaderFactory, ManagerContext, ManagerOptions } from '../manager/manager.ts';
import type { LogMessage__Output } from '../proto/gen/shoal/api/LogMessage.ts';
import type { SubscribeLogsRequest } from '../proto/gen/shoal/api/SubscribeLogsRequest.ts';
import { UnavailableError } from '../proto/shared/errors.ts';

export interface ClusterPlane {
  readonly leader: LeaderFactory;
  readonly control: NonNullable<ManagerOptions['control']>;
  /** Logs of services and tasks from every node (valid once the manager has started). */
  subscribeLogs(req: SubscribeLogsRequest, signal: AbortSignal): AsyncIterable<LogMessage__Output>;
}

export interface ClusterPlaneOptions {
  readonly heartbeatPeriodMs?: number;
}

export function clusterPlane(o: ClusterPlaneOptions = {}): ClusterPlane {
  let ctx: ManagerContext | undefined;
  return {
    leader: controlPlane(o.heartbeatPeriodMs !== undefined ? { heartbeatPeriodMs: o.heartbeatPeriodMs } : {}),
    control: (c) => {
      ctx = c;
      return controlServices(c);
    },
    subscribeLogs: () => {
      if (!ctx) throw new UnavailableError('the manager is not running');
      throw new UnavailableError('logs are not available yet');
    },
  };
}
