// Original file: proto/shoal/api/raft.proto

import type { RaftMessage as _shoal_api_RaftMessage, RaftMessage__Output as _shoal_api_RaftMessage__Output } from '../../shoal/api/RaftMessage.ts';

export interface RaftMessageBatch {
  'messages'?: (_shoal_api_RaftMessage)[];
}

export interface RaftMessageBatch__Output {
  'messages': (_shoal_api_RaftMessage__Output)[];
}
