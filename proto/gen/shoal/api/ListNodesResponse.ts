// Original file: proto/shoal/api/control.proto

import type { Node as _shoal_api_Node, Node__Output as _shoal_api_Node__Output } from '../../shoal/api/Node.ts';

export interface ListNodesResponse {
  'nodes'?: (_shoal_api_Node)[];
}

export interface ListNodesResponse__Output {
  'nodes': (_shoal_api_Node__Output)[];
}
