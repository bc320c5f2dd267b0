// Original file: proto/shoal/api/dispatcher.proto


export interface AssignmentsRequest {
  'sessionId'?: (string);
}

export interface AssignmentsRequest__Output {
  'sessionId': (string);
}
