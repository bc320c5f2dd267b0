// Original file: proto/shoal/api/control.proto

import type { NetworkSpec as _shoal_api_NetworkSpec, NetworkSpec__Output as _shoal_api_NetworkSpec__Output } from '../../shoal/api/NetworkSpec.ts';

export interface CreateNetworkRequest {
  'spec'?: (_shoal_api_NetworkSpec | null);
}

export interface CreateNetworkRequest__Output {
  'spec': (_shoal_api_NetworkSpec__Output | null);
}
