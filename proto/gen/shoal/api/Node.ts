// Original file: proto/shoal/api/node.proto

import type { Version as _shoal_api_Version, Version__Output as _shoal_api_Version__Output } from '../../shoal/api/Version.ts';
import type { Timestamp as _google_protobuf_Timestamp, Timestamp__Output as _google_protobuf_Timestamp__Output } from '../../google/protobuf/Timestamp.ts';
import type { NodeSpec as _shoal_api_NodeSpec, NodeSpec__Output as _shoal_api_NodeSpec__Output } from '../../shoal/api/NodeSpec.ts';
import type { NodeDescription as _shoal_api_NodeDescription, NodeDescription__Output as _shoal_api_NodeDescription__Output } from '../../shoal/api/NodeDescription.ts';
import type { NodeStatus as _shoal_api_NodeStatus, NodeStatus__Output as _shoal_api_NodeStatus__Output } from '../../shoal/api/NodeStatus.ts';
import type { ManagerStatus as _shoal_api_ManagerStatus, ManagerStatus__Output as _shoal_api_ManagerStatus__Output } from '../../shoal/api/ManagerStatus.ts';

export interface Node {
  'id'?: (string);
  'version'?: (_shoal_api_Version | null);
  'createdAt'?: (_google_protobuf_Timestamp | null);
  'updatedAt'?: (_google_protobuf_Timestamp | null);
  'spec'?: (_shoal_api_NodeSpec | null);
  'description'?: (_shoal_api_NodeDescription | null);
  'status'?: (_shoal_api_NodeStatus | null);
  'managerStatus'?: (_shoal_api_ManagerStatus | null);
}

export interface Node__Output {
  'id': (string);
  'version': (_shoal_api_Version__Output | null);
  'createdAt': (_google_protobuf_Timestamp__Output | null);
  'updatedAt': (_google_protobuf_Timestamp__Output | null);
  'spec': (_shoal_api_NodeSpec__Output | null);
  'description': (_shoal_api_NodeDescription__Output | null);
  'status': (_shoal_api_NodeStatus__Output | null);
  'managerStatus': (_shoal_api_ManagerStatus__Output | null);
}
