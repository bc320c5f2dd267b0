// Original file: proto/shoal/api/control.proto

import type { ListFilters as _shoal_api_ListFilters, ListFilters__Output as _shoal_api_ListFilters__Output } from '../../shoal/api/ListFilters.ts';

export interface ListNodesRequest {
  'filters'?: (_shoal_api_ListFilters | null);
}

export interface ListNodesRequest__Output {
  'filters': (_shoal_api_ListFilters__Output | null);
}
