/**
 * Join tokens and unlock keys in Swarm's formats (swarmkit `ca/config.go`, `manager/encryption`):
 * `SWMTKN-1-<50 base-36 digits of sha256(root CA PEM)>-<25 base-36 digits of 16 random bytes>` and
 * `SWMKEY-1-<32 random bytes, unpadded base64>`.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { InvalidJoinTokenError, InvalidUnlockKeyError, RootCaMismatchError } from './errors.ts';

const TOKEN_PREFIX = 'SWMTKN';
const TOKEN_VERSION = '1';
const DIGEST_LENGTH = 50;
const SECRET_LENGTH = 25;

function base36(bytes: Uint8Array, length: number): string {
  return BigInt(`0x${Buffer.from(bytes).toString('hex') || '0'}`)
    .toString(36)
    .padStart(length, '0');
}

/** The 50-character base-36 digest of a root CA bundle, as pinned in join tokens. */
export function rootCaDigest(rootPem: string): string {
  return base36(createHash('sha256').update(rootPem).digest(), DIGEST_LENGTH);
}

export interface ParsedJoinToken {
  readonly digest: string;
  readonly secret: string;
}

/** A new token for the given root: the same digest for both roles, a fresh secret. */
export function generateJoinToken(rootPem: string): string {
  return `${TOKEN_PREFIX}-${TOKEN_VERSION}-${rootCaDigest(rootPem)}-${base36(randomBytes(16), SECRET_LENGTH)}`;
}

/** Parses a token; throws InvalidJoinTokenError naming what is malformed. */
export function parseJoinToken(token: string): ParsedJoinToken {
  const parts = token.trim().split('-');
  if (parts.length !== 4 || parts[0] !== TOKEN_PREFIX)
    throw new InvalidJoinTokenError('want SWMTKN-1-<digest>-<secret>');
  if (parts[1] !== TOKEN_VERSION)
    throw new InvalidJoinTokenError(`unsupported version ${JSON.stringify(parts[1])}`);
  const [, , digest = '', secret = ''] = parts;
  if (!/^[0-9a-z]{50}$/.test(digest))
    throw new InvalidJoinTokenError('the CA digest must be 50 base-36 characters');
  if (!/^[0-9a-z]{25}$/.test(secret))
    throw new InvalidJoinTokenError('the secret must be 25 base-36 characters');
  return { digest, secret };
}

/** Checks the root CA a manager sent against the digest pinned in the token. */
export function checkRootAgainstToken(token: string, rootPem: string): void {
  const { digest } = parseJoinToken(token);
  const got = rootCaDigest(rootPem);
  if (got !== digest) throw new RootCaMismatchError(digest, got);
}

/** Constant-time comparison of two tokens. */
export function tokensEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  const same = x.length === y.length;
  return timingSafeEqual(same ? x : y, y) && same;
}

/**
 * Which role a presented token grants, comparing (in constant time) with the manager token, then the
 * worker token. Throws InvalidJoinTokenError for a malformed, rotated-away or foreign token.
 */
export function roleForToken(
  token: string,
  current: { manager: string; worker: string },
): 'manager' | 'worker' {
  token = token.trim();
  parseJoinToken(token);
  const manager = tokensEqual(token, current.manager);
  const worker = tokensEqual(token, current.worker);
  if (manager) return 'manager';
  if (worker) return 'worker';
  const { digest } = parseJoinToken(current.worker);
  if (parseJoinToken(token).digest !== digest)
    throw new InvalidJoinTokenError('it is for a different swarm (or a rotated root CA)');
  throw new InvalidJoinTokenError('it is not the current worker or manager token (was it rotated?)');
}

const UNLOCK_PREFIX = 'SWMKEY-1-';

/** A new unlock key (the key-encryption key for autolock). */
export function generateUnlockKey(): string {
  return UNLOCK_PREFIX + randomBytes(32).toString('base64').replace(/=+$/, '');
}

/** The 32 key bytes of an unlock key; throws InvalidUnlockKeyError when malformed. */
export function parseUnlockKey(key: string): Buffer {
  const k = key.trim();
  if (!k.startsWith(UNLOCK_PREFIX)) throw new InvalidUnlockKeyError();
  const raw = Buffer.from(k.slice(UNLOCK_PREFIX.length), 'base64');
  if (raw.length !== 32) throw new InvalidUnlockKeyError();
  return raw;
}
