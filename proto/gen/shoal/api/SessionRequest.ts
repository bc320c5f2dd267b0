// Original file: proto/shoal/api/dispatcher.proto

import type { NodeDescription as _shoal_api_NodeDescription, NodeDescription__Output as _shoal_api_NodeDescription__Output } from '../../shoal/api/NodeDescription.ts';

export interface SessionRequest {
  'description'?: (_shoal_api_NodeDescription | null);
  /**
   * The session id the agent had before, so the dispatcher can resume it.
   */
  'sessionId'?: (string);
}

export interface SessionRequest__Output {
  'description': (_shoal_api_NodeDescription__Output | null);
  /**
   * The session id the agent had before, so the dispatcher can resume it.
   */
  'sessionId': (string);
}
