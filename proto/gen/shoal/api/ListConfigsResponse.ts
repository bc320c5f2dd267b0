// Original file: proto/shoal/api/control.proto

import type { Config as _shoal_api_Config, Config__Output as _shoal_api_Config__Output } from '../../shoal/api/Config.ts';

export interface ListConfigsResponse {
  'configs'?: (_shoal_api_Config)[];
}

export interface ListConfigsResponse__Output {
  'configs': (_shoal_api_Config__Output)[];
}
