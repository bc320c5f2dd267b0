// Original file: proto/shoal/api/control.proto

import type { ListFilters as _shoal_api_ListFilters, ListFilters__Output as _shoal_api_ListFilters__Output } from '../../shoal/api/ListFilters.ts';

export interface ListServicesRequest {
  'filters'?: (_shoal_api_ListFilters | null);
  /**
   * Adds ServiceStatus to each service (`GET /services?status=true`).
   */
  'status'?: (boolean);
}

export interface ListServicesRequest__Output {
  'filters': (_shoal_api_ListFilters__Output | null);
  /**
   * Adds ServiceStatus to each service (`GET /services?status=true`).
   */
  'status': (boolean);
}
