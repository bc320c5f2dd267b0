// Original file: proto/shoal/api/raft.proto

import type { Long } from '@grpc/proto-loader';

export interface StreamSnapshotResponse {
  'receivedBytes'?: (number | string | Long);
}

export interface StreamSnapshotResponse__Output {
  'receivedBytes': (number);
}
