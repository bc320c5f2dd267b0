// Original file: proto/shoal/api/node.proto

import type { Version as _shoal_api_Version, Version__Output as _shoal_api_Version__Output } from '../../shoal/api/Version.ts';
import type { Timestamp as _google_protobuf_Timestamp, Timestamp__Output as _google_protobuf_Timestamp__Output } from '../../google/protobuf/Timestamp.ts';
import type { NodeSpec as _shoal_api_NodeSpec, NodeSpec__Output as _shoal_api_NodeSpec__Output } from '../../shoal/api/NodeSpec.ts';
import type { NodeDescription as _shoal_api_NodeDescription, NodeDescription__Output as _shoal_api_NodeDescription__Output } from '../../shoal/api/NodeDescription.ts';
import type { NodeStatus as _shoal_api_NodeStatus, NodeStatus__Output as _shoal_api_NodeStatus__Output } from '../../shoal/api/NodeStatus.ts';
import type { ManagerStatus as _shoal_api_ManagerStatus, ManagerStatus__Output as _shoal_api_ManagerStatus__Output } from '../../shoal/api/ManagerStatus.ts';
import type { NetworkAttachment as _shoal_api_NetworkAttachment, NetworkAttachment__Output as _shoal_api_NetworkAttachment__Output } from '../../shoal/api/NetworkAttachment.ts';

export interface Node {
  'id'?: (string);
  'version'?: (_shoal_api_Version | null);
  'createdAt'?: (_google_protobuf_Timestamp | null);
  'updatedAt'?: (_google_protobuf_Timestamp | null);
  'spec'?: (_shoal_api_NodeSpec | null);
  'description'?: (_shoal_api_NodeDescription | null);
  'status'?: (_shoal_api_NodeStatus | null);
  'managerStatus'?: (_shoal_api_ManagerStatus | null);
  /**
   * The node's own addresses on overlay networks, written by the allocator: one on the ingress network
   * (Swarm's ingress-sbox endpoint) and one on each overlay network the node has tasks on (Swarm's
   * `lb-<network>` endpoint). Each entry is the allocated network object and one "ip/prefix" address.
   * Freed when the node is removed or no longer has tasks on that network.
   */
  'attachments'?: (_shoal_api_NetworkAttachment)[];
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
  /**
   * The node's own addresses on overlay networks, written by the allocator: one on the ingress network
   * (Swarm's ingress-sbox endpoint) and one on each overlay network the node has tasks on (Swarm's
   * `lb-<network>` endpoint). Each entry is the allocated network object and one "ip/prefix" address.
   * Freed when the node is removed or no longer has tasks on that network.
   */
  'attachments': (_shoal_api_NetworkAttachment__Output)[];
}
