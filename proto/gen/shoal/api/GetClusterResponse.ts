// Original file: proto/shoal/api/control.proto

import type { Cluster as _shoal_api_Cluster, Cluster__Output as _shoal_api_Cluster__Output } from '../../shoal/api/Cluster.ts';

export interface GetClusterResponse {
  'cluster'?: (_shoal_api_Cluster | null);
}

export interface GetClusterResponse__Output {
  'cluster': (_shoal_api_Cluster__Output | null);
}
