// Original file: proto/shoal/api/logs.proto


export interface LogContext {
  'serviceId'?: (string);
  'nodeId'?: (string);
  'taskId'?: (string);
}

export interface LogContext__Output {
  'serviceId': (string);
  'nodeId': (string);
  'taskId': (string);
}
