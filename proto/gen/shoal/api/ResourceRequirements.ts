// Original file: proto/shoal/api/task_spec.proto

import type { Limit as _shoal_api_Limit, Limit__Output as _shoal_api_Limit__Output } from '../../shoal/api/Limit.ts';
import type { Resources as _shoal_api_Resources, Resources__Output as _shoal_api_Resources__Output } from '../../shoal/api/Resources.ts';
import type { Long } from '@grpc/proto-loader';

export interface ResourceRequirements {
  'limits'?: (_shoal_api_Limit | null);
  'reservations'?: (_shoal_api_Resources | null);
  /**
   * Ordinary swarm mode has no such field, but the CLI sends "SwapBytes"/"MemorySwappiness" on newer APIs.
   */
  'swapBytes'?: (number | string | Long);
  'memorySwappiness'?: (number | string | Long);
  '_swapBytes'?: "swapBytes";
  '_memorySwappiness'?: "memorySwappiness";
}

export interface ResourceRequirements__Output {
  'limits': (_shoal_api_Limit__Output | null);
  'reservations': (_shoal_api_Resources__Output | null);
  /**
   * Ordinary swarm mode has no such field, but the CLI sends "SwapBytes"/"MemorySwappiness" on newer APIs.
   */
  'swapBytes'?: (number);
  'memorySwappiness'?: (number);
  '_swapBytes'?: "swapBytes";
  '_memorySwappiness'?: "memorySwappiness";
}
