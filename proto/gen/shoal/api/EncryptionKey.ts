// Original file: proto/shoal/api/types.proto

import type { Long } from '@grpc/proto-loader';

/**
 * EncryptionKey is one key of a key set the managers distribute (SessionMessage.network_keys,
 * Cluster.network_bootstrap_keys). lamport_time orders keys: a newer key has a higher one.
 */
export interface EncryptionKey {
  /**
   * What the key is for, e.g. "networking:overlay".
   */
  'subsystem'?: (string);
  /**
   * e.g. "aes-128-gcm".
   */
  'algorithm'?: (string);
  'key'?: (Buffer | Uint8Array | string);
  'lamportTime'?: (number | string | Long);
}

/**
 * EncryptionKey is one key of a key set the managers distribute (SessionMessage.network_keys,
 * Cluster.network_bootstrap_keys). lamport_time orders keys: a newer key has a higher one.
 */
export interface EncryptionKey__Output {
  /**
   * What the key is for, e.g. "networking:overlay".
   */
  'subsystem': (string);
  /**
   * e.g. "aes-128-gcm".
   */
  'algorithm': (string);
  'key': (Buffer);
  'lamportTime': (number);
}
