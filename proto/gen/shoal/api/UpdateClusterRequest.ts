// Original file: proto/shoal/api/control.proto

import type { Version as _shoal_api_Version, Version__Output as _shoal_api_Version__Output } from '../../shoal/api/Version.ts';
import type { ClusterSpec as _shoal_api_ClusterSpec, ClusterSpec__Output as _shoal_api_ClusterSpec__Output } from '../../shoal/api/ClusterSpec.ts';

export interface UpdateClusterRequest {
  'clusterId'?: (string);
  'clusterVersion'?: (_shoal_api_Version | null);
  'spec'?: (_shoal_api_ClusterSpec | null);
  'rotateWorkerToken'?: (boolean);
  'rotateManagerToken'?: (boolean);
  'rotateManagerUnlockKey'?: (boolean);
}

export interface UpdateClusterRequest__Output {
  'clusterId': (string);
  'clusterVersion': (_shoal_api_Version__Output | null);
  'spec': (_shoal_api_ClusterSpec__Output | null);
  'rotateWorkerToken': (boolean);
  'rotateManagerToken': (boolean);
  'rotateManagerUnlockKey': (boolean);
}
