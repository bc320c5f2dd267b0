import { describe, expect, it } from 'vitest';
import {
  applyCaCommand,
  decodeCaCommand,
  encodeCaCommand,
  nodesNotRotated,
  type CaCommand,
  type CaState,
  type RootRotation,
} from './state.ts';

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

const OLD_DIGEST = 'o'.repeat(50);
const NEW_DIGEST = 'n'.repeat(50);

const initial: CaState = deepFreeze({
  clusterId: 'cluster1',
  rootCertPem: 'OLD ROOT',
  rootKeyPem: 'OLD KEY',
  rotation: null,
  joinTokens: { worker: 'SWMTKN-1-old-worker', manager: 'SWMTKN-1-old-manager' },
  nodeCertExpiryMs: 90 * 86_400_000,
  nodes: {},
  removed: [],
  unlockKey: null,
});

const rotation: RootRotation = deepFreeze({
  nextCertPem: 'NEW ROOT',
  nextKeyPem: 'NEW KEY',
  crossPem: 'CROSS',
  nextDigest: NEW_DIGEST,
});

const issued = (nodeId: string, role: 'manager' | 'worker', issuer = OLD_DIGEST): CaCommand => ({
  op: 'issued',
  nodeId,
  role,
  certPem: `CERT ${nodeId} ${issuer}`,
  serial: `serial-${nodeId}-${issuer.slice(0, 1)}`,
  issuer,
});

/** Applies commands in order; fails the test if one is refused. Every intermediate state is frozen. */
function run(state: CaState | null, ...cmds: CaCommand[]): CaState {
  let s = state;
  for (const cmd of cmds) {
    const r = applyCaCommand(deepFreeze(s), deepFreeze(cmd));
    expect(r.refused, `${cmd.op} refused`).toBeUndefined();
    s = r.state;
  }
  if (!s) throw new Error('no state');
  return s;
}

/** Three nodes: two managers and a worker, all with certificates from the old root. */
const populated = deepFreeze(
  run(initial, issued('m1', 'manager'), issued('m2', 'manager'), issued('w1', 'worker')),
);

describe('applyCaCommand', () => {
  it('is pure: the frozen input state is never mutated, and the same input gives the same output', () => {
    const before = structuredClone(populated);
    const cmds: CaCommand[] = [
      issued('w2', 'worker'),
      { op: 'setRole', nodeId: 'w1', role: 'manager' },
      { op: 'removeNode', nodeId: 'm2' },
      { op: 'setJoinToken', role: 'worker', token: 'SWMTKN-1-new-worker' },
      { op: 'setCertExpiry', ms: 3_600_000 },
      { op: 'setUnlockKey', unlockKey: 'SWMKEY-1-abc' },
      { op: 'startRootRotation', rotation },
      { op: 'markRotate', nodeIds: ['m1'] },
      { op: 'finishRootRotation', joinTokens: { worker: 'w', manager: 'm' } },
    ];
    for (const cmd of cmds) {
      const a = applyCaCommand(populated, cmd);
      const b = applyCaCommand(populated, cmd);
      expect(a).toEqual(b);
    }
    expect(run(populated, ...cmds)).toEqual(run(populated, ...cmds));
    expect(populated).toEqual(before);
  });

  it('initialises once and refuses a second init, keeping the first state', () => {
    expect(applyCaCommand(null, { op: 'init', state: initial })).toEqual({ state: initial });
    const other: CaState = { ...initial, clusterId: 'cluster2' };
    const r = applyCaCommand(initial, { op: 'init', state: other });
    expect(r.state).toBe(initial);
    expect(r.refused).toMatch(/already initialised/);
  });

  it('refuses every other command before init', () => {
    const r = applyCaCommand(null, issued('w1', 'worker'));
    expect(r.state).toBeNull();
    expect(r.refused).toBe('issued: the CA is not initialised');
  });

  it('records an issued certificate with its role, serial and issuer', () => {
    expect(populated.nodes.w1).toEqual({
      desiredRole: 'worker',
      certRole: 'worker',
      certPem: `CERT w1 ${OLD_DIGEST}`,
      serial: `serial-w1-o`,
      issuer: OLD_DIGEST,
      rotate: false,
    });
    expect(Object.keys(populated.nodes).sort()).toEqual(['m1', 'm2', 'w1']);
  });

  it('promotion: setRole changes the desired role; the certificate role follows on re-issue', () => {
    const promoted = run(populated, { op: 'setRole', nodeId: 'w1', role: 'manager' });
    expect(promoted.nodes.w1).toMatchObject({ desiredRole: 'manager', certRole: 'worker' });
    const reissued = run(promoted, issued('w1', 'manager'));
    expect(reissued.nodes.w1).toMatchObject({ desiredRole: 'manager', certRole: 'manager' });
  });

  it('a renewal keeps the desired role even if the certificate came with the old one', () => {
    const demoted = run(populated, { op: 'setRole', nodeId: 'm2', role: 'worker' });
    const renewed = run(demoted, issued('m2', 'manager'));
    expect(renewed.nodes.m2).toMatchObject({ desiredRole: 'worker', certRole: 'manager' });
  });

  it('refuses setRole for an unknown node', () => {
    const r = applyCaCommand(populated, { op: 'setRole', nodeId: 'ghost', role: 'manager' });
    expect(r.state).toBe(populated);
    expect(r.refused).toMatch(/node ghost not found/);
  });

  it('remembers a removed node for good and refuses to record certificates for it', () => {
    const removed = run(populated, { op: 'removeNode', nodeId: 'w1' });
    expect(removed.nodes.w1).toBeUndefined();
    expect(removed.removed).toEqual(['w1']);
    const r = applyCaCommand(removed, issued('w1', 'worker'));
    expect(r.state).toBe(removed);
    expect(r.refused).toMatch(/node w1 was removed/);
    // Removing again changes nothing.
    expect(applyCaCommand(removed, { op: 'removeNode', nodeId: 'w1' })).toEqual({ state: removed });
  });

  it('replaces one join token at a time', () => {
    const s = run(populated, { op: 'setJoinToken', role: 'manager', token: 'SWMTKN-1-new-manager' });
    expect(s.joinTokens).toEqual({ worker: 'SWMTKN-1-old-worker', manager: 'SWMTKN-1-new-manager' });
  });

  it('sets the certificate expiry and the unlock key', () => {
    const s = run(populated, { op: 'setCertExpiry', ms: 7_200_000 }, { op: 'setUnlockKey', unlockKey: 'K' });
    expect(s.nodeCertExpiryMs).toBe(7_200_000);
    expect(s.unlockKey).toBe('K');
    expect(run(s, { op: 'setUnlockKey', unlockKey: null }).unlockKey).toBeNull();
  });
});

describe('root rotation', () => {
  const rotating = run(populated, { op: 'startRootRotation', rotation });

  it('starts once: a second start is refused and changes nothing', () => {
    expect(rotating.rotation).toEqual(rotation);
    expect(rotating.rootCertPem).toBe('OLD ROOT');
    const other: RootRotation = { ...rotation, nextDigest: 'x'.repeat(50) };
    const r = applyCaCommand(rotating, { op: 'startRootRotation', rotation: other });
    expect(r.state).toBe(rotating);
    expect(r.refused).toMatch(/already in progress/);
  });

  it('marks nodes to renew now, ignoring unknown ones', () => {
    const marked = run(rotating, { op: 'markRotate', nodeIds: ['m1', 'w1', 'ghost'] });
    expect(marked.nodes.m1?.rotate).toBe(true);
    expect(marked.nodes.w1?.rotate).toBe(true);
    expect(marked.nodes.m2?.rotate).toBe(false);
    expect(marked.nodes.ghost).toBeUndefined();
  });

  it('a certificate from the new root clears the flag; one from the old root sets it', () => {
    const marked = run(rotating, { op: 'markRotate', nodeIds: ['m1'] });
    expect(run(marked, issued('m1', 'manager', NEW_DIGEST)).nodes.m1?.rotate).toBe(false);
    expect(run(rotating, issued('w9', 'worker', OLD_DIGEST)).nodes.w9?.rotate).toBe(true);
  });

  it('lists the nodes not yet on the new root, sorted', () => {
    expect(nodesNotRotated(populated)).toEqual([]);
    expect(nodesNotRotated(rotating)).toEqual(['m1', 'm2', 'w1']);
    const partly = run(rotating, issued('w1', 'worker', NEW_DIGEST), issued('m1', 'manager', NEW_DIGEST));
    expect(nodesNotRotated(partly)).toEqual(['m2']);
    expect(nodesNotRotated(run(partly, issued('m2', 'manager', NEW_DIGEST)))).toEqual([]);
  });

  it('finishes by making the new root the only root, with new tokens and no rotate flags', () => {
    const done = run(
      rotating,
      { op: 'markRotate', nodeIds: ['m1', 'm2', 'w1'] },
      issued('m1', 'manager', NEW_DIGEST),
      issued('m2', 'manager', NEW_DIGEST),
      { op: 'finishRootRotation', joinTokens: { worker: 'SWMTKN-1-nw', manager: 'SWMTKN-1-nm' } },
    );
    expect(done.rootCertPem).toBe('NEW ROOT');
    expect(done.rootKeyPem).toBe('NEW KEY');
    expect(done.rotation).toBeNull();
    expect(done.joinTokens).toEqual({ worker: 'SWMTKN-1-nw', manager: 'SWMTKN-1-nm' });
    for (const n of Object.values(done.nodes)) expect(n.rotate).toBe(false);
    expect(done.nodes.m1?.issuer).toBe(NEW_DIGEST);
    expect(nodesNotRotated(done)).toEqual([]);
    // Another rotation may start afterwards.
    expect(applyCaCommand(done, { op: 'startRootRotation', rotation }).refused).toBeUndefined();
  });

  it('refuses to finish a rotation that is not running', () => {
    const r = applyCaCommand(populated, {
      op: 'finishRootRotation',
      joinTokens: { worker: 'a', manager: 'b' },
    });
    expect(r.state).toBe(populated);
    expect(r.refused).toMatch(/no root rotation is in progress/);
  });
});

describe('command encoding', () => {
  it.each<CaCommand>([
    { op: 'init', state: populated },
    issued('w1', 'worker'),
    { op: 'setRole', nodeId: 'w1', role: 'manager' },
    { op: 'removeNode', nodeId: 'w1' },
    { op: 'setJoinToken', role: 'worker', token: 'SWMTKN-1-x' },
    { op: 'setCertExpiry', ms: 3_600_000 },
    { op: 'setUnlockKey', unlockKey: null },
    { op: 'startRootRotation', rotation },
    { op: 'markRotate', nodeIds: ['a', 'b'] },
    { op: 'finishRootRotation', joinTokens: { worker: 'w', manager: 'm' } },
  ])('round-trips $op', (cmd) => {
    const bytes = encodeCaCommand(cmd);
    expect(decodeCaCommand(bytes)).toEqual(cmd);
    expect(decodeCaCommand(new Uint8Array(bytes))).toEqual(cmd);
  });

  it('applying a decoded command gives the same state as the original', () => {
    const cmd: CaCommand = { op: 'startRootRotation', rotation };
    expect(applyCaCommand(populated, decodeCaCommand(encodeCaCommand(cmd)))).toEqual(
      applyCaCommand(populated, cmd),
    );
  });

  it.each([
    ['not JSON', Buffer.from('\x00\x01garbage')],
    ['empty', Buffer.alloc(0)],
    ['JSON null', Buffer.from('null')],
    ['a number', Buffer.from('42')],
    ['an object without op', Buffer.from('{"nodeId":"w1"}')],
    ['an op that is not a string', Buffer.from('{"op":7}')],
  ])('refuses bytes that are %s', (_name, bytes) => {
    expect(() => decodeCaCommand(bytes)).toThrow();
  });

  it('names the problem for JSON that is not a command', () => {
    expect(() => decodeCaCommand(Buffer.from('{"x":1}'))).toThrow(/not a CA command/);
  });
});
