// Original file: proto/shoal/api/cluster.proto


export interface SwarmUnlockRequest {
  'unlockKey'?: (string);
}

export interface SwarmUnlockRequest__Output {
  'unlockKey': (string);
}
