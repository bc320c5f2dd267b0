// Original file: proto/shoal/api/ca.proto

import type { IssuanceStatus as _shoal_api_IssuanceStatus, IssuanceStatus__Output as _shoal_api_IssuanceStatus__Output } from '../../shoal/api/IssuanceStatus.ts';
import type { Certificate as _shoal_api_Certificate, Certificate__Output as _shoal_api_Certificate__Output } from '../../shoal/api/Certificate.ts';

export interface NodeCertificateStatusResponse {
  'status'?: (_shoal_api_IssuanceStatus | null);
  'certificate'?: (_shoal_api_Certificate | null);
  /**
   * PEM of every root the node should trust now (old and new during a root rotation).
   */
  'rootCaBundle'?: (Buffer | Uint8Array | string);
}

export interface NodeCertificateStatusResponse__Output {
  'status': (_shoal_api_IssuanceStatus__Output | null);
  'certificate': (_shoal_api_Certificate__Output | null);
  /**
   * PEM of every root the node should trust now (old and new during a root rotation).
   */
  'rootCaBundle': (Buffer);
}
