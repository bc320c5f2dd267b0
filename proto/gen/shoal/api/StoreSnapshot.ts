// Original file: proto/shoal/api/store.proto

import type { Node as _shoal_api_Node, Node__Output as _shoal_api_Node__Output } from '../../shoal/api/Node.ts';
import type { Service as _shoal_api_Service, Service__Output as _shoal_api_Service__Output } from '../../shoal/api/Service.ts';
import type { Task as _shoal_api_Task, Task__Output as _shoal_api_Task__Output } from '../../shoal/api/Task.ts';
import type { Network as _shoal_api_Network, Network__Output as _shoal_api_Network__Output } from '../../shoal/api/Network.ts';
import type { Secret as _shoal_api_Secret, Secret__Output as _shoal_api_Secret__Output } from '../../shoal/api/Secret.ts';
import type { Config as _shoal_api_Config, Config__Output as _shoal_api_Config__Output } from '../../shoal/api/Config.ts';
import type { Cluster as _shoal_api_Cluster, Cluster__Output as _shoal_api_Cluster__Output } from '../../shoal/api/Cluster.ts';

/**
 * StoreSnapshot is the whole store, as carried in a raft snapshot.
 */
export interface StoreSnapshot {
  'nodes'?: (_shoal_api_Node)[];
  'services'?: (_shoal_api_Service)[];
  'tasks'?: (_shoal_api_Task)[];
  'networks'?: (_shoal_api_Network)[];
  'secrets'?: (_shoal_api_Secret)[];
  'configs'?: (_shoal_api_Config)[];
  'clusters'?: (_shoal_api_Cluster)[];
}

/**
 * StoreSnapshot is the whole store, as carried in a raft snapshot.
 */
export interface StoreSnapshot__Output {
  'nodes': (_shoal_api_Node__Output)[];
  'services': (_shoal_api_Service__Output)[];
  'tasks': (_shoal_api_Task__Output)[];
  'networks': (_shoal_api_Network__Output)[];
  'secrets': (_shoal_api_Secret__Output)[];
  'configs': (_shoal_api_Config__Output)[];
  'clusters': (_shoal_api_Cluster__Output)[];
}
