// Original file: proto/shoal/api/control.proto

import type { Node as _shoal_api_Node, Node__Output as _shoal_api_Node__Output } from '../../shoal/api/Node.ts';

export interface UpdateNodeResponse {
  'node'?: (_shoal_api_Node | null);
}

export interface UpdateNodeResponse__Output {
  'node': (_shoal_api_Node__Output | null);
}
