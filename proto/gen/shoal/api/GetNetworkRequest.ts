// Original file: proto/shoal/api/control.proto


export interface GetNetworkRequest {
  'networkId'?: (string);
}

export interface GetNetworkRequest__Output {
  'networkId': (string);
}
