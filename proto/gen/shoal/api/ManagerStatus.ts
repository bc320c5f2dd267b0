// Original file: proto/shoal/api/node.proto


// Original file: proto/shoal/api/node.proto

export const _shoal_api_ManagerStatus_Reachability = {
  REACHABILITY_UNSPECIFIED: 'REACHABILITY_UNSPECIFIED',
  REACHABILITY_UNKNOWN: 'REACHABILITY_UNKNOWN',
  REACHABILITY_UNREACHABLE: 'REACHABILITY_UNREACHABLE',
  REACHABILITY_REACHABLE: 'REACHABILITY_REACHABLE',
} as const;

export type _shoal_api_ManagerStatus_Reachability =
  | 'REACHABILITY_UNSPECIFIED'
  | 0
  | 'REACHABILITY_UNKNOWN'
  | 1
  | 'REACHABILITY_UNREACHABLE'
  | 2
  | 'REACHABILITY_REACHABLE'
  | 3

export type _shoal_api_ManagerStatus_Reachability__Output = typeof _shoal_api_ManagerStatus_Reachability[keyof typeof _shoal_api_ManagerStatus_Reachability]

export interface ManagerStatus {
  'leader'?: (boolean);
  'reachability'?: (_shoal_api_ManagerStatus_Reachability);
  'addr'?: (string);
  /**
   * Raft member id of this manager (not part of the Docker API).
   */
  'raftId'?: (string);
}

export interface ManagerStatus__Output {
  'leader': (boolean);
  'reachability': (_shoal_api_ManagerStatus_Reachability__Output);
  'addr': (string);
  /**
   * Raft member id of this manager (not part of the Docker API).
   */
  'raftId': (string);
}
