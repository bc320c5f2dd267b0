// Original file: proto/shoal/api/control.proto


export interface GetNodeRequest {
  'nodeId'?: (string);
}

export interface GetNodeRequest__Output {
  'nodeId': (string);
}
