// Original file: proto/shoal/api/raft.proto

import type { RaftMember as _shoal_api_RaftMember, RaftMember__Output as _shoal_api_RaftMember__Output } from '../../shoal/api/RaftMember.ts';

export interface JoinResponse {
  'raftId'?: (string);
  'members'?: (_shoal_api_RaftMember)[];
  'removedMembers'?: (string)[];
}

export interface JoinResponse__Output {
  'raftId': (string);
  'members': (_shoal_api_RaftMember__Output)[];
  'removedMembers': (string)[];
}
