// Original file: proto/shoal/api/node.proto

import type { Platform as _shoal_api_Platform, Platform__Output as _shoal_api_Platform__Output } from '../../shoal/api/Platform.ts';
import type { Resources as _shoal_api_Resources, Resources__Output as _shoal_api_Resources__Output } from '../../shoal/api/Resources.ts';
import type { EngineDescription as _shoal_api_EngineDescription, EngineDescription__Output as _shoal_api_EngineDescription__Output } from '../../shoal/api/EngineDescription.ts';
import type { TLSInfo as _shoal_api_TLSInfo, TLSInfo__Output as _shoal_api_TLSInfo__Output } from '../../shoal/api/TLSInfo.ts';
import type { CSINodeInfo as _shoal_api_CSINodeInfo, CSINodeInfo__Output as _shoal_api_CSINodeInfo__Output } from '../../shoal/api/CSINodeInfo.ts';

/**
 * NodeDescription is what the node reports about itself.
 */
export interface NodeDescription {
  'hostname'?: (string);
  'platform'?: (_shoal_api_Platform | null);
  'resources'?: (_shoal_api_Resources | null);
  'engine'?: (_shoal_api_EngineDescription | null);
  'tlsInfo'?: (_shoal_api_TLSInfo | null);
  'csiInfo'?: (_shoal_api_CSINodeInfo)[];
}

/**
 * NodeDescription is what the node reports about itself.
 */
export interface NodeDescription__Output {
  'hostname': (string);
  'platform': (_shoal_api_Platform__Output | null);
  'resources': (_shoal_api_Resources__Output | null);
  'engine': (_shoal_api_EngineDescription__Output | null);
  'tlsInfo': (_shoal_api_TLSInfo__Output | null);
  'csiInfo': (_shoal_api_CSINodeInfo__Output)[];
}
