// Original file: proto/shoal/api/logs.proto

import type { LogContext as _shoal_api_LogContext, LogContext__Output as _shoal_api_LogContext__Output } from '../../shoal/api/LogContext.ts';
import type { Timestamp as _google_protobuf_Timestamp, Timestamp__Output as _google_protobuf_Timestamp__Output } from '../../google/protobuf/Timestamp.ts';
import type { _shoal_api_LogSubscriptionOptions_Stream, _shoal_api_LogSubscriptionOptions_Stream__Output } from '../../shoal/api/LogSubscriptionOptions.ts';

export interface LogMessage {
  'context'?: (_shoal_api_LogContext | null);
  'timestamp'?: (_google_protobuf_Timestamp | null);
  'stream'?: (_shoal_api_LogSubscriptionOptions_Stream);
  'data'?: (Buffer | Uint8Array | string);
}

export interface LogMessage__Output {
  'context': (_shoal_api_LogContext__Output | null);
  'timestamp': (_google_protobuf_Timestamp__Output | null);
  'stream': (_shoal_api_LogSubscriptionOptions_Stream__Output);
  'data': (Buffer);
}
