// Original file: proto/shoal/api/cluster.proto

import type { Long } from '@grpc/proto-loader';

export interface DispatcherConfig {
  'heartbeatPeriod'?: (number | string | Long);
}

export interface DispatcherConfig__Output {
  'heartbeatPeriod': (number);
}
