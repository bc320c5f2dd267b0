// Original file: proto/shoal/api/logs.proto

import type { Timestamp as _google_protobuf_Timestamp, Timestamp__Output as _google_protobuf_Timestamp__Output } from '../../google/protobuf/Timestamp.ts';
import type { Long } from '@grpc/proto-loader';

// Original file: proto/shoal/api/logs.proto

export const _shoal_api_LogSubscriptionOptions_Stream = {
  STREAM_UNSPECIFIED: 'STREAM_UNSPECIFIED',
  STREAM_STDOUT: 'STREAM_STDOUT',
  STREAM_STDERR: 'STREAM_STDERR',
} as const;

export type _shoal_api_LogSubscriptionOptions_Stream =
  | 'STREAM_UNSPECIFIED'
  | 0
  | 'STREAM_STDOUT'
  | 1
  | 'STREAM_STDERR'
  | 2

export type _shoal_api_LogSubscriptionOptions_Stream__Output = typeof _shoal_api_LogSubscriptionOptions_Stream[keyof typeof _shoal_api_LogSubscriptionOptions_Stream]

export interface LogSubscriptionOptions {
  'streams'?: (_shoal_api_LogSubscriptionOptions_Stream)[];
  'follow'?: (boolean);
  /**
   * Lines from the end; negative means all.
   */
  'tail'?: (number | string | Long);
  'since'?: (_google_protobuf_Timestamp | null);
}

export interface LogSubscriptionOptions__Output {
  'streams': (_shoal_api_LogSubscriptionOptions_Stream__Output)[];
  'follow': (boolean);
  /**
   * Lines from the end; negative means all.
   */
  'tail': (number);
  'since': (_google_protobuf_Timestamp__Output | null);
}
