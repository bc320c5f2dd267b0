// Original file: proto/shoal/api/task_spec.proto

import type { PlacementPreference as _shoal_api_PlacementPreference, PlacementPreference__Output as _shoal_api_PlacementPreference__Output } from '../../shoal/api/PlacementPreference.ts';
import type { Platform as _shoal_api_Platform, Platform__Output as _shoal_api_Platform__Output } from '../../shoal/api/Platform.ts';
import type { Long } from '@grpc/proto-loader';

export interface Placement {
  'constraints'?: (string)[];
  'preferences'?: (_shoal_api_PlacementPreference)[];
  'maxReplicas'?: (number | string | Long);
  'platforms'?: (_shoal_api_Platform)[];
}

export interface Placement__Output {
  'constraints': (string)[];
  'preferences': (_shoal_api_PlacementPreference__Output)[];
  'maxReplicas': (number);
  'platforms': (_shoal_api_Platform__Output)[];
}
