// Original file: proto/shoal/api/raft.proto


export interface LeaveResponse {
}

export interface LeaveResponse__Output {
}
