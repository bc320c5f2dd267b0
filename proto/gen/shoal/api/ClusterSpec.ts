// Original file: proto/shoal/api/cluster.proto

import type { OrchestrationConfig as _shoal_api_OrchestrationConfig, OrchestrationConfig__Output as _shoal_api_OrchestrationConfig__Output } from '../../shoal/api/OrchestrationConfig.ts';
import type { RaftConfig as _shoal_api_RaftConfig, RaftConfig__Output as _shoal_api_RaftConfig__Output } from '../../shoal/api/RaftConfig.ts';
import type { DispatcherConfig as _shoal_api_DispatcherConfig, DispatcherConfig__Output as _shoal_api_DispatcherConfig__Output } from '../../shoal/api/DispatcherConfig.ts';
import type { CAConfig as _shoal_api_CAConfig, CAConfig__Output as _shoal_api_CAConfig__Output } from '../../shoal/api/CAConfig.ts';
import type { TaskDefaults as _shoal_api_TaskDefaults, TaskDefaults__Output as _shoal_api_TaskDefaults__Output } from '../../shoal/api/TaskDefaults.ts';
import type { EncryptionConfig as _shoal_api_EncryptionConfig, EncryptionConfig__Output as _shoal_api_EncryptionConfig__Output } from '../../shoal/api/EncryptionConfig.ts';

/**
 * ClusterSpec is the swarm's settings (`docker swarm update`). Updates replace it whole.
 */
export interface ClusterSpec {
  'name'?: (string);
  'labels'?: ({[key: string]: string});
  'orchestration'?: (_shoal_api_OrchestrationConfig | null);
  'raft'?: (_shoal_api_RaftConfig | null);
  'dispatcher'?: (_shoal_api_DispatcherConfig | null);
  'caConfig'?: (_shoal_api_CAConfig | null);
  'taskDefaults'?: (_shoal_api_TaskDefaults | null);
  'encryptionConfig'?: (_shoal_api_EncryptionConfig | null);
}

/**
 * ClusterSpec is the swarm's settings (`docker swarm update`). Updates replace it whole.
 */
export interface ClusterSpec__Output {
  'name': (string);
  'labels': ({[key: string]: string});
  'orchestration': (_shoal_api_OrchestrationConfig__Output | null);
  'raft': (_shoal_api_RaftConfig__Output | null);
  'dispatcher': (_shoal_api_DispatcherConfig__Output | null);
  'caConfig': (_shoal_api_CAConfig__Output | null);
  'taskDefaults': (_shoal_api_TaskDefaults__Output | null);
  'encryptionConfig': (_shoal_api_EncryptionConfig__Output | null);
}
