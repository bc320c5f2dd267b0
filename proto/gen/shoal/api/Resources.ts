// Original file: proto/shoal/api/types.proto

import type { GenericResource as _shoal_api_GenericResource, GenericResource__Output as _shoal_api_GenericResource__Output } from '../../shoal/api/GenericResource.ts';
import type { Long } from '@grpc/proto-loader';

/**
 * Resources as both limits and reservations: CPU in billionths of a CPU, memory in bytes.
 */
export interface Resources {
  'nanoCpus'?: (number | string | Long);
  'memoryBytes'?: (number | string | Long);
  'genericResources'?: (_shoal_api_GenericResource)[];
}

/**
 * Resources as both limits and reservations: CPU in billionths of a CPU, memory in bytes.
 */
export interface Resources__Output {
  'nanoCpus': (number);
  'memoryBytes': (number);
  'genericResources': (_shoal_api_GenericResource__Output)[];
}
