// Original file: proto/shoal/api/task_spec.proto

import type { Driver as _shoal_api_Driver, Driver__Output as _shoal_api_Driver__Output } from '../../shoal/api/Driver.ts';
import type { StringList as _shoal_api_StringList, StringList__Output as _shoal_api_StringList__Output } from '../../shoal/api/StringList.ts';
import type { Long } from '@grpc/proto-loader';

export interface _shoal_api_Mount_BindOptions {
  'propagation'?: (_shoal_api_Mount_BindOptions_Propagation);
  'nonRecursive'?: (boolean);
  'createMountpoint'?: (boolean);
  'readOnlyNonRecursive'?: (boolean);
  'readOnlyForceRecursive'?: (boolean);
}

export interface _shoal_api_Mount_BindOptions__Output {
  'propagation': (_shoal_api_Mount_BindOptions_Propagation__Output);
  'nonRecursive': (boolean);
  'createMountpoint': (boolean);
  'readOnlyNonRecursive': (boolean);
  'readOnlyForceRecursive': (boolean);
}

// Original file: proto/shoal/api/task_spec.proto

export const _shoal_api_Mount_Consistency = {
  CONSISTENCY_UNSPECIFIED: 'CONSISTENCY_UNSPECIFIED',
  CONSISTENCY_DEFAULT: 'CONSISTENCY_DEFAULT',
  CONSISTENCY_CONSISTENT: 'CONSISTENCY_CONSISTENT',
  CONSISTENCY_CACHED: 'CONSISTENCY_CACHED',
  CONSISTENCY_DELEGATED: 'CONSISTENCY_DELEGATED',
} as const;

export type _shoal_api_Mount_Consistency =
  | 'CONSISTENCY_UNSPECIFIED'
  | 0
  | 'CONSISTENCY_DEFAULT'
  | 1
  | 'CONSISTENCY_CONSISTENT'
  | 2
  | 'CONSISTENCY_CACHED'
  | 3
  | 'CONSISTENCY_DELEGATED'
  | 4

export type _shoal_api_Mount_Consistency__Output = typeof _shoal_api_Mount_Consistency[keyof typeof _shoal_api_Mount_Consistency]

export interface _shoal_api_Mount_ImageOptions {
  'subpath'?: (string);
}

export interface _shoal_api_Mount_ImageOptions__Output {
  'subpath': (string);
}

// Original file: proto/shoal/api/task_spec.proto

export const _shoal_api_Mount_BindOptions_Propagation = {
  PROPAGATION_UNSPECIFIED: 'PROPAGATION_UNSPECIFIED',
  PROPAGATION_RPRIVATE: 'PROPAGATION_RPRIVATE',
  PROPAGATION_PRIVATE: 'PROPAGATION_PRIVATE',
  PROPAGATION_RSHARED: 'PROPAGATION_RSHARED',
  PROPAGATION_SHARED: 'PROPAGATION_SHARED',
  PROPAGATION_RSLAVE: 'PROPAGATION_RSLAVE',
  PROPAGATION_SLAVE: 'PROPAGATION_SLAVE',
} as const;

export type _shoal_api_Mount_BindOptions_Propagation =
  | 'PROPAGATION_UNSPECIFIED'
  | 0
  | 'PROPAGATION_RPRIVATE'
  | 1
  | 'PROPAGATION_PRIVATE'
  | 2
  | 'PROPAGATION_RSHARED'
  | 3
  | 'PROPAGATION_SHARED'
  | 4
  | 'PROPAGATION_RSLAVE'
  | 5
  | 'PROPAGATION_SLAVE'
  | 6

export type _shoal_api_Mount_BindOptions_Propagation__Output = typeof _shoal_api_Mount_BindOptions_Propagation[keyof typeof _shoal_api_Mount_BindOptions_Propagation]

export interface _shoal_api_Mount_TmpfsOptions {
  'sizeBytes'?: (number | string | Long);
  'mode'?: (number);
  'options'?: (_shoal_api_StringList)[];
}

export interface _shoal_api_Mount_TmpfsOptions__Output {
  'sizeBytes': (number);
  'mode': (number);
  'options': (_shoal_api_StringList__Output)[];
}

// Original file: proto/shoal/api/task_spec.proto

export const _shoal_api_Mount_Type = {
  TYPE_UNSPECIFIED: 'TYPE_UNSPECIFIED',
  TYPE_BIND: 'TYPE_BIND',
  TYPE_VOLUME: 'TYPE_VOLUME',
  TYPE_TMPFS: 'TYPE_TMPFS',
  TYPE_NPIPE: 'TYPE_NPIPE',
  TYPE_CLUSTER: 'TYPE_CLUSTER',
  TYPE_IMAGE: 'TYPE_IMAGE',
} as const;

export type _shoal_api_Mount_Type =
  | 'TYPE_UNSPECIFIED'
  | 0
  | 'TYPE_BIND'
  | 1
  | 'TYPE_VOLUME'
  | 2
  | 'TYPE_TMPFS'
  | 3
  | 'TYPE_NPIPE'
  | 4
  | 'TYPE_CLUSTER'
  | 5
  | 'TYPE_IMAGE'
  | 6

export type _shoal_api_Mount_Type__Output = typeof _shoal_api_Mount_Type[keyof typeof _shoal_api_Mount_Type]

export interface _shoal_api_Mount_VolumeOptions {
  'noCopy'?: (boolean);
  'labels'?: ({[key: string]: string});
  'driverConfig'?: (_shoal_api_Driver | null);
  'subpath'?: (string);
}

export interface _shoal_api_Mount_VolumeOptions__Output {
  'noCopy': (boolean);
  'labels': ({[key: string]: string});
  'driverConfig': (_shoal_api_Driver__Output | null);
  'subpath': (string);
}

export interface Mount {
  'type'?: (_shoal_api_Mount_Type);
  'source'?: (string);
  'target'?: (string);
  'readOnly'?: (boolean);
  'consistency'?: (_shoal_api_Mount_Consistency);
  'bindOptions'?: (_shoal_api_Mount_BindOptions | null);
  'volumeOptions'?: (_shoal_api_Mount_VolumeOptions | null);
  'tmpfsOptions'?: (_shoal_api_Mount_TmpfsOptions | null);
  'imageOptions'?: (_shoal_api_Mount_ImageOptions | null);
}

export interface Mount__Output {
  'type': (_shoal_api_Mount_Type__Output);
  'source': (string);
  'target': (string);
  'readOnly': (boolean);
  'consistency': (_shoal_api_Mount_Consistency__Output);
  'bindOptions': (_shoal_api_Mount_BindOptions__Output | null);
  'volumeOptions': (_shoal_api_Mount_VolumeOptions__Output | null);
  'tmpfsOptions': (_shoal_api_Mount_TmpfsOptions__Output | null);
  'imageOptions': (_shoal_api_Mount_ImageOptions__Output | null);
}
