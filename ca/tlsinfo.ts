/**
 * Swarm's TLSInfo: what `docker swarm ca` and `docker node inspect` show about the certificates, and
 * what `swarm ca --rotate` waits on (every node's TLSInfo equal to the swarm's). The subject and public
 * key are raw DER (the issuer's Name and SubjectPublicKeyInfo), base64 in Docker's JSON.
 */
import 'reflect-metadata';
import * as x509 from '@peculiar/x509';
import { splitPemBundle } from './pki.ts';

export interface TlsInfo {
  readonly trustRoot: string;
  readonly certIssuerSubject: Buffer;
  readonly certIssuerPublicKey: Buffer;
}

const der = (b: ArrayBuffer): Buffer => Buffer.from(new Uint8Array(b));

/** The swarm's: its root, which issues every node certificate once no rotation is under way. */
export function rootTlsInfo(rootPem: string): TlsInfo {
  const root = splitPemBundle(rootPem)[0];
  if (root === undefined)
    return { trustRoot: rootPem, certIssuerSubject: Buffer.alloc(0), certIssuerPublicKey: Buffer.alloc(0) };
  const cert = new x509.X509Certificate(root);
  return {
    trustRoot: rootPem,
    certIssuerSubject: der(cert.subjectName.toArrayBuffer()),
    certIssuerPublicKey: der(cert.publicKey.rawData),
  };
}

/**
 * A node's: the root it trusts, and the issuer of its own certificate (the root, or during a root
 * rotation the cross-signed intermediate the node's bundle carries). The public key is empty when the
 * issuer's certificate is in neither the bundle nor the root.
 */
export function nodeTlsInfo(rootPem: string, certPem: string): TlsInfo {
  const [leafPem, ...chain] = splitPemBundle(certPem);
  if (leafPem === undefined)
    return { trustRoot: rootPem, certIssuerSubject: Buffer.alloc(0), certIssuerPublicKey: Buffer.alloc(0) };
  const leaf = new x509.X509Certificate(leafPem);
  const issuer = der(leaf.issuerName.toArrayBuffer());
  const candidates = [...chain, ...splitPemBundle(rootPem)].map((p) => new x509.X509Certificate(p));
  const found = candidates.find(
    (c) =>
      der(c.subjectName.toArrayBuffer()).equals(issuer) && leaf.signature.byteLength > 0 && verifies(leaf, c),
  );
  return {
    trustRoot: rootPem,
    certIssuerSubject: issuer,
    certIssuerPublicKey: found ? der(found.publicKey.rawData) : Buffer.alloc(0),
  };
}

/** True when `issuer`'s key signed `leaf` (subjects can be equal across a root rotation). */
function verifies(leaf: x509.X509Certificate, issuer: x509.X509Certificate): boolean {
  try {
    // a synchronous check is not offered; compare the authority key identifier when both have one
    const aki = leaf.getExtension(x509.AuthorityKeyIdentifierExtension);
    const ski = issuer.getExtension(x509.SubjectKeyIdentifierExtension);
    return aki?.keyId === undefined || ski === null || aki.keyId === ski.keyId;
  } catch {
    return true;
  }
}
