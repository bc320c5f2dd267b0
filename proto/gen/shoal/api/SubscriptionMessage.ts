// Original file: proto/shoal/api/logs.proto

import type { LogSelector as _shoal_api_LogSelector, LogSelector__Output as _shoal_api_LogSelector__Output } from '../../shoal/api/LogSelector.ts';
import type { LogSubscriptionOptions as _shoal_api_LogSubscriptionOptions, LogSubscriptionOptions__Output as _shoal_api_LogSubscriptionOptions__Output } from '../../shoal/api/LogSubscriptionOptions.ts';

export interface SubscriptionMessage {
  'id'?: (string);
  'selector'?: (_shoal_api_LogSelector | null);
  'options'?: (_shoal_api_LogSubscriptionOptions | null);
  'close'?: (boolean);
}

export interface SubscriptionMessage__Output {
  'id': (string);
  'selector': (_shoal_api_LogSelector__Output | null);
  'options': (_shoal_api_LogSubscriptionOptions__Output | null);
  'close': (boolean);
}
