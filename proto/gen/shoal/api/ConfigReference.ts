// Original file: proto/shoal/api/task_spec.proto

import type { SecretReferenceFileTarget as _shoal_api_SecretReferenceFileTarget, SecretReferenceFileTarget__Output as _shoal_api_SecretReferenceFileTarget__Output } from '../../shoal/api/SecretReferenceFileTarget.ts';
import type { ConfigReferenceRuntimeTarget as _shoal_api_ConfigReferenceRuntimeTarget, ConfigReferenceRuntimeTarget__Output as _shoal_api_ConfigReferenceRuntimeTarget__Output } from '../../shoal/api/ConfigReferenceRuntimeTarget.ts';

export interface ConfigReference {
  'file'?: (_shoal_api_SecretReferenceFileTarget | null);
  'runtime'?: (_shoal_api_ConfigReferenceRuntimeTarget | null);
  'configId'?: (string);
  'configName'?: (string);
}

export interface ConfigReference__Output {
  'file': (_shoal_api_SecretReferenceFileTarget__Output | null);
  'runtime': (_shoal_api_ConfigReferenceRuntimeTarget__Output | null);
  'configId': (string);
  'configName': (string);
}
