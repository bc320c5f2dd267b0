// Original file: proto/shoal/api/dispatcher.proto

import type { TaskStatusUpdate as _shoal_api_TaskStatusUpdate, TaskStatusUpdate__Output as _shoal_api_TaskStatusUpdate__Output } from '../../shoal/api/TaskStatusUpdate.ts';

export interface UpdateTaskStatusRequest {
  'sessionId'?: (string);
  'updates'?: (_shoal_api_TaskStatusUpdate)[];
}

export interface UpdateTaskStatusRequest__Output {
  'sessionId': (string);
  'updates': (_shoal_api_TaskStatusUpdate__Output)[];
}
