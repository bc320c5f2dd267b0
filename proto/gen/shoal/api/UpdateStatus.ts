// Original file: proto/shoal/api/service.proto

import type { Timestamp as _google_protobuf_Timestamp, Timestamp__Output as _google_protobuf_Timestamp__Output } from '../../google/protobuf/Timestamp.ts';

// Original file: proto/shoal/api/service.proto

export const _shoal_api_UpdateStatus_State = {
  STATE_UNSPECIFIED: 'STATE_UNSPECIFIED',
  STATE_UPDATING: 'STATE_UPDATING',
  STATE_PAUSED: 'STATE_PAUSED',
  STATE_COMPLETED: 'STATE_COMPLETED',
  STATE_ROLLBACK_STARTED: 'STATE_ROLLBACK_STARTED',
  STATE_ROLLBACK_PAUSED: 'STATE_ROLLBACK_PAUSED',
  STATE_ROLLBACK_COMPLETED: 'STATE_ROLLBACK_COMPLETED',
} as const;

export type _shoal_api_UpdateStatus_State =
  | 'STATE_UNSPECIFIED'
  | 0
  | 'STATE_UPDATING'
  | 1
  | 'STATE_PAUSED'
  | 2
  | 'STATE_COMPLETED'
  | 3
  | 'STATE_ROLLBACK_STARTED'
  | 4
  | 'STATE_ROLLBACK_PAUSED'
  | 5
  | 'STATE_ROLLBACK_COMPLETED'
  | 6

export type _shoal_api_UpdateStatus_State__Output = typeof _shoal_api_UpdateStatus_State[keyof typeof _shoal_api_UpdateStatus_State]

export interface UpdateStatus {
  'state'?: (_shoal_api_UpdateStatus_State);
  'startedAt'?: (_google_protobuf_Timestamp | null);
  'completedAt'?: (_google_protobuf_Timestamp | null);
  'message'?: (string);
}

export interface UpdateStatus__Output {
  'state': (_shoal_api_UpdateStatus_State__Output);
  'startedAt': (_google_protobuf_Timestamp__Output | null);
  'completedAt': (_google_protobuf_Timestamp__Output | null);
  'message': (string);
}
