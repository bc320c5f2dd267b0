// Original file: proto/shoal/api/control.proto


export interface RemoveNodeRequest {
  'nodeId'?: (string);
  'force'?: (boolean);
}

export interface RemoveNodeRequest__Output {
  'nodeId': (string);
  'force': (boolean);
}
