// Original file: proto/shoal/api/cluster.proto


export interface UnlockKeyResponse {
  'unlockKey'?: (string);
}

export interface UnlockKeyResponse__Output {
  'unlockKey': (string);
}
