// Original file: proto/shoal/api/control.proto

import type { Service as _shoal_api_Service, Service__Output as _shoal_api_Service__Output } from '../../shoal/api/Service.ts';

export interface UpdateServiceResponse {
  'service'?: (_shoal_api_Service | null);
}

export interface UpdateServiceResponse__Output {
  'service': (_shoal_api_Service__Output | null);
}
