// Original file: proto/shoal/api/dispatcher.proto

import type { Long } from '@grpc/proto-loader';

export interface HeartbeatResponse {
  /**
   * When the next heartbeat is due, in nanoseconds.
   */
  'period'?: (number | string | Long);
}

export interface HeartbeatResponse__Output {
  /**
   * When the next heartbeat is due, in nanoseconds.
   */
  'period': (number);
}
