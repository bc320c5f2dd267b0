// Original file: proto/shoal/api/control.proto

import type { Task as _shoal_api_Task, Task__Output as _shoal_api_Task__Output } from '../../shoal/api/Task.ts';

export interface ListTasksResponse {
  'tasks'?: (_shoal_api_Task)[];
}

export interface ListTasksResponse__Output {
  'tasks': (_shoal_api_Task__Output)[];
}
