// Original file: proto/shoal/api/service.proto

import type { ReplicatedService as _shoal_api_ReplicatedService, ReplicatedService__Output as _shoal_api_ReplicatedService__Output } from '../../shoal/api/ReplicatedService.ts';
import type { GlobalService as _shoal_api_GlobalService, GlobalService__Output as _shoal_api_GlobalService__Output } from '../../shoal/api/GlobalService.ts';
import type { ReplicatedJob as _shoal_api_ReplicatedJob, ReplicatedJob__Output as _shoal_api_ReplicatedJob__Output } from '../../shoal/api/ReplicatedJob.ts';
import type { GlobalJob as _shoal_api_GlobalJob, GlobalJob__Output as _shoal_api_GlobalJob__Output } from '../../shoal/api/GlobalJob.ts';

/**
 * ServiceMode: exactly one of the four is set; Docker's JSON names the set one as the only key.
 */
export interface ServiceMode {
  'replicated'?: (_shoal_api_ReplicatedService | null);
  'global'?: (_shoal_api_GlobalService | null);
  'replicatedJob'?: (_shoal_api_ReplicatedJob | null);
  'globalJob'?: (_shoal_api_GlobalJob | null);
  'mode'?: "replicated"|"global"|"replicatedJob"|"globalJob";
}

/**
 * ServiceMode: exactly one of the four is set; Docker's JSON names the set one as the only key.
 */
export interface ServiceMode__Output {
  'replicated'?: (_shoal_api_ReplicatedService__Output | null);
  'global'?: (_shoal_api_GlobalService__Output | null);
  'replicatedJob'?: (_shoal_api_ReplicatedJob__Output | null);
  'globalJob'?: (_shoal_api_GlobalJob__Output | null);
  'mode'?: "replicated"|"global"|"replicatedJob"|"globalJob";
}
