// Original file: proto/shoal/api/raft.proto

import type { Long } from '@grpc/proto-loader';

// Original file: proto/shoal/api/raft.proto

export const _shoal_api_RaftEntry_Type = {
  TYPE_UNSPECIFIED: 'TYPE_UNSPECIFIED',
  TYPE_NORMAL: 'TYPE_NORMAL',
  TYPE_CONF_CHANGE: 'TYPE_CONF_CHANGE',
} as const;

export type _shoal_api_RaftEntry_Type =
  | 'TYPE_UNSPECIFIED'
  | 0
  | 'TYPE_NORMAL'
  | 1
  | 'TYPE_CONF_CHANGE'
  | 2

export type _shoal_api_RaftEntry_Type__Output = typeof _shoal_api_RaftEntry_Type[keyof typeof _shoal_api_RaftEntry_Type]

export interface RaftEntry {
  'term'?: (number | string | Long);
  'index'?: (number | string | Long);
  'type'?: (_shoal_api_RaftEntry_Type);
  'data'?: (Buffer | Uint8Array | string);
}

export interface RaftEntry__Output {
  'term': (number);
  'index': (number);
  'type': (_shoal_api_RaftEntry_Type__Output);
  'data': (Buffer);
}
