/**
 * The overlay encryption key set, as pure functions: Swarm's key manager keeps three keys per
 * subsystem — previous, current, next — so every node already holds the next key before it becomes
 * current, and still accepts the previous one while the rotation spreads.
 *
 * A set is ordered oldest first. A rotation drops the oldest key and appends a fresh one: the old
 * "next" becomes current. Each key carries a lamport time one above the newest before it, taken from
 * the clock the cluster object keeps, so the order survives a change of leader.
 */
import type { EncryptionKey__Output } from '../../proto/gen/shoal/api/EncryptionKey.ts';

/** The subsystem of the overlay (IPsec ESP between VTEPs) keys. */
export const OVERLAY_SUBSYSTEM = 'networking:overlay';
/** AES-GCM with a 128-bit key (as Swarm's IPsec keys). */
export const OVERLAY_ALGORITHM = 'aes-128-gcm';
/** Key length in bytes for {@link OVERLAY_ALGORITHM}. */
export const KEY_BYTES = 16;
/** Keys kept: previous, current, next. */
export const KEYRING_SIZE = 3;

/** Random bytes (node:crypto's randomBytes in production; seeded in tests). */
export type RandomBytes = (n: number) => Buffer;

export interface KeySet {
  readonly keys: readonly EncryptionKey__Output[];
  /** The lamport time of the newest key handed out. */
  readonly lamportClock: number;
}

function newKey(random: RandomBytes, lamportTime: number): EncryptionKey__Output {
  const key = random(KEY_BYTES);
  if (key.length !== KEY_BYTES)
    throw new Error(`keymanager: random gave ${key.length} bytes, not ${KEY_BYTES}`);
  return { subsystem: OVERLAY_SUBSYSTEM, algorithm: OVERLAY_ALGORITHM, key, lamportTime };
}

/** The overlay keys of `keys` (other subsystems' keys are kept apart), oldest first. */
export function overlayKeys(keys: readonly EncryptionKey__Output[]): EncryptionKey__Output[] {
  return keys.filter((k) => k.subsystem === OVERLAY_SUBSYSTEM).sort((a, b) => a.lamportTime - b.lamportTime);
}

/** A full set of fresh keys (the first leader, or a set found incomplete). */
export function initialKeys(clock: number, random: RandomBytes): KeySet {
  const keys: EncryptionKey__Output[] = [];
  for (let i = 1; i <= KEYRING_SIZE; i++) keys.push(newKey(random, clock + i));
  return { keys, lamportClock: clock + KEYRING_SIZE };
}

/**
 * One rotation: drops the oldest overlay key and appends a new one (filling the set up when it has
 * fewer than {@link KEYRING_SIZE}). Keys of other subsystems are left as they are.
 */
export function rotate(s: KeySet, random: RandomBytes): KeySet {
  const clock = Math.max(s.lamportClock, ...s.keys.map((k) => k.lamportTime));
  const overlay = overlayKeys(s.keys);
  if (overlay.length === 0) {
    const fresh = initialKeys(clock, random);
    return { keys: [...s.keys, ...fresh.keys], lamportClock: fresh.lamportClock };
  }
  const others = s.keys.filter((k) => k.subsystem !== OVERLAY_SUBSYSTEM);
  const kept = [...overlay];
  let next = clock;
  do kept.push(newKey(random, ++next));
  while (kept.length < KEYRING_SIZE);
  return { keys: [...others, ...kept.slice(-KEYRING_SIZE)], lamportClock: next };
}

/** The key nodes encrypt with: the middle of previous/current/next, or the newest of a shorter set. */
export function currentKey(keys: readonly EncryptionKey__Output[]): EncryptionKey__Output | undefined {
  const overlay = overlayKeys(keys);
  return overlay.length >= KEYRING_SIZE ? overlay[overlay.length - 2] : overlay.at(-1);
}
