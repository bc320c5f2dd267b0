// Original file: proto/shoal/api/types.proto

import type { PortConfig as _shoal_api_PortConfig, PortConfig__Output as _shoal_api_PortConfig__Output } from '../../shoal/api/PortConfig.ts';

// Original file: proto/shoal/api/types.proto

export const _shoal_api_EndpointSpec_Mode = {
  MODE_UNSPECIFIED: 'MODE_UNSPECIFIED',
  MODE_VIP: 'MODE_VIP',
  MODE_DNSRR: 'MODE_DNSRR',
} as const;

export type _shoal_api_EndpointSpec_Mode =
  | 'MODE_UNSPECIFIED'
  | 0
  | 'MODE_VIP'
  | 1
  | 'MODE_DNSRR'
  | 2

export type _shoal_api_EndpointSpec_Mode__Output = typeof _shoal_api_EndpointSpec_Mode[keyof typeof _shoal_api_EndpointSpec_Mode]

export interface EndpointSpec {
  'mode'?: (_shoal_api_EndpointSpec_Mode);
  'ports'?: (_shoal_api_PortConfig)[];
}

export interface EndpointSpec__Output {
  'mode': (_shoal_api_EndpointSpec_Mode__Output);
  'ports': (_shoal_api_PortConfig__Output)[];
}
