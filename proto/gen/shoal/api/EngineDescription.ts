// Original file: proto/shoal/api/node.proto

import type { EnginePlugin as _shoal_api_EnginePlugin, EnginePlugin__Output as _shoal_api_EnginePlugin__Output } from '../../shoal/api/EnginePlugin.ts';

export interface EngineDescription {
  'engineVersion'?: (string);
  'labels'?: ({[key: string]: string});
  'plugins'?: (_shoal_api_EnginePlugin)[];
}

export interface EngineDescription__Output {
  'engineVersion': (string);
  'labels': ({[key: string]: string});
  'plugins': (_shoal_api_EnginePlugin__Output)[];
}
