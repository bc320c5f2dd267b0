// Original file: proto/shoal/api/task_spec.proto

import type { SpreadOver as _shoal_api_SpreadOver, SpreadOver__Output as _shoal_api_SpreadOver__Output } from '../../shoal/api/SpreadOver.ts';

export interface PlacementPreference {
  'spread'?: (_shoal_api_SpreadOver | null);
}

export interface PlacementPreference__Output {
  'spread': (_shoal_api_SpreadOver__Output | null);
}
