// Original file: proto/shoal/api/control.proto

import type { Cluster as _shoal_api_Cluster, Cluster__Output as _shoal_api_Cluster__Output } from '../../shoal/api/Cluster.ts';

export interface ListClustersResponse {
  'clusters'?: (_shoal_api_Cluster)[];
}

export interface ListClustersResponse__Output {
  'clusters': (_shoal_api_Cluster__Output)[];
}
