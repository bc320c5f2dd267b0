// Original file: proto/shoal/api/raft.proto


export interface RaftConfState {
  'voters'?: (string)[];
  'learners'?: (string)[];
}

export interface RaftConfState__Output {
  'voters': (string)[];
  'learners': (string)[];
}
