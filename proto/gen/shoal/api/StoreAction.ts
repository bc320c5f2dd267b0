// Original file: proto/shoal/api/store.proto

import type { StoreObject as _shoal_api_StoreObject, StoreObject__Output as _shoal_api_StoreObject__Output } from '../../shoal/api/StoreObject.ts';

// Original file: proto/shoal/api/store.proto

export const _shoal_api_StoreAction_Kind = {
  KIND_UNSPECIFIED: 'KIND_UNSPECIFIED',
  KIND_CREATE: 'KIND_CREATE',
  KIND_UPDATE: 'KIND_UPDATE',
  KIND_REMOVE: 'KIND_REMOVE',
} as const;

export type _shoal_api_StoreAction_Kind =
  | 'KIND_UNSPECIFIED'
  | 0
  | 'KIND_CREATE'
  | 1
  | 'KIND_UPDATE'
  | 2
  | 'KIND_REMOVE'
  | 3

export type _shoal_api_StoreAction_Kind__Output = typeof _shoal_api_StoreAction_Kind[keyof typeof _shoal_api_StoreAction_Kind]

export interface StoreAction {
  'kind'?: (_shoal_api_StoreAction_Kind);
  'target'?: (_shoal_api_StoreObject | null);
}

export interface StoreAction__Output {
  'kind': (_shoal_api_StoreAction_Kind__Output);
  'target': (_shoal_api_StoreObject__Output | null);
}
