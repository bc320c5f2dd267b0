// Original file: proto/shoal/api/logs.proto

import type { LogMessage as _shoal_api_LogMessage, LogMessage__Output as _shoal_api_LogMessage__Output } from '../../shoal/api/LogMessage.ts';

export interface SubscribeLogsMessage {
  'messages'?: (_shoal_api_LogMessage)[];
}

export interface SubscribeLogsMessage__Output {
  'messages': (_shoal_api_LogMessage__Output)[];
}
