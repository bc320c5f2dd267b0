// Original file: proto/shoal/api/control.proto

import type { Version as _shoal_api_Version, Version__Output as _shoal_api_Version__Output } from '../../shoal/api/Version.ts';
import type { SecretSpec as _shoal_api_SecretSpec, SecretSpec__Output as _shoal_api_SecretSpec__Output } from '../../shoal/api/SecretSpec.ts';

export interface UpdateSecretRequest {
  'secretId'?: (string);
  'secretVersion'?: (_shoal_api_Version | null);
  'spec'?: (_shoal_api_SecretSpec | null);
}

export interface UpdateSecretRequest__Output {
  'secretId': (string);
  'secretVersion': (_shoal_api_Version__Output | null);
  'spec': (_shoal_api_SecretSpec__Output | null);
}
