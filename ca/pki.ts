/**
 * The swarm's public-key infrastructure, Swarm's formats exactly (swarmkit `ca/certificates.go`):
 * an ECDSA P-256 root `CN=swarm-ca` valid 20 years; node certificates ECDSA P-256 signed with
 * ecdsa-with-SHA256, subject `O=<cluster id>, OU=swarm-manager|swarm-worker, CN=<node id>`, SANs
 * `DNS:<OU>, DNS:<node id>` (+ `DNS:swarm-ca` for managers), backdated 1 h, default life 90 days.
 * Built on @peculiar/x509 over Node's WebCrypto.
 */
import 'reflect-metadata';
import * as x509 from '@peculiar/x509';
import { createPrivateKey, randomBytes, webcrypto } from 'node:crypto';

type CryptoKey = webcrypto.CryptoKey;
type EcKeyAlgorithm = webcrypto.EcKeyAlgorithm;
import {
  CaSettingError,
  CertificateRejectedError,
  CertificateValidityError,
  MalformedCredentialError,
  NoSigningKeyError,
} from './errors.ts';

x509.cryptoProvider.set(webcrypto as never);

const ALG = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;
const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

export const CA_DEFAULTS = Object.freeze({
  rootValidityMs: 20 * 365 * DAY_MS,
  nodeCertExpiryMs: 90 * DAY_MS,
  minNodeCertExpiryMs: HOUR_MS,
  backdateMs: HOUR_MS,
  rootCommonName: 'swarm-ca',
});

export type NodeRole = 'manager' | 'worker';

export function roleOu(role: NodeRole): string {
  return role === 'manager' ? 'swarm-manager' : 'swarm-worker';
}

function roleFromOu(ou: string): NodeRole | undefined {
  return ou === 'swarm-manager' ? 'manager' : ou === 'swarm-worker' ? 'worker' : undefined;
}

/** What a node certificate says about its holder. */
export interface NodeIdentity {
  readonly nodeId: string;
  readonly clusterId: string;
  readonly role: NodeRole;
  readonly notBefore: Date;
  readonly notAfter: Date;
  readonly serialNumber: string;
}

export interface KeyPair {
  readonly privateKey: CryptoKey;
  readonly publicKey: CryptoKey;
}

function serial(): string {
  const b = randomBytes(16);
  b[0] = (b[0] ?? 0) & 0x7f; // positive
  return b.toString('hex');
}

export async function generateKeyPair(): Promise<KeyPair> {
  return await webcrypto.subtle.generateKey(ALG, true, ['sign', 'verify']);
}

/** PKCS#8 PEM of a private key (what TLS and the key file take). */
export async function privateKeyPem(key: CryptoKey): Promise<string> {
  const der = Buffer.from(await webcrypto.subtle.exportKey('pkcs8', key));
  return x509.PemConverter.encode(der, 'PRIVATE KEY');
}

/** Imports a PKCS#8 (or SEC1 "EC PRIVATE KEY") PEM as an ECDSA P-256 signing key pair. */
export async function importKeyPem(pem: string): Promise<KeyPair> {
  let pkcs8: Buffer;
  try {
    pkcs8 = createPrivateKey(pem).export({ type: 'pkcs8', format: 'der' });
  } catch (err) {
    throw new MalformedCredentialError(
      `private key: cannot parse (${err instanceof Error ? err.message : String(err)})`,
    );
  }
  try {
    const privateKey = await webcrypto.subtle.importKey('pkcs8', pkcs8, ALG, true, ['sign']);
    const jwk = await webcrypto.subtle.exportKey('jwk', privateKey);
    const pub: webcrypto.JsonWebKey = { ext: true };
    if (jwk.kty !== undefined) pub.kty = jwk.kty;
    if (jwk.crv !== undefined) pub.crv = jwk.crv;
    if (jwk.x !== undefined) pub.x = jwk.x;
    if (jwk.y !== undefined) pub.y = jwk.y;
    const publicKey = await webcrypto.subtle.importKey('jwk', pub, ALG, true, ['verify']);
    return { privateKey, publicKey };
  } catch {
    throw new MalformedCredentialError('private key: not an ECDSA P-256 key');
  }
}

/** A PKCS#10 certificate signing request for a node key. The CA ignores its subject (it mints the identity). */
export async function createCsr(keys: KeyPair): Promise<string> {
  const csr = await x509.Pkcs10CertificateRequestGenerator.create({
    name: 'CN=shoal-node',
    keys: keys as never,
    signingAlgorithm: ALG,
  });
  return csr.toString('pem');
}

function parseCert(pem: string, what: string): x509.X509Certificate {
  try {
    return new x509.X509Certificate(pem);
  } catch {
    throw new MalformedCredentialError(`${what}: not a PEM certificate`);
  }
}

/** Splits a PEM bundle into its certificates. */
export function splitPemBundle(pem: string): string[] {
  return pem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
}

export class RootCA {
  private constructor(
    /** The trusted root(s) as PEM; during a root rotation this bundle holds old and new. */
    readonly certPem: string,
    readonly cert: x509.X509Certificate,
    private readonly signingKey: CryptoKey | undefined,
    /** During a rotation: the cross-signed certificate sent along with leaves signed by the new key. */
    readonly intermediatePem: string | undefined,
    /** The certificate of the key that signs (the new root during a rotation; else `cert`). */
    private readonly signingCert: x509.X509Certificate = cert,
  ) {}

  /**
   * The CA in the middle of a root rotation: trusts `trustPem` (old and new roots), signs with the new
   * root's key, and ships the cross-signed certificate with every leaf so holders of either root accept it.
   */
  static async transition(o: {
    trustPem: string;
    nextCertPem: string;
    nextKeyPem: string;
    crossPem: string;
  }): Promise<RootCA> {
    const next = await RootCA.fromPem(o.nextCertPem, o.nextKeyPem);
    const trust = await RootCA.fromPem(o.trustPem);
    return new RootCA(trust.certPem, trust.cert, next.signingKey, o.crossPem, next.cert);
  }

  /** Creates a new root: ECDSA P-256, CN=swarm-ca, 20 years, backdated 1 h. */
  static async create(now = new Date()): Promise<{ ca: RootCA; keyPem: string }> {
    const keys = await generateKeyPair();
    const cert = await x509.X509CertificateGenerator.createSelfSigned({
      serialNumber: serial(),
      name: `CN=${CA_DEFAULTS.rootCommonName}`,
      notBefore: new Date(now.getTime() - CA_DEFAULTS.backdateMs),
      notAfter: new Date(now.getTime() + CA_DEFAULTS.rootValidityMs),
      signingAlgorithm: ALG,
      keys: keys as never,
      extensions: [
        new x509.BasicConstraintsExtension(true, 1, true),
        new x509.KeyUsagesExtension(
          x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign | x509.KeyUsageFlags.digitalSignature,
          true,
        ),
        await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
      ],
    });
    const pem = cert.toString('pem');
    return {
      ca: new RootCA(pem, cert, keys.privateKey, undefined),
      keyPem: await privateKeyPem(keys.privateKey),
    };
  }

  /**
   * A root from PEM. Without `keyPem` the CA cannot sign (an external root whose key stays outside the
   * cluster). With it, the key must match the certificate.
   */
  static async fromPem(certPem: string, keyPem?: string, intermediatePem?: string): Promise<RootCA> {
    const first = splitPemBundle(certPem)[0];
    if (!first) throw new MalformedCredentialError('root CA: no certificate in PEM');
    const cert = parseCert(first, 'root CA');
    if (!(await cert.isSelfSigned()))
      throw new MalformedCredentialError('root CA: certificate is not self-signed');
    let signingKey: CryptoKey | undefined;
    if (keyPem !== undefined) {
      const keys = await importKeyPem(keyPem);
      const a = Buffer.from(await webcrypto.subtle.exportKey('spki', keys.publicKey));
      const b = Buffer.from(cert.publicKey.rawData);
      if (!a.equals(b)) throw new MalformedCredentialError('root CA: the key does not match the certificate');
      signingKey = keys.privateKey;
    }
    return new RootCA(certPem, cert, signingKey, intermediatePem);
  }

  get canSign(): boolean {
    return this.signingKey !== undefined;
  }

  /** Every trusted root certificate (one, or two during a rotation). */
  roots(): x509.X509Certificate[] {
    return splitPemBundle(this.certPem).map((p) => parseCert(p, 'root CA'));
  }

  /**
   * Issues a node certificate from a CSR. The CSR must be a valid PKCS#10 request with an ECDSA P-256 key
   * and a good self-signature; its subject is ignored: the identity comes from the arguments.
   */
  async issue(
    csrPem: string,
    id: { nodeId: string; clusterId: string; role: NodeRole },
    options: { expiryMs?: number; now?: Date } = {},
  ): Promise<string> {
    if (!this.signingKey)
      throw new NoSigningKeyError(
        'this CA has no signing key (external root): certificates must be signed by the external CA',
      );
    const expiry = options.expiryMs ?? CA_DEFAULTS.nodeCertExpiryMs;
    if (expiry < CA_DEFAULTS.minNodeCertExpiryMs)
      throw new CaSettingError(`certificate expiry ${expiry} ms is below the minimum of 1 hour`);
    const csr = await parseCsr(csrPem);
    const now = options.now ?? new Date();
    const ou = roleOu(id.role);
    const names = [
      { type: 'dns' as const, value: ou },
      { type: 'dns' as const, value: id.nodeId },
    ];
    if (id.role === 'manager') names.push({ type: 'dns', value: CA_DEFAULTS.rootCommonName });
    const cert = await x509.X509CertificateGenerator.create({
      serialNumber: serial(),
      subject: `O=${id.clusterId}, OU=${ou}, CN=${id.nodeId}`,
      issuer: this.signingCert.subject,
      notBefore: new Date(now.getTime() - CA_DEFAULTS.backdateMs),
      notAfter: new Date(now.getTime() + expiry),
      signingAlgorithm: ALG,
      publicKey: csr.publicKey,
      signingKey: this.signingKey,
      extensions: [
        new x509.BasicConstraintsExtension(false, undefined, true),
        new x509.KeyUsagesExtension(
          x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment,
          true,
        ),
        new x509.ExtendedKeyUsageExtension([
          x509.ExtendedKeyUsage.serverAuth,
          x509.ExtendedKeyUsage.clientAuth,
        ]),
        new x509.SubjectAlternativeNameExtension(names),
        await x509.AuthorityKeyIdentifierExtension.create(this.signingCert, false),
      ],
    });
    const pem = cert.toString('pem');
    return this.intermediatePem ? `${pem}\n${this.intermediatePem}` : pem;
  }

  /**
   * Checks a node certificate chain (leaf first, then intermediates) against the trusted roots and the
   * clock, and returns its identity. Throws CertificateValidityError (expired, not yet valid) or
   * CertificateRejectedError (not issued by this swarm's CA, wrong form).
   */
  async verify(chainPem: string, now = new Date()): Promise<NodeIdentity> {
    const [leafPem, ...rest] = splitPemBundle(chainPem);
    if (!leafPem) throw new MalformedCredentialError('certificate: no PEM certificate');
    const leaf = parseCert(leafPem, 'certificate');
    if (now < leaf.notBefore)
      throw new CertificateValidityError(
        `certificate for ${leaf.subject} is not valid before ${leaf.notBefore.toISOString()}`,
      );
    if (now > leaf.notAfter)
      throw new CertificateValidityError(
        `certificate for ${leaf.subject} expired at ${leaf.notAfter.toISOString()}`,
      );
    if (
      !(await this.chainsToRoot(
        leaf,
        rest.map((p) => parseCert(p, 'intermediate')),
        now,
      ))
    ) {
      throw new CertificateRejectedError(`certificate for ${leaf.subject} was not issued by this swarm's CA`);
    }
    return identityOf(leaf);
  }

  private async chainsToRoot(
    leaf: x509.X509Certificate,
    intermediates: x509.X509Certificate[],
    now: Date,
  ): Promise<boolean> {
    const roots = this.roots().filter((r) => now >= r.notBefore && now <= r.notAfter);
    const signedBy = async (c: x509.X509Certificate, issuer: x509.X509Certificate): Promise<boolean> =>
      c.issuer === issuer.subject && (await c.verify({ publicKey: issuer.publicKey, signatureOnly: true }));
    for (const root of roots) if (await signedBy(leaf, root)) return true;
    for (const mid of intermediates) {
      if (now < mid.notBefore || now > mid.notAfter || !isCaCertificate(mid)) continue;
      if (!(await signedBy(leaf, mid))) continue;
      for (const root of roots) if (await signedBy(mid, root)) return true;
    }
    return false;
  }

  /**
   * Root rotation: a new root key and certificate, plus the new root cross-signed by this root's key
   * (an intermediate that old-root holders trust). Returns the CA that signs with the new key and ships
   * the cross-signed certificate with every leaf, trusting both roots until the rotation completes.
   */
  async rotate(
    now = new Date(),
  ): Promise<{ transition: RootCA; next: RootCA; nextKeyPem: string; crossPem: string }> {
    if (!this.signingKey) throw new NoSigningKeyError('cannot rotate an external root without its key');
    const { ca: next, keyPem } = await RootCA.create(now);
    const cross = await x509.X509CertificateGenerator.create({
      serialNumber: serial(),
      subject: next.cert.subject,
      issuer: this.cert.subject,
      notBefore: next.cert.notBefore,
      notAfter: new Date(Math.min(next.cert.notAfter.getTime(), this.cert.notAfter.getTime())),
      signingAlgorithm: ALG,
      publicKey: next.cert.publicKey,
      signingKey: this.signingKey,
      extensions: [
        new x509.BasicConstraintsExtension(true, 0, true),
        new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
        await x509.SubjectKeyIdentifierExtension.create(next.cert.publicKey),
        await x509.AuthorityKeyIdentifierExtension.create(this.cert, false),
      ],
    });
    const crossPem = cross.toString('pem');
    const transition = await RootCA.transition({
      trustPem: `${this.firstRootPem()}\n${next.certPem}`,
      nextCertPem: next.certPem,
      nextKeyPem: keyPem,
      crossPem,
    });
    return { transition, next, nextKeyPem: keyPem, crossPem };
  }

  private firstRootPem(): string {
    return splitPemBundle(this.certPem)[0] ?? this.certPem;
  }
}

/** Whether a certificate may sign others: basicConstraints CA:TRUE and, when present, keyCertSign. */
function isCaCertificate(c: x509.X509Certificate): boolean {
  const bc = c.getExtension(x509.BasicConstraintsExtension);
  if (!bc?.ca) return false;
  const ku = c.getExtension(x509.KeyUsagesExtension);
  return !ku || (ku.usages & x509.KeyUsageFlags.keyCertSign) !== 0;
}

/** Parses and checks a CSR: PKCS#10, self-signature valid, ECDSA P-256 key. */
export async function parseCsr(csrPem: string): Promise<x509.Pkcs10CertificateRequest> {
  let csr: x509.Pkcs10CertificateRequest;
  try {
    csr = new x509.Pkcs10CertificateRequest(csrPem);
  } catch {
    throw new MalformedCredentialError('CSR: not a PEM PKCS#10 certificate request');
  }
  const alg = csr.publicKey.algorithm as EcKeyAlgorithm;
  if (alg.name !== 'ECDSA' || alg.namedCurve !== 'P-256')
    throw new MalformedCredentialError('CSR: the key must be ECDSA P-256');
  if (!(await csr.verify())) throw new MalformedCredentialError('CSR: the signature does not match its key');
  return csr;
}

/** The identity a node certificate carries (no chain or validity check: see RootCA.verify). */
export function identityOf(cert: x509.X509Certificate | string): NodeIdentity {
  const c = typeof cert === 'string' ? parseCert(splitPemBundle(cert)[0] ?? cert, 'certificate') : cert;
  const name = c.subjectName;
  const o = name.getField('O')[0];
  const ou = name.getField('OU')[0];
  const cn = name.getField('CN')[0];
  const role = ou ? roleFromOu(ou) : undefined;
  if (!o || !cn || !role)
    throw new CertificateRejectedError(
      `certificate ${c.subject} is not a swarm node certificate (want O=<cluster>, OU=swarm-manager|swarm-worker, CN=<node>)`,
    );
  return {
    nodeId: cn,
    clusterId: o,
    role,
    notBefore: c.notBefore,
    notAfter: c.notAfter,
    serialNumber: c.serialNumber,
  };
}
