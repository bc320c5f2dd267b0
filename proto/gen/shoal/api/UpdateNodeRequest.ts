// Original file: proto/shoal/api/control.proto

import type { Version as _shoal_api_Version, Version__Output as _shoal_api_Version__Output } from '../../shoal/api/Version.ts';
import type { NodeSpec as _shoal_api_NodeSpec, NodeSpec__Output as _shoal_api_NodeSpec__Output } from '../../shoal/api/NodeSpec.ts';

export interface UpdateNodeRequest {
  'nodeId'?: (string);
  'nodeVersion'?: (_shoal_api_Version | null);
  'spec'?: (_shoal_api_NodeSpec | null);
}

export interface UpdateNodeRequest__Output {
  'nodeId': (string);
  'nodeVersion': (_shoal_api_Version__Output | null);
  'spec': (_shoal_api_NodeSpec__Output | null);
}
