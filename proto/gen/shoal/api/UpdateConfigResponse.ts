// Original file: proto/shoal/api/control.proto

import type { Config as _shoal_api_Config, Config__Output as _shoal_api_Config__Output } from '../../shoal/api/Config.ts';

export interface UpdateConfigResponse {
  'config'?: (_shoal_api_Config | null);
}

export interface UpdateConfigResponse__Output {
  'config': (_shoal_api_Config__Output | null);
}
