// Original file: proto/shoal/api/node.proto

import type { NodeRole as _shoal_api_NodeRole, NodeRole__Output as _shoal_api_NodeRole__Output } from '../../shoal/api/NodeRole.ts';

// Original file: proto/shoal/api/node.proto

export const _shoal_api_NodeSpec_Availability = {
  AVAILABILITY_UNSPECIFIED: 'AVAILABILITY_UNSPECIFIED',
  AVAILABILITY_ACTIVE: 'AVAILABILITY_ACTIVE',
  AVAILABILITY_PAUSE: 'AVAILABILITY_PAUSE',
  AVAILABILITY_DRAIN: 'AVAILABILITY_DRAIN',
} as const;

export type _shoal_api_NodeSpec_Availability =
  | 'AVAILABILITY_UNSPECIFIED'
  | 0
  | 'AVAILABILITY_ACTIVE'
  | 1
  | 'AVAILABILITY_PAUSE'
  | 2
  | 'AVAILABILITY_DRAIN'
  | 3

export type _shoal_api_NodeSpec_Availability__Output = typeof _shoal_api_NodeSpec_Availability[keyof typeof _shoal_api_NodeSpec_Availability]

/**
 * NodeSpec is what the user sets on a node (written only through the control API).
 */
export interface NodeSpec {
  'name'?: (string);
  'labels'?: ({[key: string]: string});
  'role'?: (_shoal_api_NodeRole);
  'availability'?: (_shoal_api_NodeSpec_Availability);
}

/**
 * NodeSpec is what the user sets on a node (written only through the control API).
 */
export interface NodeSpec__Output {
  'name': (string);
  'labels': ({[key: string]: string});
  'role': (_shoal_api_NodeRole__Output);
  'availability': (_shoal_api_NodeSpec_Availability__Output);
}
