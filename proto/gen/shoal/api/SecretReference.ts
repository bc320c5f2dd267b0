// Original file: proto/shoal/api/task_spec.proto

import type { SecretReferenceFileTarget as _shoal_api_SecretReferenceFileTarget, SecretReferenceFileTarget__Output as _shoal_api_SecretReferenceFileTarget__Output } from '../../shoal/api/SecretReferenceFileTarget.ts';

export interface SecretReference {
  'file'?: (_shoal_api_SecretReferenceFileTarget | null);
  'secretId'?: (string);
  'secretName'?: (string);
}

export interface SecretReference__Output {
  'file': (_shoal_api_SecretReferenceFileTarget__Output | null);
  'secretId': (string);
  'secretName': (string);
}
