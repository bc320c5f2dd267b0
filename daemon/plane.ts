/**
 * The manager's control plane as shoald runs it: the leader's loops (allocator, scheduler,
 * orchestrators, updater, dispatcher, log broker) and, on every manager, the Control and Logs services
 * plus the in-process log subscription the HTTP API reads.
 */
import { logServices, withLogBroker, type LogServices } from '../manager/logbroker/services.ts';
import { controlPlane, controlServices } from '../manager/controlplane.ts';
import type { LeaderFactory, ManagerOptions } from '../manager/manager.ts';
import type { LogMessage__Output } from '../proto/gen/shoal/api/LogMessage.ts';
import type { SubscribeLogsRequest } from '../proto/gen/shoal/api/SubscribeLogsRequest.ts';
import { UnavailableError } from '../proto/shared/errors.ts';

export interface ClusterPlane {
  readonly leader: LeaderFactory;
  readonly control: NonNullable<ManagerOptions['control']>;
  /** Logs of services and tasks from every node (valid once the manager has started). */
  subscribeLogs(req: SubscribeLogsRequest, signal: AbortSignal): AsyncIterable<LogMessage__Output>;
  /** Closes the clients the log subscription keeps (call when the manager stops). */
  close(): void;
}

export interface ClusterPlaneOptions {
  readonly heartbeatPeriodMs?: number;
}

export function clusterPlane(o: ClusterPlaneOptions = {}): ClusterPlane {
  let logs: LogServices | undefined;
  return {
    leader: withLogBroker(
      controlPlane(o.heartbeatPeriodMs !== undefined ? { heartbeatPeriodMs: o.heartbeatPeriodMs } : {}),
    ),
    control: (c) => {
      const control = controlServices(c);
      logs = logServices(c);
      return { api: control.api, services: { ...control.services, ...logs.services } };
    },
    subscribeLogs: (req, signal) => {
      if (!logs) throw new UnavailableError('the manager is not running');
      return logs.subscribe(req, signal);
    },
    close: () => logs?.close(),
  };
}
