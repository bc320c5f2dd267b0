// Original file: proto/shoal/api/ca.proto


export interface GetRootCACertificateResponse {
  'certificate'?: (Buffer | Uint8Array | string);
}

export interface GetRootCACertificateResponse__Output {
  'certificate': (Buffer);
}
