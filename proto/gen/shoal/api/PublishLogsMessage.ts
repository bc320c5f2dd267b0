// Original file: proto/shoal/api/logs.proto

import type { LogMessage as _shoal_api_LogMessage, LogMessage__Output as _shoal_api_LogMessage__Output } from '../../shoal/api/LogMessage.ts';

export interface PublishLogsMessage {
  'subscriptionId'?: (string);
  'messages'?: (_shoal_api_LogMessage)[];
  'close'?: (boolean);
}

export interface PublishLogsMessage__Output {
  'subscriptionId': (string);
  'messages': (_shoal_api_LogMessage__Output)[];
  'close': (boolean);
}
