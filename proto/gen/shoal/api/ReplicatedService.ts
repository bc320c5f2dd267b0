// Original file: proto/shoal/api/service.proto

import type { Long } from '@grpc/proto-loader';

export interface ReplicatedService {
  'replicas'?: (number | string | Long);
  '_replicas'?: "replicas";
}

export interface ReplicatedService__Output {
  'replicas'?: (number);
  '_replicas'?: "replicas";
}
