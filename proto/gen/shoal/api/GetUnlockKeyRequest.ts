// Original file: proto/shoal/api/ca.proto


export interface GetUnlockKeyRequest {
}

export interface GetUnlockKeyRequest__Output {
}
