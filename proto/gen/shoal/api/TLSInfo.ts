// Original file: proto/shoal/api/types.proto


export interface TLSInfo {
  /**
   * PEM of the root CA(s) the node trusts.
   */
  'trustRoot'?: (string);
  /**
   * DER of the issuer's subject (base64 in JSON).
   */
  'certIssuerSubject'?: (Buffer | Uint8Array | string);
  /**
   * DER of the issuer's public key (base64 in JSON).
   */
  'certIssuerPublicKey'?: (Buffer | Uint8Array | string);
}

export interface TLSInfo__Output {
  /**
   * PEM of the root CA(s) the node trusts.
   */
  'trustRoot': (string);
  /**
   * DER of the issuer's subject (base64 in JSON).
   */
  'certIssuerSubject': (Buffer);
  /**
   * DER of the issuer's public key (base64 in JSON).
   */
  'certIssuerPublicKey': (Buffer);
}
