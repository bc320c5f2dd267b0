// Original file: proto/shoal/api/secret.proto

import type { Driver as _shoal_api_Driver, Driver__Output as _shoal_api_Driver__Output } from '../../shoal/api/Driver.ts';

export interface ConfigSpec {
  'name'?: (string);
  'labels'?: ({[key: string]: string});
  'data'?: (Buffer | Uint8Array | string);
  'templating'?: (_shoal_api_Driver | null);
}

export interface ConfigSpec__Output {
  'name': (string);
  'labels': ({[key: string]: string});
  'data': (Buffer);
  'templating': (_shoal_api_Driver__Output | null);
}
