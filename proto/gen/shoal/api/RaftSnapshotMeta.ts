// Original file: proto/shoal/api/raft.proto

import type { RaftConfState as _shoal_api_RaftConfState, RaftConfState__Output as _shoal_api_RaftConfState__Output } from '../../shoal/api/RaftConfState.ts';
import type { Long } from '@grpc/proto-loader';

export interface RaftSnapshotMeta {
  'index'?: (number | string | Long);
  'term'?: (number | string | Long);
  'confState'?: (_shoal_api_RaftConfState | null);
}

export interface RaftSnapshotMeta__Output {
  'index': (number);
  'term': (number);
  'confState': (_shoal_api_RaftConfState__Output | null);
}
