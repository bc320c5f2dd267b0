// Original file: proto/shoal/api/control.proto

import type { Version as _shoal_api_Version, Version__Output as _shoal_api_Version__Output } from '../../shoal/api/Version.ts';
import type { ServiceSpec as _shoal_api_ServiceSpec, ServiceSpec__Output as _shoal_api_ServiceSpec__Output } from '../../shoal/api/ServiceSpec.ts';

export interface UpdateServiceRequest {
  'serviceId'?: (string);
  'serviceVersion'?: (_shoal_api_Version | null);
  'spec'?: (_shoal_api_ServiceSpec | null);
  /**
   * "previous" rolls back to PreviousSpec.
   */
  'rollback'?: (string);
}

export interface UpdateServiceRequest__Output {
  'serviceId': (string);
  'serviceVersion': (_shoal_api_Version__Output | null);
  'spec': (_shoal_api_ServiceSpec__Output | null);
  /**
   * "previous" rolls back to PreviousSpec.
   */
  'rollback': (string);
}
