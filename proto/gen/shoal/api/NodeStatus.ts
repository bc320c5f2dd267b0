// Original file: proto/shoal/api/node.proto


// Original file: proto/shoal/api/node.proto

export const _shoal_api_NodeStatus_State = {
  STATE_UNSPECIFIED: 'STATE_UNSPECIFIED',
  STATE_UNKNOWN: 'STATE_UNKNOWN',
  STATE_DOWN: 'STATE_DOWN',
  STATE_READY: 'STATE_READY',
  STATE_DISCONNECTED: 'STATE_DISCONNECTED',
} as const;

export type _shoal_api_NodeStatus_State =
  | 'STATE_UNSPECIFIED'
  | 0
  | 'STATE_UNKNOWN'
  | 1
  | 'STATE_DOWN'
  | 2
  | 'STATE_READY'
  | 3
  | 'STATE_DISCONNECTED'
  | 4

export type _shoal_api_NodeStatus_State__Output = typeof _shoal_api_NodeStatus_State[keyof typeof _shoal_api_NodeStatus_State]

export interface NodeStatus {
  'state'?: (_shoal_api_NodeStatus_State);
  'message'?: (string);
  'addr'?: (string);
}

export interface NodeStatus__Output {
  'state': (_shoal_api_NodeStatus_State__Output);
  'message': (string);
  'addr': (string);
}
