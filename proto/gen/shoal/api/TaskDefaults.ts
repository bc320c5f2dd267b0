// Original file: proto/shoal/api/cluster.proto

import type { Driver as _shoal_api_Driver, Driver__Output as _shoal_api_Driver__Output } from '../../shoal/api/Driver.ts';

export interface TaskDefaults {
  'logDriver'?: (_shoal_api_Driver | null);
}

export interface TaskDefaults__Output {
  'logDriver': (_shoal_api_Driver__Output | null);
}
