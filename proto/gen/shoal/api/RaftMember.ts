// Original file: proto/shoal/api/raft.proto


export interface RaftMember {
  'raftId'?: (string);
  'nodeId'?: (string);
  'addr'?: (string);
  'learner'?: (boolean);
}

export interface RaftMember__Output {
  'raftId': (string);
  'nodeId': (string);
  'addr': (string);
  'learner': (boolean);
}
