// Original file: proto/shoal/api/store.proto

import type { Node as _shoal_api_Node, Node__Output as _shoal_api_Node__Output } from '../../shoal/api/Node.ts';
import type { Service as _shoal_api_Service, Service__Output as _shoal_api_Service__Output } from '../../shoal/api/Service.ts';
import type { Task as _shoal_api_Task, Task__Output as _shoal_api_Task__Output } from '../../shoal/api/Task.ts';
import type { Network as _shoal_api_Network, Network__Output as _shoal_api_Network__Output } from '../../shoal/api/Network.ts';
import type { Secret as _shoal_api_Secret, Secret__Output as _shoal_api_Secret__Output } from '../../shoal/api/Secret.ts';
import type { Config as _shoal_api_Config, Config__Output as _shoal_api_Config__Output } from '../../shoal/api/Config.ts';
import type { Cluster as _shoal_api_Cluster, Cluster__Output as _shoal_api_Cluster__Output } from '../../shoal/api/Cluster.ts';

/**
 * StoreObject is any one object of the replicated store.
 */
export interface StoreObject {
  'node'?: (_shoal_api_Node | null);
  'service'?: (_shoal_api_Service | null);
  'task'?: (_shoal_api_Task | null);
  'network'?: (_shoal_api_Network | null);
  'secret'?: (_shoal_api_Secret | null);
  'config'?: (_shoal_api_Config | null);
  'cluster'?: (_shoal_api_Cluster | null);
  'object'?: "node"|"service"|"task"|"network"|"secret"|"config"|"cluster";
}

/**
 * StoreObject is any one object of the replicated store.
 */
export interface StoreObject__Output {
  'node'?: (_shoal_api_Node__Output | null);
  'service'?: (_shoal_api_Service__Output | null);
  'task'?: (_shoal_api_Task__Output | null);
  'network'?: (_shoal_api_Network__Output | null);
  'secret'?: (_shoal_api_Secret__Output | null);
  'config'?: (_shoal_api_Config__Output | null);
  'cluster'?: (_shoal_api_Cluster__Output | null);
  'object'?: "node"|"service"|"task"|"network"|"secret"|"config"|"cluster";
}
