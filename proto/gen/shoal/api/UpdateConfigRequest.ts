// Original file: proto/shoal/api/control.proto

import type { Version as _shoal_api_Version, Version__Output as _shoal_api_Version__Output } from '../../shoal/api/Version.ts';
import type { ConfigSpec as _shoal_api_ConfigSpec, ConfigSpec__Output as _shoal_api_ConfigSpec__Output } from '../../shoal/api/ConfigSpec.ts';

export interface UpdateConfigRequest {
  'configId'?: (string);
  'configVersion'?: (_shoal_api_Version | null);
  'spec'?: (_shoal_api_ConfigSpec | null);
}

export interface UpdateConfigRequest__Output {
  'configId': (string);
  'configVersion': (_shoal_api_Version__Output | null);
  'spec': (_shoal_api_ConfigSpec__Output | null);
}
