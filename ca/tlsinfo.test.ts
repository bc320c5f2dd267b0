import { describe, expect, it } from 'vitest';
import { createCsr, generateKeyPair, RootCA } from './pki.ts';
import { nodeTlsInfo, rootTlsInfo } from './tlsinfo.ts';

const issue = async (root: RootCA): Promise<string> =>
  root.issue(await createCsr(await generateKeyPair()), { nodeId: 'node1', clusterId: 'c1', role: 'worker' });

describe('TLS info', () => {
  it("a node's issuer is the swarm's root: same subject and public key", async () => {
    const { ca: root } = await RootCA.create();
    const swarm = rootTlsInfo(root.certPem);
    const node = nodeTlsInfo(root.certPem, await issue(root));
    expect(swarm.trustRoot).toBe(root.certPem);
    expect(swarm.certIssuerSubject.length).toBeGreaterThan(10);
    expect(swarm.certIssuerPublicKey.length).toBeGreaterThan(60); // a P-256 SubjectPublicKeyInfo
    expect(node.certIssuerSubject.equals(swarm.certIssuerSubject)).toBe(true);
    expect(node.certIssuerPublicKey.equals(swarm.certIssuerPublicKey)).toBe(true);
  });

  it('a certificate from another root with the same name shows that root’s key, not the trusted one', async () => {
    const { ca: a } = await RootCA.create();
    const { ca: b } = await RootCA.create();
    const fromB = nodeTlsInfo(a.certPem + b.certPem, await issue(b));
    expect(fromB.certIssuerSubject.equals(rootTlsInfo(a.certPem).certIssuerSubject)).toBe(true); // both CN=swarm-ca
    expect(fromB.certIssuerPublicKey.equals(rootTlsInfo(b.certPem).certIssuerPublicKey)).toBe(true);
    expect(fromB.certIssuerPublicKey.equals(rootTlsInfo(a.certPem).certIssuerPublicKey)).toBe(false);
    // its issuer's certificate nowhere: the key is unknown, the subject still shown
    const unknown = nodeTlsInfo(a.certPem, await issue(b));
    expect(unknown.certIssuerPublicKey.length).toBe(0);
    expect(unknown.certIssuerSubject.length).toBeGreaterThan(10);
  });
});
