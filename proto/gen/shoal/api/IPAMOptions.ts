// Original file: proto/shoal/api/network.proto

import type { Driver as _shoal_api_Driver, Driver__Output as _shoal_api_Driver__Output } from '../../shoal/api/Driver.ts';
import type { IPAMConfig as _shoal_api_IPAMConfig, IPAMConfig__Output as _shoal_api_IPAMConfig__Output } from '../../shoal/api/IPAMConfig.ts';

export interface IPAMOptions {
  'driver'?: (_shoal_api_Driver | null);
  'configs'?: (_shoal_api_IPAMConfig)[];
}

export interface IPAMOptions__Output {
  'driver': (_shoal_api_Driver__Output | null);
  'configs': (_shoal_api_IPAMConfig__Output)[];
}
