import 'reflect-metadata';
import * as x509 from '@peculiar/x509';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CaSettingError,
  CertificateRejectedError,
  CertificateValidityError,
  MalformedCredentialError,
  NoSigningKeyError,
} from './errors.ts';
import { createCsr, generateKeyPair, identityOf, RootCA, splitPemBundle } from './pki.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const CLUSTER = 'k2x9c1d8e7f6g5h4j3m2n1p0q';
const MANAGER = 'm1a2b3c4d5e6f7g8h9i0j1k2l';
const WORKER = 'w9z8y7x6v5u4t3s2r1q0p9o8n';

/** Certificates carry whole seconds; a "now" without milliseconds makes validity arithmetic exact. */
const nowSeconds = (): Date => new Date(Math.floor(Date.now() / 1000) * 1000);

let dir: string;
let fileNo = 0;

/** Writes `text` to a new file in the temp dir and returns its path. */
function tmpFile(name: string, text: string): string {
  const p = join(dir, `${fileNo++}-${name}`);
  writeFileSync(p, text);
  return p;
}

function openssl(...args: string[]): string {
  return execFileSync('openssl', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

function certText(pem: string): string {
  return openssl('x509', '-noout', '-text', '-in', tmpFile('cert.pem', pem));
}

/** `openssl x509 -noout -dates` as Dates. */
function certDates(pem: string): { notBefore: Date; notAfter: Date } {
  const out = openssl('x509', '-noout', '-dates', '-in', tmpFile('cert.pem', pem));
  const nb = /notBefore=(.+)/.exec(out)?.[1];
  const na = /notAfter=(.+)/.exec(out)?.[1];
  if (nb === undefined || na === undefined) throw new Error(`no dates in ${out}`);
  return { notBefore: new Date(nb), notAfter: new Date(na) };
}

/** Runs `openssl verify`; returns its output, or the error text when it refuses. */
function opensslVerify(args: string[]): string {
  try {
    return openssl('verify', ...args).trim();
  } catch (err) {
    const e = err as { stdout?: string; stderr?: string };
    return `FAILED ${e.stdout ?? ''} ${e.stderr ?? ''}`;
  }
}

/** A CSR made by openssl with the given `-newkey` arguments (for key types Shoal never makes itself). */
function opensslCsr(newkey: string[]): string {
  const out = join(dir, `${fileNo++}-csr.pem`);
  openssl(
    'req',
    '-new',
    ...newkey,
    '-nodes',
    '-keyout',
    join(dir, `${fileNo++}-key.pem`),
    '-subj',
    '/CN=node',
    '-out',
    out,
  );
  return readFileSync(out, 'utf8');
}

async function newCsr(): Promise<string> {
  return createCsr(await generateKeyPair());
}

let root: RootCA;
let rootKeyPem: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'shoal-pki-'));
  ({ ca: root, keyPem: rootKeyPem } = await RootCA.create());
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('RootCA.create', () => {
  it('makes a self-signed ECDSA P-256 root CN=swarm-ca, valid 20 years, backdated 1 h', async () => {
    const now = nowSeconds();
    const { ca, keyPem } = await RootCA.create(now);
    expect(ca.canSign).toBe(true);
    expect(keyPem).toContain('-----BEGIN PRIVATE KEY-----');
    const text = certText(ca.certPem);
    expect(text).toContain('Signature Algorithm: ecdsa-with-SHA256');
    expect(text).toContain('Public Key Algorithm: id-ecPublicKey');
    expect(text).toMatch(/ASN1 OID: prime256v1|NIST CURVE: P-256/);
    expect(text).toMatch(/^\s*Issuer: CN = swarm-ca$/m);
    expect(text).toMatch(/^\s*Subject: CN = swarm-ca$/m);
    expect(text).toMatch(/CA:TRUE/);
    expect(await ca.cert.isSelfSigned()).toBe(true);
    const { notBefore, notAfter } = certDates(ca.certPem);
    expect(now.getTime() - notBefore.getTime()).toBe(HOUR);
    expect(notAfter.getTime() - now.getTime()).toBe(20 * 365 * DAY);
    // The root verifies against itself with the real openssl.
    const rootFile = tmpFile('root.pem', ca.certPem);
    expect(opensslVerify(['-CAfile', rootFile, rootFile])).toMatch(/: OK$/);
  });

  it('makes a different key every time', async () => {
    const a = await RootCA.create();
    const b = await RootCA.create();
    expect(a.keyPem).not.toBe(b.keyPem);
    expect(a.ca.certPem).not.toBe(b.ca.certPem);
  });
});

describe('issuing node certificates', () => {
  it('gives a manager an ECDSA P-256 certificate with the Swarm subject and SANs, as openssl reads it', async () => {
    const chain = await root.issue(await newCsr(), { nodeId: MANAGER, clusterId: CLUSTER, role: 'manager' });
    const text = certText(chain);
    expect(text).toContain('Signature Algorithm: ecdsa-with-SHA256');
    expect(text).toContain('Public Key Algorithm: id-ecPublicKey');
    expect(text).toMatch(/ASN1 OID: prime256v1|NIST CURVE: P-256/);
    expect(text).toMatch(/^\s*Issuer: CN = swarm-ca$/m);
    const subject = /^\s*Subject: (.*)$/m.exec(text)?.[1];
    expect(subject).toBe(`O = ${CLUSTER}, OU = swarm-manager, CN = ${MANAGER}`);
    const sans = /X509v3 Subject Alternative Name:.*\n\s*(.*)/.exec(text)?.[1];
    expect(sans).toBe(`DNS:swarm-manager, DNS:${MANAGER}, DNS:swarm-ca`);
    expect(text).toContain('CA:FALSE');
    expect(text).toMatch(/TLS Web Server Authentication, TLS Web Client Authentication/);
  });

  it('gives a worker OU=swarm-worker and no swarm-ca SAN', async () => {
    const chain = await root.issue(await newCsr(), { nodeId: WORKER, clusterId: CLUSTER, role: 'worker' });
    const text = certText(chain);
    expect(/^\s*Subject: (.*)$/m.exec(text)?.[1]).toBe(`O = ${CLUSTER}, OU = swarm-worker, CN = ${WORKER}`);
    expect(/X509v3 Subject Alternative Name:.*\n\s*(.*)/.exec(text)?.[1]).toBe(
      `DNS:swarm-worker, DNS:${WORKER}`,
    );
    expect(text).not.toContain('DNS:swarm-ca');
  });

  it('ignores the subject the CSR asks for: the identity comes from the CA', async () => {
    const csr = opensslCsr(['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256']);
    const chain = await root.issue(csr, { nodeId: WORKER, clusterId: CLUSTER, role: 'worker' });
    expect(/^\s*Subject: (.*)$/m.exec(certText(chain))?.[1]).toBe(
      `O = ${CLUSTER}, OU = swarm-worker, CN = ${WORKER}`,
    );
  });

  it('is valid 90 days by default, backdated 1 h', async () => {
    const now = nowSeconds();
    const chain = await root.issue(
      await newCsr(),
      { nodeId: WORKER, clusterId: CLUSTER, role: 'worker' },
      { now },
    );
    const { notBefore, notAfter } = certDates(chain);
    expect(notAfter.getTime() - notBefore.getTime()).toBe(90 * DAY + HOUR);
    expect(now.getTime() - notBefore.getTime()).toBe(HOUR);
  });

  it('honours a custom expiry, down to the 1 h minimum', async () => {
    const now = nowSeconds();
    const id = { nodeId: WORKER, clusterId: CLUSTER, role: 'worker' } as const;
    const week = certDates(await root.issue(await newCsr(), id, { now, expiryMs: 7 * DAY }));
    expect(week.notAfter.getTime() - now.getTime()).toBe(7 * DAY);
    const hour = certDates(await root.issue(await newCsr(), id, { now, expiryMs: HOUR }));
    expect(hour.notAfter.getTime() - hour.notBefore.getTime()).toBe(2 * HOUR);
  });

  it('refuses an expiry below 1 hour', async () => {
    const id = { nodeId: WORKER, clusterId: CLUSTER, role: 'worker' } as const;
    const attempt = root.issue(await newCsr(), id, { expiryMs: HOUR - 1 });
    await expect(attempt).rejects.toThrow(CaSettingError);
    await expect(root.issue(await newCsr(), id, { expiryMs: HOUR - 1 })).rejects.toThrow(/minimum of 1 hour/);
  });

  it('issues certificates that openssl verifies against the root', async () => {
    const chain = await root.issue(await newCsr(), { nodeId: MANAGER, clusterId: CLUSTER, role: 'manager' });
    const out = opensslVerify(['-CAfile', tmpFile('root.pem', root.certPem), tmpFile('leaf.pem', chain)]);
    expect(out).toMatch(/leaf\.pem: OK$/);
  });

  it('gives each certificate its own serial number', async () => {
    const id = { nodeId: WORKER, clusterId: CLUSTER, role: 'worker' } as const;
    const a = identityOf(await root.issue(await newCsr(), id));
    const b = identityOf(await root.issue(await newCsr(), id));
    expect(a.serialNumber).not.toBe(b.serialNumber);
  });
});

describe('malformed CSRs', () => {
  const id = { nodeId: WORKER, clusterId: CLUSTER, role: 'worker' } as const;

  const rejects = async (csr: string, message: RegExp): Promise<void> => {
    const attempt = root.issue(csr, id);
    await expect(attempt).rejects.toThrow(MalformedCredentialError);
    await expect(root.issue(csr, id)).rejects.toThrow(message);
  };

  it('refuses garbage', async () => {
    await rejects('not a csr at all', /CSR: not a PEM PKCS#10 certificate request/);
    await rejects('', /CSR: not a PEM PKCS#10/);
  });

  it('refuses a certificate given in place of a CSR', async () => {
    const cert = await root.issue(await newCsr(), id);
    await rejects(cert, /CSR: not a PEM PKCS#10 certificate request/);
  });

  it('refuses a CSR whose signature was tampered with', async () => {
    const der = Buffer.from(x509.PemConverter.decodeFirst(await newCsr()));
    const last = der.length - 1;
    der[last] = (der[last] ?? 0) ^ 0x01;
    await rejects(x509.PemConverter.encode(der, 'CERTIFICATE REQUEST'), /CSR: the signature does not match/);
  });

  it('refuses a CSR whose subject was changed after signing', async () => {
    const csr = opensslCsr(['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256']);
    const der = Buffer.from(x509.PemConverter.decodeFirst(csr));
    const at = der.indexOf(Buffer.from('node'));
    expect(at).toBeGreaterThan(0);
    der.write('evil', at);
    await rejects(x509.PemConverter.encode(der, 'CERTIFICATE REQUEST'), /CSR: the signature does not match/);
  });

  it('refuses RSA and P-384 keys', async () => {
    await rejects(opensslCsr(['-newkey', 'rsa:2048']), /CSR: the key must be ECDSA P-256/);
    await rejects(
      opensslCsr(['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-384']),
      /CSR: the key must be ECDSA P-256/,
    );
  });

  it('accepts a P-256 CSR made by openssl', async () => {
    const csr = opensslCsr(['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256']);
    expect(identityOf(await root.issue(csr, id)).nodeId).toBe(WORKER);
  });
});

describe('RootCA.verify', () => {
  it('accepts its own leaves and returns the identity they carry', async () => {
    const chain = await root.issue(await newCsr(), { nodeId: MANAGER, clusterId: CLUSTER, role: 'manager' });
    const who = await root.verify(chain);
    expect(who).toMatchObject({ nodeId: MANAGER, clusterId: CLUSTER, role: 'manager' });
    expect(who.notAfter.getTime() - who.notBefore.getTime()).toBe(90 * DAY + HOUR);
  });

  it('accepts its leaves after a reload of the root from PEM', async () => {
    const chain = await root.issue(await newCsr(), { nodeId: WORKER, clusterId: CLUSTER, role: 'worker' });
    const reloaded = await RootCA.fromPem(root.certPem, rootKeyPem);
    expect(await reloaded.verify(chain)).toMatchObject({ nodeId: WORKER, role: 'worker' });
  });

  it("rejects a leaf from another swarm's root, though its subject is identical", async () => {
    const { ca: other } = await RootCA.create();
    const chain = await other.issue(await newCsr(), { nodeId: MANAGER, clusterId: CLUSTER, role: 'manager' });
    await expect(root.verify(chain)).rejects.toThrow(CertificateRejectedError);
    await expect(root.verify(chain)).rejects.toThrow(/not issued by this swarm's CA/);
  });

  it('rejects an expired leaf', async () => {
    const now = new Date(Date.now() - 100 * DAY);
    const { ca: older } = await RootCA.create(now); // a root that already existed then
    const chain = await older.issue(
      await newCsr(),
      { nodeId: WORKER, clusterId: CLUSTER, role: 'worker' },
      { now },
    );
    await expect(older.verify(chain)).rejects.toThrow(CertificateValidityError);
    await expect(older.verify(chain)).rejects.toThrow(/expired at/);
    // The same certificate was good while it lasted.
    await expect(older.verify(chain, new Date(now.getTime() + DAY))).resolves.toMatchObject({
      nodeId: WORKER,
    });
  });

  it('rejects a leaf that is not valid yet', async () => {
    const chain = await root.issue(await newCsr(), { nodeId: WORKER, clusterId: CLUSTER, role: 'worker' });
    await expect(root.verify(chain, new Date(Date.now() - 2 * HOUR))).rejects.toThrow(
      CertificateValidityError,
    );
  });

  it('rejects a self-signed leaf, even one that names swarm-ca as its issuer', async () => {
    for (const name of [`O=${CLUSTER}, OU=swarm-manager, CN=${MANAGER}`, 'CN=swarm-ca']) {
      const keys = await generateKeyPair();
      const fake = await x509.X509CertificateGenerator.createSelfSigned({
        serialNumber: '01',
        name,
        notBefore: new Date(Date.now() - HOUR),
        notAfter: new Date(Date.now() + DAY),
        signingAlgorithm: { name: 'ECDSA', hash: 'SHA-256' },
        keys: keys as never,
      });
      await expect(root.verify(fake.toString('pem'))).rejects.toThrow(CertificateRejectedError);
    }
  });

  it("refuses a certificate signed with a node's own key (a leaf is not a CA)", async () => {
    const keys = await generateKeyPair();
    const workerChain = await root.issue(await createCsr(keys), {
      nodeId: WORKER,
      clusterId: CLUSTER,
      role: 'worker',
    });
    const workerLeaf = new x509.X509Certificate(splitPemBundle(workerChain)[0] ?? '');
    const victim = await generateKeyPair();
    const forged = await x509.X509CertificateGenerator.create({
      serialNumber: '01',
      subject: `O=${CLUSTER}, OU=swarm-manager, CN=${MANAGER}`,
      issuer: workerLeaf.subject,
      notBefore: new Date(Date.now() - HOUR),
      notAfter: new Date(Date.now() + DAY),
      signingAlgorithm: { name: 'ECDSA', hash: 'SHA-256' },
      publicKey: victim.publicKey as never,
      signingKey: keys.privateKey as never,
    });
    await expect(root.verify(`${forged.toString('pem')}\n${workerChain}`)).rejects.toThrow(
      CertificateRejectedError,
    );
  });

  it('rejects a certificate that is not a swarm node certificate', async () => {
    const text = root.certPem;
    await expect(root.verify(text)).rejects.toThrow(/not a swarm node certificate/);
  });

  it('rejects text that holds no certificate', async () => {
    await expect(root.verify('garbage')).rejects.toThrow(MalformedCredentialError);
  });
});

describe('an external root', () => {
  it('without its key cannot issue or rotate', async () => {
    const external = await RootCA.fromPem(root.certPem);
    expect(external.canSign).toBe(false);
    const id = { nodeId: WORKER, clusterId: CLUSTER, role: 'worker' } as const;
    await expect(external.issue(await newCsr(), id)).rejects.toThrow(NoSigningKeyError);
    await expect(external.rotate()).rejects.toThrow(NoSigningKeyError);
  });

  it('still verifies leaves the external CA signed', async () => {
    const external = await RootCA.fromPem(root.certPem);
    const chain = await root.issue(await newCsr(), { nodeId: WORKER, clusterId: CLUSTER, role: 'worker' });
    await expect(external.verify(chain)).resolves.toMatchObject({ nodeId: WORKER, role: 'worker' });
  });

  it('verifies a node certificate an openssl CA signed', async () => {
    const caKey = join(dir, `${fileNo++}-extca.key`);
    const caCert = join(dir, `${fileNo++}-extca.pem`);
    openssl(
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:P-256',
      '-nodes',
      '-keyout',
      caKey,
      '-subj',
      '/CN=corp-root',
      '-days',
      '30',
      '-out',
      caCert,
    );
    const nodeKey = join(dir, `${fileNo++}-node.key`);
    const nodeCsr = join(dir, `${fileNo++}-node.csr`);
    openssl(
      'req',
      '-new',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:P-256',
      '-nodes',
      '-keyout',
      nodeKey,
      '-subj',
      `/O=${CLUSTER}/OU=swarm-worker/CN=${WORKER}`,
      '-out',
      nodeCsr,
    );
    const leafPath = join(dir, `${fileNo++}-node.pem`);
    openssl(
      'x509',
      '-req',
      '-in',
      nodeCsr,
      '-CA',
      caCert,
      '-CAkey',
      caKey,
      '-CAcreateserial',
      '-days',
      '1',
      '-out',
      leafPath,
    );
    const external = await RootCA.fromPem(readFileSync(caCert, 'utf8'));
    expect(external.canSign).toBe(false);
    await expect(external.verify(readFileSync(leafPath, 'utf8'))).resolves.toMatchObject({
      nodeId: WORKER,
      clusterId: CLUSTER,
      role: 'worker',
    });
    await expect(root.verify(readFileSync(leafPath, 'utf8'))).rejects.toThrow(CertificateRejectedError);
  });

  it('with a key that is not its own is refused', async () => {
    const { keyPem: otherKey } = await RootCA.create();
    await expect(RootCA.fromPem(root.certPem, otherKey)).rejects.toThrow(MalformedCredentialError);
    await expect(RootCA.fromPem(root.certPem, otherKey)).rejects.toThrow(
      /key does not match the certificate/,
    );
  });

  it('with a key that is not a key is refused', async () => {
    await expect(RootCA.fromPem(root.certPem, 'garbage')).rejects.toThrow(MalformedCredentialError);
  });

  it('must be a self-signed certificate', async () => {
    const leaf = await root.issue(await newCsr(), { nodeId: WORKER, clusterId: CLUSTER, role: 'worker' });
    await expect(RootCA.fromPem(leaf)).rejects.toThrow(/not self-signed/);
    await expect(RootCA.fromPem('garbage')).rejects.toThrow(MalformedCredentialError);
  });
});

describe('root rotation', () => {
  let old: RootCA;
  let oldLeaf: string;
  let rotation: Awaited<ReturnType<RootCA['rotate']>>;
  let newChain: string;

  beforeAll(async () => {
    ({ ca: old } = await RootCA.create());
    oldLeaf = await old.issue(await newCsr(), { nodeId: WORKER, clusterId: CLUSTER, role: 'worker' });
    rotation = await old.rotate();
    newChain = await rotation.transition.issue(await newCsr(), {
      nodeId: MANAGER,
      clusterId: CLUSTER,
      role: 'manager',
    });
  });

  it('makes a new root, and the new root cross-signed by the old key', async () => {
    const { next, crossPem, nextKeyPem } = rotation;
    expect(next.certPem).not.toBe(old.certPem);
    expect(await next.cert.isSelfSigned()).toBe(true);
    const cross = new x509.X509Certificate(crossPem);
    expect(cross.publicKey.rawData).toEqual(next.cert.publicKey.rawData);
    expect(await cross.verify({ publicKey: old.cert.publicKey, signatureOnly: true })).toBe(true);
    await expect(RootCA.fromPem(next.certPem, nextKeyPem)).resolves.toBeInstanceOf(RootCA);
  });

  it('signs leaves with the new key and ships the cross-signed certificate with them', () => {
    const parts = splitPemBundle(newChain);
    expect(parts).toHaveLength(2);
    expect(parts[1]?.trim()).toBe(rotation.crossPem.trim());
  });

  it('issues leaves that openssl chains to the old root through the cross-signed certificate', () => {
    const [leaf = '', cross = ''] = splitPemBundle(newChain);
    const out = opensslVerify([
      '-CAfile',
      tmpFile('oldroot.pem', old.certPem),
      '-untrusted',
      tmpFile('cross.pem', cross),
      tmpFile('leaf.pem', leaf),
    ]);
    expect(out).toMatch(/leaf\.pem: OK$/);
  });

  it('issues leaves that openssl verifies against the new root directly', () => {
    const [leaf = ''] = splitPemBundle(newChain);
    const out = opensslVerify([
      '-CAfile',
      tmpFile('newroot.pem', rotation.next.certPem),
      tmpFile('leaf.pem', leaf),
    ]);
    expect(out).toMatch(/leaf\.pem: OK$/);
  });

  it('issues leaves that the old root alone does not accept without the cross-signed certificate', () => {
    const [leaf = ''] = splitPemBundle(newChain);
    const out = opensslVerify(['-CAfile', tmpFile('oldroot.pem', old.certPem), tmpFile('leaf.pem', leaf)]);
    expect(out).toMatch(/^FAILED/);
  });

  it('trusts leaves of both roots while the rotation runs', async () => {
    await expect(rotation.transition.verify(oldLeaf)).resolves.toMatchObject({ nodeId: WORKER });
    await expect(rotation.transition.verify(newChain)).resolves.toMatchObject({ nodeId: MANAGER });
    expect(rotation.transition.roots()).toHaveLength(2);
  });

  it('lets a holder of the old root accept new leaves through the cross-signed certificate', async () => {
    await expect(old.verify(newChain)).resolves.toMatchObject({ nodeId: MANAGER, role: 'manager' });
    const [leafOnly = ''] = splitPemBundle(newChain);
    await expect(old.verify(leafOnly)).rejects.toThrow(CertificateRejectedError);
  });

  it('leaves the new root alone accepting new leaves and refusing old ones', async () => {
    const after = await RootCA.fromPem(rotation.next.certPem);
    await expect(after.verify(newChain)).resolves.toMatchObject({ nodeId: MANAGER, clusterId: CLUSTER });
    await expect(after.verify(oldLeaf)).rejects.toThrow(CertificateRejectedError);
  });
});
