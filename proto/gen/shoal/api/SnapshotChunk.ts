// Original file: proto/shoal/api/raft.proto

import type { RaftMessage as _shoal_api_RaftMessage, RaftMessage__Output as _shoal_api_RaftMessage__Output } from '../../shoal/api/RaftMessage.ts';
import type { Long } from '@grpc/proto-loader';

/**
 * One chunk of a snapshot: the first carries the message (with metadata), the rest only data.
 */
export interface SnapshotChunk {
  'message'?: (_shoal_api_RaftMessage | null);
  'data'?: (Buffer | Uint8Array | string);
  'offset'?: (number | string | Long);
  'totalBytes'?: (number | string | Long);
}

/**
 * One chunk of a snapshot: the first carries the message (with metadata), the rest only data.
 */
export interface SnapshotChunk__Output {
  'message': (_shoal_api_RaftMessage__Output | null);
  'data': (Buffer);
  'offset': (number);
  'totalBytes': (number);
}
