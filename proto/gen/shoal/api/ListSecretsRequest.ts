// Original file: proto/shoal/api/control.proto

import type { ListFilters as _shoal_api_ListFilters, ListFilters__Output as _shoal_api_ListFilters__Output } from '../../shoal/api/ListFilters.ts';

export interface ListSecretsRequest {
  'filters'?: (_shoal_api_ListFilters | null);
}

export interface ListSecretsRequest__Output {
  'filters': (_shoal_api_ListFilters__Output | null);
}
