/**
 * The built-in CA on a live swarm: 3 managers (raft over mutual TLS, CA/NodeCA on the same port) and
 * workers that join with tokens. What a user sees: joining with the right token gives a certificate
 * with the role the token grants; bad tokens and foreign roots are refused with a clear error and
 * change nothing; every RPC refuses callers without the right certificate; promote/demote re-issue;
 * a root rotation re-issues every node without breaking a connection and changes both join tokens.
 */
import * as grpc from '@grpc/grpc-js';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { removeNode, rotateJoinToken, setNodeRole, startRootRotation } from '../ca/admin.ts';
import { joinSwarm } from '../ca/client.ts';
import { CertificateDir } from '../ca/keyfile.ts';
import { createCsr, generateKeyPair, privateKeyPem, RootCA } from '../ca/pki.ts';
import { CLUSTER_CHANNEL_OPTIONS, NodeTlsCredentials } from '../ca/tls.ts';
import { generateJoinToken } from '../ca/tokens.ts';
import type { RaftClient } from '../proto/gen/shoal/api/Raft.ts';
import type { NodeCAClient } from '../proto/gen/shoal/api/NodeCA.ts';
import type { CAClient } from '../proto/gen/shoal/api/CA.ts';
import { grpcServices } from '../proto/load.ts';
import { eventually } from './harness.ts';
import { SecureCluster, type SecureManager, type SecureNode } from './secure-kit.ts';

const api = (): ReturnType<typeof grpcServices>['shoal']['api'] => grpcServices().shoal.api;

/** Result of one unary call: the gRPC status code and details (0 = OK). */
async function unary(
  invoke: (cb: (err: grpc.ServiceError | null) => void) => void,
): Promise<{ code: number; details: string }> {
  return new Promise((resolve) => {
    invoke((err) => resolve(err ? { code: err.code, details: err.details } : { code: 0, details: '' }));
  });
}

/** Opens a raft message stream as the holder of `creds` and reports how the server answers. */
async function raftStream(
  addr: string,
  creds: grpc.ChannelCredentials,
): Promise<{ code: number; details: string }> {
  const client: RaftClient = new (api().Raft)(addr, creds, CLUSTER_CHANNEL_OPTIONS);
  try {
    return await new Promise((resolve) => {
      const md = new grpc.Metadata();
      md.set('shoal-raft-from', 'intruder');
      md.set('shoal-raft-to', 'whoever');
      const stream = client.StreamRaftMessages(md, (err) =>
        resolve(err ? { code: err.code, details: err.details } : { code: 0, details: '' }),
      );
      stream.end();
    });
  } finally {
    client.close();
  }
}

function unlockKeyCall(
  addr: string,
  creds: grpc.ChannelCredentials,
): Promise<{ code: number; details: string }> {
  const client: CAClient = new (api().CA)(addr, creds, CLUSTER_CHANNEL_OPTIONS);
  return unary((cb) => client.GetUnlockKey({}, { deadline: Date.now() + 5000 }, cb)).finally(() =>
    client.close(),
  );
}

/** Credentials holding a certificate made outside the swarm's normal path. */
async function forgedCredentials(
  issue: (csr: string) => Promise<string>,
  trustPem: string,
): Promise<grpc.ChannelCredentials> {
  const keys = await generateKeyPair();
  const certPem = await issue(await createCsr(keys));
  return new NodeTlsCredentials({
    rootPem: trustPem,
    certPem,
    keyPem: await privateKeyPem(keys.privateKey),
  }).client();
}

describe('built-in CA and mutual TLS on a live swarm', () => {
  const cluster = new SecureCluster({ tickMs: 50, pollMs: 100, rotationBatch: 2 });
  let first: SecureManager;
  let worker: SecureNode;
  const scratch = mkdtempSync(join(tmpdir(), 'shoal-ca-test-'));

  beforeAll(async () => {
    first = await cluster.init();
    const tokens = first.store.state.joinTokens;
    await cluster.joinManager(tokens.manager);
    await cluster.joinManager(tokens.manager, cluster.managers[1]);
    worker = await cluster.joinWorker(tokens.worker, cluster.managers[2]);
  }, 120_000);

  afterAll(async () => {
    await cluster.destroy();
    rmSync(scratch, { recursive: true, force: true });
  });

  it('raft runs over mutual TLS: three voters agree on one leader and every manager has the CA state', async () => {
    const leader = await cluster.waitLeader();
    expect(leader.raft.status().members.length).toBeGreaterThanOrEqual(2);
    await eventually(
      () =>
        cluster.managers.every((m) => m.store.initialised && Object.keys(m.store.state.nodes).length === 4),
      'every manager to see 4 nodes',
      () => cluster.describe(),
    );
    for (const m of cluster.managers) expect(m.store.state.clusterId).toBe(first.store.state.clusterId);
  });

  it('the token picks the role, the CA mints the node ID, and openssl shows the certificate as Swarm writes it', () => {
    const clusterId = first.store.state.clusterId;
    for (const m of cluster.managers) {
      const id = m.identity();
      expect(id.role).toBe('manager');
      expect(id.clusterId).toBe(clusterId);
      expect(id.nodeId).toMatch(/^[0-9a-z]{25}$/);
    }
    expect(worker.identity().role).toBe('worker');
    const text = execFileSync('openssl', ['x509', '-noout', '-text', '-in', worker.dir.certPath], {
      encoding: 'utf8',
    });
    expect(text).toContain('Signature Algorithm: ecdsa-with-SHA256');
    expect(text).toContain(`Subject: O = ${clusterId}, OU = swarm-worker, CN = ${worker.identity().nodeId}`);
    expect(text).toContain(`DNS:swarm-worker, DNS:${worker.identity().nodeId}`);
    expect(text).toContain('ASN1 OID: prime256v1');
    const mtext = execFileSync('openssl', ['x509', '-noout', '-text', '-in', first.dir.certPath], {
      encoding: 'utf8',
    });
    expect(mtext).toContain(`DNS:swarm-manager, DNS:${first.identity().nodeId}, DNS:swarm-ca`);
  });

  describe('join token refusals leave the swarm unchanged and write nothing', () => {
    const attempt = async (token: string): Promise<{ err: unknown; wrote: boolean; same: boolean }> => {
      const leader = await cluster.waitLeader();
      const before = Buffer.from(leader.store.snapshot()).toString();
      const dir = new CertificateDir(mkdtempSync(join(scratch, 'join-')));
      const err = await joinSwarm({ addr: leader.member.addr, token, dir, timeoutMs: 5000 }).then(
        () => undefined,
        (e: unknown) => e,
      );
      await leader.raft.readBarrier();
      const after = Buffer.from(leader.store.snapshot()).toString();
      return { err, wrote: existsSync(dir.certPath) || existsSync(dir.keyPath), same: before === after };
    };

    it('a malformed token', async () => {
      const r = await attempt('SWMTKN-1-notatoken');
      expect(String(r.err)).toMatch(/invalid join token.*50 base-36|want SWMTKN-1/i);
      expect(r.wrote).toBe(false);
      expect(r.same).toBe(true);
    });

    it('a token for another swarm (its root CA digest does not match)', async () => {
      const other = await RootCA.create();
      const r = await attempt(generateJoinToken(other.ca.certPem));
      expect(String(r.err)).toMatch(/remote CA does not match the fingerprint in the join token/);
      expect(r.wrote).toBe(false);
      expect(r.same).toBe(true);
    });

    it('a wrong secret with the right digest, and a token rotated away', async () => {
      const wrong = await attempt(generateJoinToken(first.store.state.rootCertPem));
      expect(String(wrong.err)).toMatch(/not the current worker or manager token/);
      expect(wrong.same).toBe(true);
      const leader = await cluster.waitLeader();
      const old = leader.store.state.joinTokens.worker;
      const fresh = await rotateJoinToken(leader.store, 'worker');
      expect(fresh).not.toBe(old);
      expect(fresh.split('-')[2]).toBe(old.split('-')[2]);
      expect(leader.store.state.joinTokens.manager).not.toBe(fresh);
      const rotated = await attempt(old);
      expect(String(rotated.err)).toMatch(/not the current worker or manager token \(was it rotated\?\)/);
      expect(rotated.wrote).toBe(false);
      expect(rotated.same).toBe(true);
    });

    it('a malformed CSR is refused with a clear error', async () => {
      const leader = await cluster.waitLeader();
      const client: NodeCAClient = new (api().NodeCA)(
        leader.member.addr,
        worker.creds.client(),
        CLUSTER_CHANNEL_OPTIONS,
      );
      const r = await unary((cb) =>
        client.IssueNodeCertificate(
          {
            csr: Buffer.from(
              '-----BEGIN CERTIFICATE REQUEST-----\nAAAA\n-----END CERTIFICATE REQUEST-----\n',
            ),
            token: leader.store.state.joinTokens.worker,
          },
          { deadline: Date.now() + 5000 },
          cb,
        ),
      ).finally(() => client.close());
      expect(r.code).toBe(grpc.status.INVALID_ARGUMENT);
      expect(r.details).toMatch(/CSR: not a PEM PKCS#10/);
    });
  });

  describe('every RPC checks the caller (one refusal each)', () => {
    it('a worker certificate calling a manager-only RPC (raft, unlock key)', async () => {
      const leader = await cluster.waitLeader();
      const r = await raftStream(leader.member.addr, worker.creds.client());
      expect(r.code).toBe(grpc.status.PERMISSION_DENIED);
      expect(r.details).toMatch(
        /Raft\/StreamRaftMessages is for managers only; the caller \(node \w+\) is a worker/,
      );
      const u = await unlockKeyCall(leader.member.addr, worker.creds.client());
      expect(u.code).toBe(grpc.status.PERMISSION_DENIED);
      // the same call with a manager certificate goes through
      expect((await unlockKeyCall(leader.member.addr, first.creds.client())).code).toBe(0);
    });

    it('a certificate from another swarm', async () => {
      const leader = await cluster.waitLeader();
      const other = await RootCA.create();
      const creds = await forgedCredentials(
        (csr) => other.ca.issue(csr, { nodeId: 'x'.repeat(25), clusterId: 'y'.repeat(25), role: 'manager' }),
        first.store.state.rootCertPem,
      );
      const r = await raftStream(leader.member.addr, creds);
      expect(r.code).toBe(grpc.status.UNAUTHENTICATED);
      expect(r.details).toMatch(/needs a certificate issued by this swarm's CA/);
    });

    it("a certificate from this swarm's CA naming another cluster", async () => {
      const leader = await cluster.waitLeader();
      const signer = await leader.store.signer();
      const creds = await forgedCredentials(
        (csr) => signer.issue(csr, { nodeId: 'x'.repeat(25), clusterId: 'z'.repeat(25), role: 'manager' }),
        leader.store.trustBundle(),
      );
      const r = await raftStream(leader.member.addr, creds);
      expect(r.code).toBe(grpc.status.PERMISSION_DENIED);
      expect(r.details).toMatch(/belongs to swarm z{25}, not to this swarm/);
    });

    it('a self-signed certificate', async () => {
      const leader = await cluster.waitLeader();
      const self = await RootCA.create();
      const keyPem = self.keyPem;
      const creds = new NodeTlsCredentials({
        rootPem: first.store.state.rootCertPem,
        certPem: self.ca.certPem,
        keyPem,
      }).client();
      const r = await raftStream(leader.member.addr, creds);
      expect(r.code).toBe(grpc.status.UNAUTHENTICATED);
    });

    it('an expired certificate', async () => {
      const leader = await cluster.waitLeader();
      const signer = await leader.store.signer();
      const creds = await forgedCredentials(
        (csr) =>
          signer.issue(
            csr,
            { nodeId: first.identity().nodeId, clusterId: first.identity().clusterId, role: 'manager' },
            { now: new Date(Date.now() - 3 * 3_600_000), expiryMs: 3_600_000 },
          ),
        leader.store.trustBundle(),
      );
      const r = await raftStream(leader.member.addr, creds);
      expect(r.code).toBe(grpc.status.UNAUTHENTICATED);
    });

    it("a removed node's certificate", async () => {
      const leader = await cluster.waitLeader();
      const doomed = await cluster.joinWorker(leader.store.state.joinTokens.worker);
      const client: NodeCAClient = new (api().NodeCA)(
        leader.member.addr,
        doomed.creds.client(),
        CLUSTER_CHANNEL_OPTIONS,
      );
      const status = (): Promise<{ code: number; details: string }> =>
        unary((cb) => client.NodeCertificateStatus({ nodeId: doomed.identity().nodeId }, cb));
      expect((await status()).code).toBe(0);
      await removeNode(leader.store, doomed.identity().nodeId);
      // renewal (a node-level call that needs its certificate) is refused from now on
      await expect(doomed.agent.renew()).rejects.toThrow(/was removed from the swarm/);
      const dispatcherLike = await unlockKeyCall(leader.member.addr, doomed.creds.client());
      expect(dispatcherLike.code).toBe(grpc.status.PERMISSION_DENIED);
      expect(dispatcherLike.details).toMatch(/was removed from the swarm/);
      client.close();
      await doomed.agent.stop();
    });
  });

  it('promote and demote re-issue the certificate with the new role', async () => {
    const leader = await cluster.waitLeader();
    const id = worker.identity().nodeId;
    const renewalsBefore = worker.agent.renewalCount;
    await setNodeRole(leader.store, id, 'manager');
    await eventually(
      () => worker.identity().role === 'manager',
      'the promoted node to hold a manager certificate',
    );
    expect(worker.identity().nodeId).toBe(id);
    expect(worker.agent.renewalCount).toBeGreaterThan(renewalsBefore);
    expect(
      execFileSync('openssl', ['x509', '-noout', '-subject', '-in', worker.dir.certPath], {
        encoding: 'utf8',
      }),
    ).toContain('OU = swarm-manager');
    expect((await unlockKeyCall(leader.member.addr, worker.creds.client())).code).toBe(0);
    await setNodeRole(leader.store, id, 'worker');
    await eventually(
      () => worker.identity().role === 'worker',
      'the demoted node to hold a worker certificate',
    );
    expect((await unlockKeyCall(leader.member.addr, worker.creds.client())).code).toBe(
      grpc.status.PERMISSION_DENIED,
    );
  });

  it('root rotation: every node re-issued in batches, no connection lost, both join tokens change', async () => {
    const leader = await cluster.waitLeader();
    const extra = await cluster.joinWorker(leader.store.state.joinTokens.worker);
    const oldRoot = leader.store.state.rootCertPem;
    const oldKey = leader.store.state.rootKeyPem ?? undefined;
    const oldTokens = { ...leader.store.state.joinTokens };
    const term = leader.raft.status().term;
    const nodes = [...cluster.managers, worker, extra];

    // Traffic that must not fail: raft writes through the leader, and a long-lived channel per node
    // polling the CA, whose connection must stay READY the whole time.
    let stop = false;
    const failures: string[] = [];
    const writer = (async () => {
      for (let i = 0; !stop; i++) {
        await leader.raft
          .propose(Buffer.from(`traffic-${i}`))
          .catch((e: unknown) => failures.push(`write: ${String(e)}`));
        await new Promise((r) => setTimeout(r, 20));
      }
    })();
    const pollers = nodes.map(async (n) => {
      const target = cluster.managers[(nodes.indexOf(n) + 1) % cluster.managers.length] as SecureManager;
      const client: NodeCAClient = new (api().NodeCA)(
        target.member.addr,
        n.creds.client(),
        CLUSTER_CHANNEL_OPTIONS,
      );
      const nodeId = n.identity().nodeId;
      let ready = false;
      try {
        while (!stop) {
          const r = await unary((cb) =>
            client.NodeCertificateStatus({ nodeId }, { deadline: Date.now() + 5000 }, cb),
          );
          if (r.code !== 0) failures.push(`${n.name} status: ${r.details}`);
          const state = client.getChannel().getConnectivityState(false);
          if (state === grpc.connectivityState.READY) ready = true;
          else if (ready) failures.push(`${n.name}: channel left READY (${grpc.connectivityState[state]})`);
          await new Promise((r) => setTimeout(r, 50));
        }
      } finally {
        client.close();
      }
    });

    await startRootRotation(leader.store);
    const next = leader.store.state.rotation;
    expect(next).not.toBeNull();
    // mid-rotation: the join root is still the old one, nodes are told to renew in batches of 2
    expect(leader.store.state.rootCertPem).toBe(oldRoot);
    await eventually(
      () => leader.store.state.rotation === null,
      'the root rotation to finish',
      () => cluster.describe(),
      60_000,
    );
    const newRoot = leader.store.state.rootCertPem;
    expect(newRoot).toBe(next?.nextCertPem);
    await eventually(
      () => nodes.every((n) => n.creds.current.rootPem === newRoot),
      'every node to trust only the new root',
      () =>
        nodes
          .map((n) => {
            const rec = leader.store.node(n.identity().nodeId);
            return `${n.name}: trusts new=${n.creds.current.rootPem === newRoot} roots=${n.creds.current.rootPem.split('BEGIN').length - 1} renewals=${n.agent.renewalCount} polls=${JSON.stringify(n.agent.pollStats)} record=${JSON.stringify({ ...rec, certPem: undefined })}`;
          })
          .join('\n'),
      30_000,
    );
    await new Promise((r) => setTimeout(r, 300)); // traffic after the switch as well
    stop = true;
    await writer;
    await Promise.all(pollers);

    expect(failures).toEqual([]);
    expect(leader.raft.isLeader()).toBe(true);
    expect(leader.raft.status().term).toBe(term);
    const verifier = await RootCA.fromPem(newRoot);
    for (const n of nodes) {
      await expect(verifier.verify(n.creds.current.certPem)).resolves.toMatchObject({
        nodeId: n.identity().nodeId,
      });
      expect(
        execFileSync('openssl', ['x509', '-noout', '-issuer', '-in', n.dir.certPath], { encoding: 'utf8' }),
      ).toContain('CN = swarm-ca');
    }
    const tokens = leader.store.state.joinTokens;
    expect(tokens.worker).not.toBe(oldTokens.worker);
    expect(tokens.manager).not.toBe(oldTokens.manager);
    expect(tokens.worker.split('-')[2]).toBe(tokens.manager.split('-')[2]);
    expect(tokens.worker.split('-')[2]).not.toBe(oldTokens.worker.split('-')[2]);

    // the old token now pins a root the swarm no longer serves; the new one joins
    const dir = new CertificateDir(mkdtempSync(join(scratch, 'late-')));
    await expect(joinSwarm({ addr: leader.member.addr, token: oldTokens.worker, dir })).rejects.toThrow(
      /remote CA does not match the fingerprint in the join token/,
    );
    const late = await cluster.joinWorker(tokens.worker);
    expect(late.identity().role).toBe('worker');
    // a certificate signed by the old root's key is refused now; one from the new root is accepted
    const byOldKey = await forgedCredentials(
      async (csr) =>
        (await RootCA.fromPem(oldRoot, oldKey)).issue(csr, {
          nodeId: first.identity().nodeId,
          clusterId: first.identity().clusterId,
          role: 'manager',
        }),
      newRoot,
    );
    expect((await raftStream(leader.member.addr, byOldKey)).code).toBe(grpc.status.UNAUTHENTICATED);
    expect((await unlockKeyCall(leader.member.addr, first.creds.client())).code).toBe(0);
  });
});
