// Original file: proto/shoal/api/service.proto

import type { Long } from '@grpc/proto-loader';

export interface JobIteration {
  'index'?: (number | string | Long);
}

export interface JobIteration__Output {
  'index': (number);
}
