// Original file: proto/shoal/api/control.proto


export interface RemoveConfigRequest {
  'configId'?: (string);
}

export interface RemoveConfigRequest__Output {
  'configId': (string);
}
