// Original file: proto/shoal/api/ca.proto


export interface GetRootCACertificateRequest {
}

export interface GetRootCACertificateRequest__Output {
}
