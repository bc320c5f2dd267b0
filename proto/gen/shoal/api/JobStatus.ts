// Original file: proto/shoal/api/service.proto

import type { JobIteration as _shoal_api_JobIteration, JobIteration__Output as _shoal_api_JobIteration__Output } from '../../shoal/api/JobIteration.ts';
import type { Timestamp as _google_protobuf_Timestamp, Timestamp__Output as _google_protobuf_Timestamp__Output } from '../../google/protobuf/Timestamp.ts';

export interface JobStatus {
  'jobIteration'?: (_shoal_api_JobIteration | null);
  'lastExecution'?: (_google_protobuf_Timestamp | null);
}

export interface JobStatus__Output {
  'jobIteration': (_shoal_api_JobIteration__Output | null);
  'lastExecution': (_google_protobuf_Timestamp__Output | null);
}
