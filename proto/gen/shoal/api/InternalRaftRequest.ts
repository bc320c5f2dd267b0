// Original file: proto/shoal/api/store.proto

import type { StoreAction as _shoal_api_StoreAction, StoreAction__Output as _shoal_api_StoreAction__Output } from '../../shoal/api/StoreAction.ts';
import type { Long } from '@grpc/proto-loader';

/**
 * InternalRaftRequest is the payload of one raft log entry: one store transaction.
 */
export interface InternalRaftRequest {
  /**
   * Proposal id, so the proposer can match the committed entry to its waiting caller.
   */
  'id'?: (number | string | Long);
  'actions'?: (_shoal_api_StoreAction)[];
}

/**
 * InternalRaftRequest is the payload of one raft log entry: one store transaction.
 */
export interface InternalRaftRequest__Output {
  /**
   * Proposal id, so the proposer can match the committed entry to its waiting caller.
   */
  'id': (number);
  'actions': (_shoal_api_StoreAction__Output)[];
}
