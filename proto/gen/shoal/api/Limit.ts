// Original file: proto/shoal/api/types.proto

import type { Long } from '@grpc/proto-loader';

export interface Limit {
  'nanoCpus'?: (number | string | Long);
  'memoryBytes'?: (number | string | Long);
  'pids'?: (number | string | Long);
}

export interface Limit__Output {
  'nanoCpus': (number);
  'memoryBytes': (number);
  'pids': (number);
}
