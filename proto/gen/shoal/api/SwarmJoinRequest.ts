// Original file: proto/shoal/api/cluster.proto

import type { _shoal_api_NodeSpec_Availability, _shoal_api_NodeSpec_Availability__Output } from '../../shoal/api/NodeSpec.ts';

export interface SwarmJoinRequest {
  'listenAddr'?: (string);
  'advertiseAddr'?: (string);
  'dataPathAddr'?: (string);
  'remoteAddrs'?: (string)[];
  'joinToken'?: (string);
  'availability'?: (_shoal_api_NodeSpec_Availability);
}

export interface SwarmJoinRequest__Output {
  'listenAddr': (string);
  'advertiseAddr': (string);
  'dataPathAddr': (string);
  'remoteAddrs': (string)[];
  'joinToken': (string);
  'availability': (_shoal_api_NodeSpec_Availability__Output);
}
