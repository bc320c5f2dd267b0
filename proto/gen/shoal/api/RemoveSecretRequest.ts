// Original file: proto/shoal/api/control.proto


export interface RemoveSecretRequest {
  'secretId'?: (string);
}

export interface RemoveSecretRequest__Output {
  'secretId': (string);
}
