// Original file: proto/shoal/api/cluster.proto

import type { Long } from '@grpc/proto-loader';

export interface RaftConfig {
  'snapshotInterval'?: (number | string | Long);
  'keepOldSnapshots'?: (number | string | Long);
  'logEntriesForSlowFollowers'?: (number | string | Long);
  'electionTick'?: (number | string | Long);
  'heartbeatTick'?: (number | string | Long);
  '_keepOldSnapshots'?: "keepOldSnapshots";
}

export interface RaftConfig__Output {
  'snapshotInterval': (number);
  'keepOldSnapshots'?: (number);
  'logEntriesForSlowFollowers': (number);
  'electionTick': (number);
  'heartbeatTick': (number);
  '_keepOldSnapshots'?: "keepOldSnapshots";
}
