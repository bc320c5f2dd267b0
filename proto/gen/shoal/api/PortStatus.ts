// Original file: proto/shoal/api/task.proto

import type { PortConfig as _shoal_api_PortConfig, PortConfig__Output as _shoal_api_PortConfig__Output } from '../../shoal/api/PortConfig.ts';

export interface PortStatus {
  'ports'?: (_shoal_api_PortConfig)[];
}

export interface PortStatus__Output {
  'ports': (_shoal_api_PortConfig__Output)[];
}
