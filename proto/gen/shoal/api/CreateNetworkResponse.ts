// Original file: proto/shoal/api/control.proto

import type { Network as _shoal_api_Network, Network__Output as _shoal_api_Network__Output } from '../../shoal/api/Network.ts';

export interface CreateNetworkResponse {
  'network'?: (_shoal_api_Network | null);
}

export interface CreateNetworkResponse__Output {
  'network': (_shoal_api_Network__Output | null);
}
