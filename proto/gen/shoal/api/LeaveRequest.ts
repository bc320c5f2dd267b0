// Original file: proto/shoal/api/raft.proto

import type { RaftMember as _shoal_api_RaftMember, RaftMember__Output as _shoal_api_RaftMember__Output } from '../../shoal/api/RaftMember.ts';

export interface LeaveRequest {
  'node'?: (_shoal_api_RaftMember | null);
}

export interface LeaveRequest__Output {
  'node': (_shoal_api_RaftMember__Output | null);
}
