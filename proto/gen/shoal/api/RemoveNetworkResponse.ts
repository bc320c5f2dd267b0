// Original file: proto/shoal/api/control.proto


export interface RemoveNetworkResponse {
}

export interface RemoveNetworkResponse__Output {
}
