// Original file: proto/shoal/api/raft.proto


export interface ResolveAddressRequest {
  'raftId'?: (string);
}

export interface ResolveAddressRequest__Output {
  'raftId': (string);
}
