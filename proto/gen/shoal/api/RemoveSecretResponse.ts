// Original file: proto/shoal/api/control.proto


export interface RemoveSecretResponse {
}

export interface RemoveSecretResponse__Output {
}
