// Original file: proto/shoal/api/control.proto


export interface RemoveNodeResponse {
}

export interface RemoveNodeResponse__Output {
}
