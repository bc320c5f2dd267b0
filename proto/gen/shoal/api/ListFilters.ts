// Original file: proto/shoal/api/control.proto

import type { StringSet as _shoal_api_StringSet, StringSet__Output as _shoal_api_StringSet__Output } from '../../shoal/api/StringSet.ts';

/**
 * ListFilters carries the Docker API's filters: each key maps to the accepted values.
 */
export interface ListFilters {
  'filters'?: ({[key: string]: _shoal_api_StringSet});
}

/**
 * ListFilters carries the Docker API's filters: each key maps to the accepted values.
 */
export interface ListFilters__Output {
  'filters': ({[key: string]: _shoal_api_StringSet__Output});
}
