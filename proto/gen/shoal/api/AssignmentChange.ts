// Original file: proto/shoal/api/dispatcher.proto

import type { Assignment as _shoal_api_Assignment, Assignment__Output as _shoal_api_Assignment__Output } from '../../shoal/api/Assignment.ts';

// Original file: proto/shoal/api/dispatcher.proto

export const _shoal_api_AssignmentChange_Action = {
  ACTION_UNSPECIFIED: 'ACTION_UNSPECIFIED',
  ACTION_UPDATE: 'ACTION_UPDATE',
  ACTION_REMOVE: 'ACTION_REMOVE',
} as const;

export type _shoal_api_AssignmentChange_Action =
  | 'ACTION_UNSPECIFIED'
  | 0
  | 'ACTION_UPDATE'
  | 1
  | 'ACTION_REMOVE'
  | 2

export type _shoal_api_AssignmentChange_Action__Output = typeof _shoal_api_AssignmentChange_Action[keyof typeof _shoal_api_AssignmentChange_Action]

export interface AssignmentChange {
  'assignment'?: (_shoal_api_Assignment | null);
  'action'?: (_shoal_api_AssignmentChange_Action);
}

export interface AssignmentChange__Output {
  'assignment': (_shoal_api_Assignment__Output | null);
  'action': (_shoal_api_AssignmentChange_Action__Output);
}
