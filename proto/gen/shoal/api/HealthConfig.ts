// Original file: proto/shoal/api/task_spec.proto

import type { Long } from '@grpc/proto-loader';

export interface HealthConfig {
  'test'?: (string)[];
  'interval'?: (number | string | Long);
  'timeout'?: (number | string | Long);
  'startPeriod'?: (number | string | Long);
  'startInterval'?: (number | string | Long);
  'retries'?: (number | string | Long);
}

export interface HealthConfig__Output {
  'test': (string)[];
  'interval': (number);
  'timeout': (number);
  'startPeriod': (number);
  'startInterval': (number);
  'retries': (number);
}
