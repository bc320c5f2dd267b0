// Original file: proto/shoal/api/ca.proto

import type { NodeRole as _shoal_api_NodeRole, NodeRole__Output as _shoal_api_NodeRole__Output } from '../../shoal/api/NodeRole.ts';
import type { IssuanceStatus as _shoal_api_IssuanceStatus, IssuanceStatus__Output as _shoal_api_IssuanceStatus__Output } from '../../shoal/api/IssuanceStatus.ts';

export interface Certificate {
  'role'?: (_shoal_api_NodeRole);
  'csr'?: (Buffer | Uint8Array | string);
  'status'?: (_shoal_api_IssuanceStatus | null);
  'certificate'?: (Buffer | Uint8Array | string);
  'cn'?: (string);
}

export interface Certificate__Output {
  'role': (_shoal_api_NodeRole__Output);
  'csr': (Buffer);
  'status': (_shoal_api_IssuanceStatus__Output | null);
  'certificate': (Buffer);
  'cn': (string);
}
