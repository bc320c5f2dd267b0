// Original file: proto/shoal/api/control.proto


export interface RemoveServiceResponse {
}

export interface RemoveServiceResponse__Output {
}
