// Original file: proto/shoal/api/cluster.proto

import type { ExternalCA as _shoal_api_ExternalCA, ExternalCA__Output as _shoal_api_ExternalCA__Output } from '../../shoal/api/ExternalCA.ts';
import type { Long } from '@grpc/proto-loader';

export interface CAConfig {
  'nodeCertExpiry'?: (number | string | Long);
  'externalCas'?: (_shoal_api_ExternalCA)[];
  'signingCaCert'?: (string);
  'signingCaKey'?: (string);
  /**
   * Bumping it starts a root CA rotation.
   */
  'forceRotate'?: (number | string | Long);
}

export interface CAConfig__Output {
  'nodeCertExpiry': (number);
  'externalCas': (_shoal_api_ExternalCA__Output)[];
  'signingCaCert': (string);
  'signingCaKey': (string);
  /**
   * Bumping it starts a root CA rotation.
   */
  'forceRotate': (number);
}
