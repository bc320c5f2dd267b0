// Original file: proto/shoal/api/raft.proto


export interface ResolveAddressResponse {
  'addr'?: (string);
}

export interface ResolveAddressResponse__Output {
  'addr': (string);
}
