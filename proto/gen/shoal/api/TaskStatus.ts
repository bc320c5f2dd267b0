// Original file: proto/shoal/api/task.proto

import type { Timestamp as _google_protobuf_Timestamp, Timestamp__Output as _google_protobuf_Timestamp__Output } from '../../google/protobuf/Timestamp.ts';
import type { TaskState as _shoal_api_TaskState, TaskState__Output as _shoal_api_TaskState__Output } from '../../shoal/api/TaskState.ts';
import type { ContainerStatus as _shoal_api_ContainerStatus, ContainerStatus__Output as _shoal_api_ContainerStatus__Output } from '../../shoal/api/ContainerStatus.ts';
import type { PortStatus as _shoal_api_PortStatus, PortStatus__Output as _shoal_api_PortStatus__Output } from '../../shoal/api/PortStatus.ts';

/**
 * TaskStatus is written only by the agent running the task (and by the manager for states before ASSIGNED).
 */
export interface TaskStatus {
  'timestamp'?: (_google_protobuf_Timestamp | null);
  'state'?: (_shoal_api_TaskState);
  'message'?: (string);
  'err'?: (string);
  'containerStatus'?: (_shoal_api_ContainerStatus | null);
  'portStatus'?: (_shoal_api_PortStatus | null);
}

/**
 * TaskStatus is written only by the agent running the task (and by the manager for states before ASSIGNED).
 */
export interface TaskStatus__Output {
  'timestamp': (_google_protobuf_Timestamp__Output | null);
  'state': (_shoal_api_TaskState__Output);
  'message': (string);
  'err': (string);
  'containerStatus': (_shoal_api_ContainerStatus__Output | null);
  'portStatus': (_shoal_api_PortStatus__Output | null);
}
