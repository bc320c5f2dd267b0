// Original file: proto/shoal/api/control.proto


export interface RemoveTaskResponse {
}

export interface RemoveTaskResponse__Output {
}
