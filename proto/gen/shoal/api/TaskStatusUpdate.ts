// Original file: proto/shoal/api/dispatcher.proto

import type { TaskStatus as _shoal_api_TaskStatus, TaskStatus__Output as _shoal_api_TaskStatus__Output } from '../../shoal/api/TaskStatus.ts';

export interface TaskStatusUpdate {
  'taskId'?: (string);
  'status'?: (_shoal_api_TaskStatus | null);
}

export interface TaskStatusUpdate__Output {
  'taskId': (string);
  'status': (_shoal_api_TaskStatus__Output | null);
}
