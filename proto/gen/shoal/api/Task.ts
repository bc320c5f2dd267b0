// Original file: proto/shoal/api/task.proto

import type { Version as _shoal_api_Version, Version__Output as _shoal_api_Version__Output } from '../../shoal/api/Version.ts';
import type { Timestamp as _google_protobuf_Timestamp, Timestamp__Output as _google_protobuf_Timestamp__Output } from '../../google/protobuf/Timestamp.ts';
import type { TaskSpec as _shoal_api_TaskSpec, TaskSpec__Output as _shoal_api_TaskSpec__Output } from '../../shoal/api/TaskSpec.ts';
import type { GenericResource as _shoal_api_GenericResource, GenericResource__Output as _shoal_api_GenericResource__Output } from '../../shoal/api/GenericResource.ts';
import type { TaskStatus as _shoal_api_TaskStatus, TaskStatus__Output as _shoal_api_TaskStatus__Output } from '../../shoal/api/TaskStatus.ts';
import type { TaskState as _shoal_api_TaskState, TaskState__Output as _shoal_api_TaskState__Output } from '../../shoal/api/TaskState.ts';
import type { NetworkAttachment as _shoal_api_NetworkAttachment, NetworkAttachment__Output as _shoal_api_NetworkAttachment__Output } from '../../shoal/api/NetworkAttachment.ts';
import type { JobIteration as _shoal_api_JobIteration, JobIteration__Output as _shoal_api_JobIteration__Output } from '../../shoal/api/JobIteration.ts';
import type { VolumeAttachment as _shoal_api_VolumeAttachment, VolumeAttachment__Output as _shoal_api_VolumeAttachment__Output } from '../../shoal/api/VolumeAttachment.ts';
import type { Long } from '@grpc/proto-loader';

export interface Task {
  'id'?: (string);
  'version'?: (_shoal_api_Version | null);
  'createdAt'?: (_google_protobuf_Timestamp | null);
  'updatedAt'?: (_google_protobuf_Timestamp | null);
  'name'?: (string);
  'labels'?: ({[key: string]: string});
  'spec'?: (_shoal_api_TaskSpec | null);
  'serviceId'?: (string);
  'slot'?: (number | string | Long);
  'nodeId'?: (string);
  'assignedGenericResources'?: (_shoal_api_GenericResource)[];
  'status'?: (_shoal_api_TaskStatus | null);
  'desiredState'?: (_shoal_api_TaskState);
  'networksAttachments'?: (_shoal_api_NetworkAttachment)[];
  'jobIteration'?: (_shoal_api_JobIteration | null);
  'volumes'?: (_shoal_api_VolumeAttachment)[];
  /**
   * Which ServiceSpec version this task was made from (Shoal's; lets `_up-to-date` be exact).
   */
  'specVersion'?: (number | string | Long);
}

export interface Task__Output {
  'id': (string);
  'version': (_shoal_api_Version__Output | null);
  'createdAt': (_google_protobuf_Timestamp__Output | null);
  'updatedAt': (_google_protobuf_Timestamp__Output | null);
  'name': (string);
  'labels': ({[key: string]: string});
  'spec': (_shoal_api_TaskSpec__Output | null);
  'serviceId': (string);
  'slot': (number);
  'nodeId': (string);
  'assignedGenericResources': (_shoal_api_GenericResource__Output)[];
  'status': (_shoal_api_TaskStatus__Output | null);
  'desiredState': (_shoal_api_TaskState__Output);
  'networksAttachments': (_shoal_api_NetworkAttachment__Output)[];
  'jobIteration': (_shoal_api_JobIteration__Output | null);
  'volumes': (_shoal_api_VolumeAttachment__Output)[];
  /**
   * Which ServiceSpec version this task was made from (Shoal's; lets `_up-to-date` be exact).
   */
  'specVersion': (number);
}
