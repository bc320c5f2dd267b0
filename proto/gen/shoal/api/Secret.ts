// Original file: proto/shoal/api/secret.proto

import type { Version as _shoal_api_Version, Version__Output as _shoal_api_Version__Output } from '../../shoal/api/Version.ts';
import type { Timestamp as _google_protobuf_Timestamp, Timestamp__Output as _google_protobuf_Timestamp__Output } from '../../google/protobuf/Timestamp.ts';
import type { SecretSpec as _shoal_api_SecretSpec, SecretSpec__Output as _shoal_api_SecretSpec__Output } from '../../shoal/api/SecretSpec.ts';

export interface Secret {
  'id'?: (string);
  'version'?: (_shoal_api_Version | null);
  'createdAt'?: (_google_protobuf_Timestamp | null);
  'updatedAt'?: (_google_protobuf_Timestamp | null);
  'spec'?: (_shoal_api_SecretSpec | null);
}

export interface Secret__Output {
  'id': (string);
  'version': (_shoal_api_Version__Output | null);
  'createdAt': (_google_protobuf_Timestamp__Output | null);
  'updatedAt': (_google_protobuf_Timestamp__Output | null);
  'spec': (_shoal_api_SecretSpec__Output | null);
}
