// Original file: proto/shoal/api/ca.proto

import type { Long } from '@grpc/proto-loader';

export interface GetUnlockKeyResponse {
  'unlockKey'?: (Buffer | Uint8Array | string);
  'versionIndex'?: (number | string | Long);
}

export interface GetUnlockKeyResponse__Output {
  'unlockKey': (Buffer);
  'versionIndex': (number);
}
