// Original file: proto/shoal/api/dispatcher.proto

import type { Long } from '@grpc/proto-loader';

export interface EncryptionKey {
  'subsystem'?: (string);
  'algorithm'?: (string);
  'key'?: (Buffer | Uint8Array | string);
  'lamportTime'?: (number | string | Long);
}

export interface EncryptionKey__Output {
  'subsystem': (string);
  'algorithm': (string);
  'key': (Buffer);
  'lamportTime': (number);
}
