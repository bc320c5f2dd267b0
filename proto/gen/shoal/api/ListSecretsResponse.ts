// Original file: proto/shoal/api/control.proto

import type { Secret as _shoal_api_Secret, Secret__Output as _shoal_api_Secret__Output } from '../../shoal/api/Secret.ts';

export interface ListSecretsResponse {
  'secrets'?: (_shoal_api_Secret)[];
}

export interface ListSecretsResponse__Output {
  'secrets': (_shoal_api_Secret__Output)[];
}
