// Original file: proto/shoal/api/task_spec.proto

import type { Long } from '@grpc/proto-loader';

// Original file: proto/shoal/api/task_spec.proto

export const _shoal_api_RestartPolicy_Condition = {
  CONDITION_UNSPECIFIED: 'CONDITION_UNSPECIFIED',
  CONDITION_NONE: 'CONDITION_NONE',
  CONDITION_ON_FAILURE: 'CONDITION_ON_FAILURE',
  CONDITION_ANY: 'CONDITION_ANY',
} as const;

export type _shoal_api_RestartPolicy_Condition =
  | 'CONDITION_UNSPECIFIED'
  | 0
  | 'CONDITION_NONE'
  | 1
  | 'CONDITION_ON_FAILURE'
  | 2
  | 'CONDITION_ANY'
  | 3

export type _shoal_api_RestartPolicy_Condition__Output = typeof _shoal_api_RestartPolicy_Condition[keyof typeof _shoal_api_RestartPolicy_Condition]

export interface RestartPolicy {
  'condition'?: (_shoal_api_RestartPolicy_Condition);
  'delay'?: (number | string | Long);
  'maxAttempts'?: (number | string | Long);
  'window'?: (number | string | Long);
  '_delay'?: "delay";
  '_maxAttempts'?: "maxAttempts";
  '_window'?: "window";
}

export interface RestartPolicy__Output {
  'condition': (_shoal_api_RestartPolicy_Condition__Output);
  'delay'?: (number);
  'maxAttempts'?: (number);
  'window'?: (number);
  '_delay'?: "delay";
  '_maxAttempts'?: "maxAttempts";
  '_window'?: "window";
}
