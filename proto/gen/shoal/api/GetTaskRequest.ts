// Original file: proto/shoal/api/control.proto


export interface GetTaskRequest {
  'taskId'?: (string);
}

export interface GetTaskRequest__Output {
  'taskId': (string);
}
