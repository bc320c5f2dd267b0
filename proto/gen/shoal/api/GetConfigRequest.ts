// Original file: proto/shoal/api/control.proto


export interface GetConfigRequest {
  'configId'?: (string);
}

export interface GetConfigRequest__Output {
  'configId': (string);
}
