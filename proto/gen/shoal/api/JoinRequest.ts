// Original file: proto/shoal/api/raft.proto


export interface JoinRequest {
  /**
   * The joining manager's address as the others should dial it.
   */
  'addr'?: (string);
}

export interface JoinRequest__Output {
  /**
   * The joining manager's address as the others should dial it.
   */
  'addr': (string);
}
