// Original file: proto/shoal/api/raft.proto


export interface ProcessRaftMessageResponse {
}

export interface ProcessRaftMessageResponse__Output {
}
