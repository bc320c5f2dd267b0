// Original file: proto/shoal/api/network.proto

import type { NetworkIPAMConfig as _shoal_api_NetworkIPAMConfig, NetworkIPAMConfig__Output as _shoal_api_NetworkIPAMConfig__Output } from '../../shoal/api/NetworkIPAMConfig.ts';

export interface NetworkIPAM {
  'driver'?: (string);
  'options'?: ({[key: string]: string});
  'config'?: (_shoal_api_NetworkIPAMConfig)[];
}

export interface NetworkIPAM__Output {
  'driver': (string);
  'options': ({[key: string]: string});
  'config': (_shoal_api_NetworkIPAMConfig__Output)[];
}
