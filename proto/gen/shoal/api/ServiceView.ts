// Original file: proto/shoal/api/dispatcher.proto

import type { PortConfig as _shoal_api_PortConfig, PortConfig__Output as _shoal_api_PortConfig__Output } from '../../shoal/api/PortConfig.ts';

/**
 * ServiceView is one service as seen on one network.
 */
export interface ServiceView {
  'serviceId'?: (string);
  'name'?: (string);
  /**
   * "vip" (the default) or "dnsrr".
   */
  'endpointMode'?: (string);
  /**
   * The service's virtual IP on this network ("ip/prefix"); empty in dnsrr mode or before allocation.
   */
  'virtualIp'?: (string);
  /**
   * The addresses ("ip/prefix") on this network of the service's tasks whose observed state is RUNNING,
   * sorted. A task with a healthcheck reaches RUNNING only once healthy (the agent keeps it STARTING
   * before) and leaves RUNNING when it turns unhealthy, so RUNNING means "healthy if it has a check".
   * A task leaves this list in the first message after its state moves past RUNNING, or after it is asked
   * to stop (desired state past RUNNING), whichever comes first.
   */
  'taskAddresses'?: (string)[];
  /**
   * The service's published ports (from its allocated endpoint; ingress ports carry the allocated
   * published port). Ingress-mode ports are served by every node through the routing mesh; host-mode
   * ports only on nodes running a task, by that task.
   */
  'ports'?: (_shoal_api_PortConfig)[];
}

/**
 * ServiceView is one service as seen on one network.
 */
export interface ServiceView__Output {
  'serviceId': (string);
  'name': (string);
  /**
   * "vip" (the default) or "dnsrr".
   */
  'endpointMode': (string);
  /**
   * The service's virtual IP on this network ("ip/prefix"); empty in dnsrr mode or before allocation.
   */
  'virtualIp': (string);
  /**
   * The addresses ("ip/prefix") on this network of the service's tasks whose observed state is RUNNING,
   * sorted. A task with a healthcheck reaches RUNNING only once healthy (the agent keeps it STARTING
   * before) and leaves RUNNING when it turns unhealthy, so RUNNING means "healthy if it has a check".
   * A task leaves this list in the first message after its state moves past RUNNING, or after it is asked
   * to stop (desired state past RUNNING), whichever comes first.
   */
  'taskAddresses': (string)[];
  /**
   * The service's published ports (from its allocated endpoint; ingress ports carry the allocated
   * published port). Ingress-mode ports are served by every node through the routing mesh; host-mode
   * ports only on nodes running a task, by that task.
   */
  'ports': (_shoal_api_PortConfig__Output)[];
}
