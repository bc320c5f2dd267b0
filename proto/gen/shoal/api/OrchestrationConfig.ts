// Original file: proto/shoal/api/cluster.proto

import type { Long } from '@grpc/proto-loader';

export interface OrchestrationConfig {
  /**
   * Tasks kept per slot, counting the current one (default 5).
   */
  'taskHistoryRetentionLimit'?: (number | string | Long);
  '_taskHistoryRetentionLimit'?: "taskHistoryRetentionLimit";
}

export interface OrchestrationConfig__Output {
  /**
   * Tasks kept per slot, counting the current one (default 5).
   */
  'taskHistoryRetentionLimit'?: (number);
  '_taskHistoryRetentionLimit'?: "taskHistoryRetentionLimit";
}
