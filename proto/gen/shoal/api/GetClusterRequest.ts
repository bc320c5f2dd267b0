// Original file: proto/shoal/api/control.proto


export interface GetClusterRequest {
  'clusterId'?: (string);
}

export interface GetClusterRequest__Output {
  'clusterId': (string);
}
