// Original file: proto/shoal/api/service.proto

import type { Long } from '@grpc/proto-loader';

// Original file: proto/shoal/api/service.proto

export const _shoal_api_UpdateConfig_FailureAction = {
  FAILURE_ACTION_UNSPECIFIED: 'FAILURE_ACTION_UNSPECIFIED',
  FAILURE_ACTION_PAUSE: 'FAILURE_ACTION_PAUSE',
  FAILURE_ACTION_CONTINUE: 'FAILURE_ACTION_CONTINUE',
  FAILURE_ACTION_ROLLBACK: 'FAILURE_ACTION_ROLLBACK',
} as const;

export type _shoal_api_UpdateConfig_FailureAction =
  | 'FAILURE_ACTION_UNSPECIFIED'
  | 0
  | 'FAILURE_ACTION_PAUSE'
  | 1
  | 'FAILURE_ACTION_CONTINUE'
  | 2
  | 'FAILURE_ACTION_ROLLBACK'
  | 3

export type _shoal_api_UpdateConfig_FailureAction__Output = typeof _shoal_api_UpdateConfig_FailureAction[keyof typeof _shoal_api_UpdateConfig_FailureAction]

// Original file: proto/shoal/api/service.proto

export const _shoal_api_UpdateConfig_Order = {
  ORDER_UNSPECIFIED: 'ORDER_UNSPECIFIED',
  ORDER_STOP_FIRST: 'ORDER_STOP_FIRST',
  ORDER_START_FIRST: 'ORDER_START_FIRST',
} as const;

export type _shoal_api_UpdateConfig_Order =
  | 'ORDER_UNSPECIFIED'
  | 0
  | 'ORDER_STOP_FIRST'
  | 1
  | 'ORDER_START_FIRST'
  | 2

export type _shoal_api_UpdateConfig_Order__Output = typeof _shoal_api_UpdateConfig_Order[keyof typeof _shoal_api_UpdateConfig_Order]

/**
 * UpdateConfig governs rolling updates (and, as RollbackConfig, rollbacks).
 */
export interface UpdateConfig {
  /**
   * 0 means all at once.
   */
  'parallelism'?: (number | string | Long);
  'delay'?: (number | string | Long);
  'failureAction'?: (_shoal_api_UpdateConfig_FailureAction);
  'monitor'?: (number | string | Long);
  'maxFailureRatio'?: (number | string);
  'order'?: (_shoal_api_UpdateConfig_Order);
}

/**
 * UpdateConfig governs rolling updates (and, as RollbackConfig, rollbacks).
 */
export interface UpdateConfig__Output {
  /**
   * 0 means all at once.
   */
  'parallelism': (number);
  'delay': (number);
  'failureAction': (_shoal_api_UpdateConfig_FailureAction__Output);
  'monitor': (number);
  'maxFailureRatio': (number);
  'order': (_shoal_api_UpdateConfig_Order__Output);
}
