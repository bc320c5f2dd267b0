import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { InvalidJoinTokenError, InvalidUnlockKeyError, RootCaMismatchError } from './errors.ts';
import {
  checkRootAgainstToken,
  generateJoinToken,
  generateUnlockKey,
  parseJoinToken,
  parseUnlockKey,
  roleForToken,
  rootCaDigest,
  tokensEqual,
} from './tokens.ts';

const TOKEN_RE = /^SWMTKN-1-[0-9a-z]{50}-[0-9a-z]{25}$/;

// Root PEMs stand in as opaque text: the digest is over the bundle's bytes, whatever they hold.
const ROOT_A = '-----BEGIN CERTIFICATE-----\nMIIBazCCARGgAwIBAgIUroot-a\n-----END CERTIFICATE-----\n';
const ROOT_B = '-----BEGIN CERTIFICATE-----\nMIIBazCCARGgAwIBAgIUroot-b\n-----END CERTIFICATE-----\n';

/** Swarm's digest, computed here independently: SHA-256 as a big integer, base 36, padded to 50. */
function expectedDigest(pem: string): string {
  const hex = createHash('sha256').update(Buffer.from(pem, 'utf8')).digest('hex');
  return BigInt(`0x${hex}`).toString(36).padStart(50, '0');
}

/** Splits a well-formed token into its digest and secret. */
function partsOf(token: string): { digest: string; secret: string } {
  const [, , digest = '', secret = ''] = token.split('-');
  return { digest, secret };
}

describe('join tokens', () => {
  it('have the form SWMTKN-1-<50 base-36 digest>-<25 base-36 secret>', () => {
    for (let i = 0; i < 50; i++) expect(generateJoinToken(ROOT_A)).toMatch(TOKEN_RE);
  });

  it('pin the base-36 SHA-256 of the root CA PEM', () => {
    const token = generateJoinToken(ROOT_A);
    expect(partsOf(token).digest).toBe(expectedDigest(ROOT_A));
    expect(rootCaDigest(ROOT_A)).toBe(expectedDigest(ROOT_A));
    expect(rootCaDigest(ROOT_B)).not.toBe(rootCaDigest(ROOT_A));
  });

  it('pad a small digest with leading zeros to 50 characters', () => {
    // Find a root text whose SHA-256 is small enough to need padding (1 in 36 hashes has a leading 0).
    let pem = '';
    for (let i = 0; ; i++) {
      pem = `root ${i}`;
      if (expectedDigest(pem).startsWith('0')) break;
    }
    expect(rootCaDigest(pem)).toHaveLength(50);
    expect(rootCaDigest(pem)).toBe(expectedDigest(pem));
    expect(partsOf(generateJoinToken(pem)).digest).toBe(expectedDigest(pem));
  });

  it('for the same root share the digest and differ in the secret', () => {
    const a = generateJoinToken(ROOT_A);
    const b = generateJoinToken(ROOT_A);
    expect(partsOf(a).digest).toBe(partsOf(b).digest);
    expect(partsOf(a).secret).not.toBe(partsOf(b).secret);
    const secrets = new Set(Array.from({ length: 200 }, () => partsOf(generateJoinToken(ROOT_A)).secret));
    expect(secrets.size).toBe(200);
  });

  it('parse into their digest and secret, ignoring surrounding white space', () => {
    const token = generateJoinToken(ROOT_A);
    expect(parseJoinToken(`  ${token}\n`)).toEqual(partsOf(token));
  });
});

describe('malformed join tokens', () => {
  const good = generateJoinToken(ROOT_A);
  const { digest, secret } = partsOf(good);

  const cases: [string, string, RegExp][] = [
    ['wrong prefix', `SWMTKX-1-${digest}-${secret}`, /want SWMTKN-1-<digest>-<secret>/],
    ['no prefix', `${digest}-${secret}`, /want SWMTKN-1-<digest>-<secret>/],
    ['wrong version', `SWMTKN-2-${digest}-${secret}`, /unsupported version "2"/],
    ['short digest', `SWMTKN-1-${digest.slice(1)}-${secret}`, /CA digest must be 50 base-36 characters/],
    ['long digest', `SWMTKN-1-${digest}0-${secret}`, /CA digest must be 50 base-36 characters/],
    [
      'uppercase digest',
      `SWMTKN-1-${digest.toUpperCase()}-${secret}`,
      /CA digest must be 50 base-36 characters/,
    ],
    ['short secret', `SWMTKN-1-${digest}-${secret.slice(1)}`, /secret must be 25 base-36 characters/],
    ['uppercase secret', `SWMTKN-1-${digest}-${secret.toUpperCase()}`, /secret must be 25 base-36/],
    ['extra dash', `SWMTKN-1-${digest}-${secret}-x`, /want SWMTKN-1-<digest>-<secret>/],
    ['dash inside', `SWMTKN-1-${digest.slice(0, 20)}-${digest.slice(20)}-${secret}`, /want SWMTKN-1/],
    ['empty', '', /want SWMTKN-1-<digest>-<secret>/],
  ];

  it.each(cases)('%s is refused with InvalidJoinTokenError naming the problem', (_name, token, message) => {
    expect(() => parseJoinToken(token)).toThrow(InvalidJoinTokenError);
    expect(() => parseJoinToken(token)).toThrow(message);
    expect(() => parseJoinToken(token)).toThrow(/^invalid join token: /);
  });

  it('a token whose digest holds non-base-36 characters is refused', () => {
    const bad = `SWMTKN-1-${digest.slice(0, 49)}_-${secret}`;
    expect(() => parseJoinToken(bad)).toThrow(/CA digest must be 50 base-36 characters/);
  });
});

describe('checkRootAgainstToken', () => {
  it('accepts the root the token pins', () => {
    expect(() => checkRootAgainstToken(generateJoinToken(ROOT_A), ROOT_A)).not.toThrow();
  });

  it('refuses another root, naming both fingerprints', () => {
    const token = generateJoinToken(ROOT_A);
    expect(() => checkRootAgainstToken(token, ROOT_B)).toThrow(RootCaMismatchError);
    expect(() => checkRootAgainstToken(token, ROOT_B)).toThrow(
      `token pins ${rootCaDigest(ROOT_A)}, remote CA is ${rootCaDigest(ROOT_B)}`,
    );
  });

  it('refuses a root that differs by one byte (the whole bundle is hashed)', () => {
    const token = generateJoinToken(ROOT_A);
    expect(() => checkRootAgainstToken(token, `${ROOT_A}\n`)).toThrow(RootCaMismatchError);
  });

  it('refuses a malformed token before looking at the root', () => {
    expect(() => checkRootAgainstToken('SWMTKN-1-nope', ROOT_A)).toThrow(InvalidJoinTokenError);
  });
});

describe('roleForToken', () => {
  const current = { manager: generateJoinToken(ROOT_A), worker: generateJoinToken(ROOT_A) };

  it('grants manager for the manager token and worker for the worker token', () => {
    expect(roleForToken(current.manager, current)).toBe('manager');
    expect(roleForToken(current.worker, current)).toBe('worker');
    // pasted with surrounding white space, as from a terminal
    expect(roleForToken(` ${current.worker}\n`, current)).toBe('worker');
  });

  it('refuses a token that was rotated away', () => {
    const old = current.worker;
    const rotated = { ...current, worker: generateJoinToken(ROOT_A) };
    expect(() => roleForToken(old, rotated)).toThrow(InvalidJoinTokenError);
    expect(() => roleForToken(old, rotated)).toThrow(/not the current worker or manager token/);
  });

  it("refuses another swarm's token with a different message", () => {
    const foreign = generateJoinToken(ROOT_B);
    expect(() => roleForToken(foreign, current)).toThrow(InvalidJoinTokenError);
    expect(() => roleForToken(foreign, current)).toThrow(/for a different swarm/);
    expect(() => roleForToken(foreign, current)).not.toThrow(/not the current/);
  });

  it("refuses our digest with another token's secret for the other role", () => {
    const { digest } = partsOf(current.manager);
    const { secret } = partsOf(generateJoinToken(ROOT_B));
    expect(() => roleForToken(`SWMTKN-1-${digest}-${secret}`, current)).toThrow(/not the current/);
  });

  it('refuses a malformed token', () => {
    expect(() => roleForToken('SWMTKN-1-abc-def', current)).toThrow(/CA digest must be 50/);
  });
});

describe('tokensEqual', () => {
  it('compares whole strings, including ones of different lengths', () => {
    expect(tokensEqual('abc', 'abc')).toBe(true);
    expect(tokensEqual('abc', 'abd')).toBe(false);
    expect(tokensEqual('abc', 'abcd')).toBe(false);
    expect(tokensEqual('abcd', 'abc')).toBe(false);
    expect(tokensEqual('', '')).toBe(true);
  });
});

describe('unlock keys', () => {
  it('are SWMKEY-1- and 43 unpadded base64 characters decoding to 32 bytes', () => {
    for (let i = 0; i < 50; i++) {
      const key = generateUnlockKey();
      expect(key).toMatch(/^SWMKEY-1-[A-Za-z0-9+/]{43}$/);
      const raw = parseUnlockKey(key);
      expect(raw).toHaveLength(32);
      expect(raw.toString('base64').replace(/=+$/, '')).toBe(key.slice('SWMKEY-1-'.length));
    }
  });

  it('are different every time', () => {
    expect(generateUnlockKey()).not.toBe(generateUnlockKey());
  });

  it('parse with surrounding white space', () => {
    const key = generateUnlockKey();
    expect(parseUnlockKey(`\n${key} `)).toEqual(parseUnlockKey(key));
  });

  it.each([
    ['no prefix', (k: string) => k.slice('SWMKEY-1-'.length)],
    ['a join token prefix', (k: string) => k.replace('SWMKEY', 'SWMTKN')],
    ['wrong version', (k: string) => k.replace('SWMKEY-1-', 'SWMKEY-2-')],
    ['too short', (k: string) => k.slice(0, -4)],
    ['too long', (k: string) => `${k}AAAA`],
    ['empty body', () => 'SWMKEY-1-'],
    ['empty', () => ''],
  ])('with %s are refused with InvalidUnlockKeyError', (_name, mangle) => {
    const bad = mangle(generateUnlockKey());
    expect(() => parseUnlockKey(bad)).toThrow(InvalidUnlockKeyError);
    expect(() => parseUnlockKey(bad)).toThrow(/invalid key provided/);
  });
});
