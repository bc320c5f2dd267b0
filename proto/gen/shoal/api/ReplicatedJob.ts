// Original file: proto/shoal/api/service.proto

import type { Long } from '@grpc/proto-loader';

export interface ReplicatedJob {
  'maxConcurrent'?: (number | string | Long);
  'totalCompletions'?: (number | string | Long);
  '_maxConcurrent'?: "maxConcurrent";
  '_totalCompletions'?: "totalCompletions";
}

export interface ReplicatedJob__Output {
  'maxConcurrent'?: (number);
  'totalCompletions'?: (number);
  '_maxConcurrent'?: "maxConcurrent";
  '_totalCompletions'?: "totalCompletions";
}
