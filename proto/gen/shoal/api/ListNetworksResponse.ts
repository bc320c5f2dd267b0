// Original file: proto/shoal/api/control.proto

import type { Network as _shoal_api_Network, Network__Output as _shoal_api_Network__Output } from '../../shoal/api/Network.ts';

export interface ListNetworksResponse {
  'networks'?: (_shoal_api_Network)[];
}

export interface ListNetworksResponse__Output {
  'networks': (_shoal_api_Network__Output)[];
}
