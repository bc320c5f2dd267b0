// Original file: proto/shoal/api/control.proto


export interface RemoveConfigResponse {
}

export interface RemoveConfigResponse__Output {
}
