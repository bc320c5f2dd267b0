// Original file: proto/shoal/api/cluster.proto


export interface EncryptionConfig {
  'autoLockManagers'?: (boolean);
}

export interface EncryptionConfig__Output {
  'autoLockManagers': (boolean);
}
