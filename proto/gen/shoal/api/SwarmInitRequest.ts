// Original file: proto/shoal/api/cluster.proto

import type { ClusterSpec as _shoal_api_ClusterSpec, ClusterSpec__Output as _shoal_api_ClusterSpec__Output } from '../../shoal/api/ClusterSpec.ts';
import type { _shoal_api_NodeSpec_Availability, _shoal_api_NodeSpec_Availability__Output } from '../../shoal/api/NodeSpec.ts';

export interface SwarmInitRequest {
  'listenAddr'?: (string);
  'advertiseAddr'?: (string);
  'dataPathAddr'?: (string);
  'dataPathPort'?: (number);
  'forceNewCluster'?: (boolean);
  'spec'?: (_shoal_api_ClusterSpec | null);
  'autoLockManagers'?: (boolean);
  'availability'?: (_shoal_api_NodeSpec_Availability);
  'defaultAddrPool'?: (string)[];
  'subnetSize'?: (number);
}

export interface SwarmInitRequest__Output {
  'listenAddr': (string);
  'advertiseAddr': (string);
  'dataPathAddr': (string);
  'dataPathPort': (number);
  'forceNewCluster': (boolean);
  'spec': (_shoal_api_ClusterSpec__Output | null);
  'autoLockManagers': (boolean);
  'availability': (_shoal_api_NodeSpec_Availability__Output);
  'defaultAddrPool': (string)[];
  'subnetSize': (number);
}
