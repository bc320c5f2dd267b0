// Original file: proto/shoal/api/dispatcher.proto

import type { AssignmentChange as _shoal_api_AssignmentChange, AssignmentChange__Output as _shoal_api_AssignmentChange__Output } from '../../shoal/api/AssignmentChange.ts';

// Original file: proto/shoal/api/dispatcher.proto

export const _shoal_api_AssignmentsMessage_Type = {
  TYPE_UNSPECIFIED: 'TYPE_UNSPECIFIED',
  /**
   * The whole set: everything not in it is to be removed.
   */
  TYPE_COMPLETE: 'TYPE_COMPLETE',
  TYPE_INCREMENTAL: 'TYPE_INCREMENTAL',
} as const;

export type _shoal_api_AssignmentsMessage_Type =
  | 'TYPE_UNSPECIFIED'
  | 0
  /**
   * The whole set: everything not in it is to be removed.
   */
  | 'TYPE_COMPLETE'
  | 1
  | 'TYPE_INCREMENTAL'
  | 2

export type _shoal_api_AssignmentsMessage_Type__Output = typeof _shoal_api_AssignmentsMessage_Type[keyof typeof _shoal_api_AssignmentsMessage_Type]

export interface AssignmentsMessage {
  'type'?: (_shoal_api_AssignmentsMessage_Type);
  /**
   * Chains messages: an agent that sees applies_to != its last results_in reopens the stream.
   */
  'appliesTo'?: (string);
  'resultsIn'?: (string);
  'changes'?: (_shoal_api_AssignmentChange)[];
}

export interface AssignmentsMessage__Output {
  'type': (_shoal_api_AssignmentsMessage_Type__Output);
  /**
   * Chains messages: an agent that sees applies_to != its last results_in reopens the stream.
   */
  'appliesTo': (string);
  'resultsIn': (string);
  'changes': (_shoal_api_AssignmentChange__Output)[];
}
