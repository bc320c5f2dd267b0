// Original file: proto/shoal/api/task.proto

import type { Long } from '@grpc/proto-loader';

export interface ContainerStatus {
  'containerId'?: (string);
  'pid'?: (number | string | Long);
  'exitCode'?: (number | string | Long);
}

export interface ContainerStatus__Output {
  'containerId': (string);
  'pid': (number);
  'exitCode': (number);
}
