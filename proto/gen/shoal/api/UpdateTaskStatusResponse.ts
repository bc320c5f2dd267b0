// Original file: proto/shoal/api/dispatcher.proto


export interface UpdateTaskStatusResponse {
}

export interface UpdateTaskStatusResponse__Output {
}
