/**
 * Encryption at rest and autolock on a live 3-manager raft cluster (real LevelDB, real gRPC, separate
 * data roots): each manager's raft data is encrypted with its own DEK from its key file; turning
 * autolock on rotates every DEK and encrypts the key files under the unlock key; a restarted manager
 * stays locked — it takes no part in raft — until unlocked with the right key, while the others keep
 * serving. A canary written through the cluster never appears in clear under any data root.
 */
import * as grpc from '@grpc/grpc-js';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ManagerKeys } from '../ca/dek.ts';
import { InvalidUnlockKeyError, LockedError } from '../ca/errors.ts';
import { CertificateDir } from '../ca/keyfile.ts';
import { createCsr, generateKeyPair, privateKeyPem, RootCA } from '../ca/pki.ts';
import { RaftNode, type Member, type StateMachine } from '../raft/node/index.ts';
import { LeadershipLostError, NotLeaderError } from '../raft/node/errors.ts';
import { eventually, filesContaining, freePort } from './harness.ts';

class Log implements StateMachine {
  values: string[] = [];
  apply(data: Uint8Array): void {
    this.values.push(Buffer.from(data).toString());
  }
  snapshot(): Uint8Array {
    return Buffer.from(JSON.stringify(this.values));
  }
  restore(data: Uint8Array): void {
    this.values = JSON.parse(Buffer.from(data).toString() || '[]') as string[];
  }
}

interface Manager {
  readonly member: Member;
  readonly root: string;
  readonly certs: CertificateDir;
  keys: ManagerKeys | undefined;
  node: RaftNode | undefined;
  sm: Log;
}

const creds = { client: grpc.credentials.createInsecure(), server: grpc.ServerCredentials.createInsecure() };

describe('encryption at rest and autolock', () => {
  const managers: Manager[] = [];
  afterAll(async () => {
    await Promise.all(managers.map(async (m) => m.node?.stop().catch(() => undefined)));
    for (const m of managers) rmSync(m.root, { recursive: true, force: true });
  });

  async function startRaft(m: Manager, bootstrap?: Member[]): Promise<void> {
    if (!m.keys) throw new Error('locked');
    m.sm = new Log();
    m.node = await RaftNode.start({
      id: m.member.id,
      addr: m.member.addr,
      dataDir: join(m.root, 'raft'),
      key: m.keys.dataKey(),
      credentials: creds,
      stateMachine: m.sm,
      tickMs: 20,
      snapshotEveryEntries: 20,
      keepEntries: 5,
      peers: managers.map((x) => x.member),
      ...(bootstrap ? { bootstrap } : {}),
    });
  }

  const leader = (): RaftNode | undefined => managers.find((m) => m.node?.isLeader())?.node;
  const describeAll = (): string =>
    managers
      .map(
        (m) =>
          `${m.member.id}: ${m.node ? JSON.stringify(m.node.status().role) : 'stopped'} applied=${m.node?.status().applied ?? '-'}`,
      )
      .join('\n');

  /**
   * Proposes `value` on the leader, as a client does: a leader deposed while the write was in flight
   * (an election still settling right after start) answers "lost leadership … check, then retry", and
   * the write is retried on the new leader (the checks only ask whether a value is there).
   */
  async function write(value: string): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      await eventually(() => leader() !== undefined, 'a leader', describeAll);
      try {
        await (leader() as RaftNode).propose(Buffer.from(value));
        return;
      } catch (err) {
        if (!(err instanceof LeadershipLostError || err instanceof NotLeaderError) || attempt >= 5) throw err;
      }
    }
  }

  it('keeps each manager raft log encrypted with its own DEK; the canary never appears in clear', async () => {
    const { ca } = await RootCA.create();
    for (let i = 1; i <= 3; i++) {
      const root = mkdtempSync(join(tmpdir(), `shoal-autolock-${i}-`));
      const certs = new CertificateDir(join(root, 'certificates'));
      const kp = await generateKeyPair();
      const cert = await ca.issue(await createCsr(kp), {
        nodeId: `manager${i}`,
        clusterId: 'cluster',
        role: 'manager',
      });
      await certs.write(
        ca.certPem,
        cert,
        { keyPem: await privateKeyPem(kp.privateKey), dek: null, pendingDek: null },
        null,
      );
      managers.push({
        member: { id: String(i), addr: `127.0.0.1:${await freePort()}` },
        root,
        certs,
        keys: undefined,
        node: undefined,
        sm: new Log(),
      });
    }
    for (const m of managers) m.keys = await ManagerKeys.open(m.certs);
    const deks = managers.map((m) => m.keys?.dataKey().key.toString('hex'));
    expect(new Set(deks).size).toBe(3);
    await Promise.all(
      managers.map((m) =>
        startRaft(
          m,
          managers.map((x) => x.member),
        ),
      ),
    );
    for (let i = 0; i < 30; i++) await write(`value-${i}`);
    await write('CANARY-plain-8c1f2e');
    await eventually(
      () => managers.every((m) => m.sm.values.includes('CANARY-plain-8c1f2e')),
      'the canary everywhere',
      describeAll,
    );
    for (const m of managers) expect(filesContaining(m.root, 'CANARY-plain-8c1f2e'), m.root).toEqual([]);
    // Control: the scan does find the canary when it is stored in clear.
    const control = join((managers[0] as Manager).root, 'control.txt');
    writeFileSync(control, 'xx CANARY-plain-8c1f2e xx');
    expect(filesContaining((managers[0] as Manager).root, 'CANARY-plain-8c1f2e')).toEqual([control]);
    rmSync(control);
  });

  let unlockKey = '';

  it('turning autolock on rotates every DEK and encrypts the key files under the unlock key', async () => {
    const before = managers.map((m) => m.keys?.dataKey().id);
    for (const m of managers) {
      const keys = m.keys as ManagerKeys;
      const { unlockKey: k, pending } = await keys.enableAutolock(unlockKey === '' ? undefined : unlockKey);
      unlockKey = k;
      await (m.node as RaftNode).rekey(pending);
      await keys.commitPendingDek();
    }
    expect(unlockKey).toMatch(/^SWMKEY-1-[A-Za-z0-9+/]{43}$/);
    expect(managers.map((m) => m.keys?.dataKey().id)).not.toEqual(before);
    for (const m of managers) expect(await m.certs.isLocked()).toBe(true);
    await write('CANARY-locked-55ab07');
    await eventually(
      () => managers.every((m) => m.sm.values.includes('CANARY-locked-55ab07')),
      'the second canary everywhere',
      describeAll,
    );
    for (const m of managers) {
      expect(filesContaining(m.root, 'CANARY-locked-55ab07'), m.root).toEqual([]);
      expect(filesContaining(m.root, 'CANARY-plain-8c1f2e'), m.root).toEqual([]);
      expect(filesContaining(m.root, unlockKey), m.root).toEqual([]);
    }
  });

  it('a restarted manager stays locked, serving nothing, until unlocked with the right key', async () => {
    const m = managers[2] as Manager;
    await m.node?.stop();
    m.node = undefined;
    m.keys = undefined;
    await expect(ManagerKeys.open(m.certs)).rejects.toThrow(LockedError);
    await expect(ManagerKeys.open(m.certs)).rejects.toThrow(
      'Swarm is encrypted and needs to be unlocked before it can be used.',
    );
    // The other two keep the cluster going meanwhile.
    await write('while-locked');
    const wrong = 'SWMKEY-1-' + Buffer.alloc(32, 7).toString('base64').replace(/=+$/, '');
    await expect(ManagerKeys.open(m.certs, wrong)).rejects.toThrow(InvalidUnlockKeyError);
    await expect(ManagerKeys.open(m.certs, wrong)).rejects.toThrow(
      'swarm could not be unlocked: invalid key provided',
    );
    m.keys = await ManagerKeys.open(m.certs, unlockKey);
    await startRaft(m);
    await eventually(
      () => m.sm.values.includes('while-locked'),
      'the unlocked manager to catch up',
      describeAll,
    );
  });

  it('rotates the unlock key, and turning autolock off stores the key file in clear again', async () => {
    const m = managers[1] as Manager;
    const fresh = await (m.keys as ManagerKeys).rotateUnlockKey();
    await m.node?.stop();
    await expect(ManagerKeys.open(m.certs, unlockKey)).rejects.toThrow(InvalidUnlockKeyError);
    m.keys = await ManagerKeys.open(m.certs, fresh);
    await m.keys.disableAutolock();
    expect(await m.certs.isLocked()).toBe(false);
    m.keys = await ManagerKeys.open(m.certs);
    await startRaft(m);
    await write('after-autolock-off');
    await eventually(() => m.sm.values.includes('after-autolock-off'), 'the manager to rejoin', describeAll);
    expect(filesContaining(m.root, 'after-autolock-off')).toEqual([]);
  });
});
