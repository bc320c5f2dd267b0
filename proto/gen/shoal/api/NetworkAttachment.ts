// Original file: proto/shoal/api/task.proto

import type { Network as _shoal_api_Network, Network__Output as _shoal_api_Network__Output } from '../../shoal/api/Network.ts';

export interface NetworkAttachment {
  'network'?: (_shoal_api_Network | null);
  'addresses'?: (string)[];
}

export interface NetworkAttachment__Output {
  'network': (_shoal_api_Network__Output | null);
  'addresses': (string)[];
}
