// Original file: proto/shoal/api/secret.proto

import type { Driver as _shoal_api_Driver, Driver__Output as _shoal_api_Driver__Output } from '../../shoal/api/Driver.ts';

export interface SecretSpec {
  'name'?: (string);
  'labels'?: ({[key: string]: string});
  /**
   * The secret's bytes. Never leaves the control API: responses clear it.
   */
  'data'?: (Buffer | Uint8Array | string);
  'driver'?: (_shoal_api_Driver | null);
  'templating'?: (_shoal_api_Driver | null);
}

export interface SecretSpec__Output {
  'name': (string);
  'labels': ({[key: string]: string});
  /**
   * The secret's bytes. Never leaves the control API: responses clear it.
   */
  'data': (Buffer);
  'driver': (_shoal_api_Driver__Output | null);
  'templating': (_shoal_api_Driver__Output | null);
}
