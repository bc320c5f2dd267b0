// Original file: proto/shoal/api/ca.proto

import type { NodeRole as _shoal_api_NodeRole, NodeRole__Output as _shoal_api_NodeRole__Output } from '../../shoal/api/NodeRole.ts';

export interface IssueNodeCertificateRequest {
  'csr'?: (Buffer | Uint8Array | string);
  'token'?: (string);
  'role'?: (_shoal_api_NodeRole);
  'availability'?: (string);
}

export interface IssueNodeCertificateRequest__Output {
  'csr': (Buffer);
  'token': (string);
  'role': (_shoal_api_NodeRole__Output);
  'availability': (string);
}
