// Original file: proto/shoal/api/control.proto

import type { Secret as _shoal_api_Secret, Secret__Output as _shoal_api_Secret__Output } from '../../shoal/api/Secret.ts';

export interface GetSecretResponse {
  'secret'?: (_shoal_api_Secret | null);
}

export interface GetSecretResponse__Output {
  'secret': (_shoal_api_Secret__Output | null);
}
