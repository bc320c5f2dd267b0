/**
 * Record sealing: AES-256-GCM with a random 96-bit nonce per record. A sealed value is
 *
 *   version(1) | keyIdLength(1) | keyId(UTF-8) | nonce(12) | ciphertext | tag(16)
 *
 * and its AAD is keyLength(1) | LevelDB key | the header up to the ciphertext, so the tag covers the
 * record's place (an entry cannot be swapped for another), the key id and the nonce. The tag doubles
 * as the checksum: a torn, truncated or bit-flipped value fails to open.
 */
import {
  createCipheriv,
  createDecipheriv,
  createSecretKey,
  randomFillSync,
  type KeyObject,
} from 'node:crypto';
import { CorruptRecordError, StorageOptionError, WrongKeyError } from './errors.ts';
import type { EncryptionKey } from './types.ts';

const FORMAT_VERSION = 1;
const KEY_BYTES = 32;
const NONCE_BYTES = 12;
const TAG_BYTES = 16;
const MAX_KEY_ID_BYTES = 255;
/** Nonces are drawn from a pool refilled by one randomFillSync call, not one call per record. */
const NONCE_POOL_BYTES = NONCE_BYTES * 1024;

/** What a failed authentication means: a damaged record, or (for the key check) a wrong key. */
export type AuthFailure = 'corrupt' | 'wrongKey';

interface SealingKey {
  readonly id: string;
  readonly idBytes: Buffer;
  readonly secret: KeyObject;
}

function sealingKey(k: EncryptionKey): SealingKey {
  if (typeof k.id !== 'string' || k.id === '')
    throw new StorageOptionError('key.id', k.id, 'a non-empty string');
  const idBytes = Buffer.from(k.id, 'utf8');
  if (idBytes.length > MAX_KEY_ID_BYTES) {
    throw new StorageOptionError('key.id', k.id, `at most ${MAX_KEY_ID_BYTES} bytes of UTF-8`);
  }
  if (!(k.key instanceof Uint8Array) || k.key.byteLength !== KEY_BYTES) {
    throw new StorageOptionError('key.key', `${k.key?.byteLength ?? 'no'} bytes`, `${KEY_BYTES} bytes`);
  }
  return { id: k.id, idBytes, secret: createSecretKey(k.key) };
}

/** Seals records with one key and opens records sealed with any of the given keys. */
export class RecordSealer {
  private readonly writeKey: SealingKey;
  private readonly readKeys: ReadonlyMap<string, SealingKey>;
  private readonly pool = Buffer.allocUnsafe(NONCE_POOL_BYTES);
  private poolOffset = NONCE_POOL_BYTES;

  /**
   * @param dir names the database in error messages.
   * @param key seals every new record and opens records sealed with it.
   * @param previousKeys only open records (those sealed before a key rotation).
   */
  constructor(
    private readonly dir: string,
    key: EncryptionKey,
    previousKeys: readonly EncryptionKey[] = [],
  ) {
    this.writeKey = sealingKey(key);
    const read = new Map<string, SealingKey>();
    for (const k of previousKeys) read.set(k.id, sealingKey(k));
    read.set(key.id, this.writeKey);
    this.readKeys = read;
  }

  /** The id of the key new records are sealed with. */
  get keyId(): string {
    return this.writeKey.id;
  }

  /** Seals the concatenation of `parts` as the value stored under `key`. */
  seal(key: Buffer, parts: readonly Uint8Array[]): Buffer {
    const k = this.writeKey;
    const header = Buffer.allocUnsafe(2 + k.idBytes.length + NONCE_BYTES);
    header[0] = FORMAT_VERSION;
    header[1] = k.idBytes.length;
    k.idBytes.copy(header, 2);
    const nonce = this.nextNonce();
    nonce.copy(header, 2 + k.idBytes.length);
    const cipher = createCipheriv('aes-256-gcm', k.secret, nonce, { authTagLength: TAG_BYTES });
    cipher.setAAD(aad(key, header));
    const out: Buffer[] = [header];
    for (const p of parts) out.push(cipher.update(p));
    out.push(cipher.final(), cipher.getAuthTag());
    return Buffer.concat(out);
  }

  /**
   * The plaintext of the value stored under `key`. Throws CorruptRecordError (naming `record`) when the
   * value is malformed or fails authentication — or WrongKeyError when `onAuthFailure` is 'wrongKey' —
   * and WrongKeyError when it was sealed with a key that was not given.
   */
  open(
    key: Buffer,
    value: Buffer,
    record: string,
    index: number | null,
    onAuthFailure: AuthFailure = 'corrupt',
  ): Buffer {
    const corrupt = (reason: string, cause?: unknown): CorruptRecordError =>
      new CorruptRecordError(this.dir, record, reason, index, cause === undefined ? undefined : { cause });
    if (value.length < 2) throw corrupt(`value of ${value.length} bytes is shorter than a header`);
    if (value[0] !== FORMAT_VERSION) throw corrupt(`unknown record format ${value[0]}`);
    const idLength = value[1] as number;
    const headerLength = 2 + idLength + NONCE_BYTES;
    if (idLength === 0 || value.length < headerLength + TAG_BYTES) {
      throw corrupt(`value of ${value.length} bytes is shorter than its header and tag`);
    }
    const keyId = value.toString('utf8', 2, 2 + idLength);
    const k = this.readKeys.get(keyId);
    if (k === undefined) throw new WrongKeyError(this.dir, keyId, [...this.readKeys.keys()], record);
    const header = value.subarray(0, headerLength);
    const decipher = createDecipheriv('aes-256-gcm', k.secret, value.subarray(2 + idLength, headerLength), {
      authTagLength: TAG_BYTES,
    });
    decipher.setAAD(aad(key, header));
    decipher.setAuthTag(value.subarray(value.length - TAG_BYTES));
    const body = decipher.update(value.subarray(headerLength, value.length - TAG_BYTES));
    try {
      const tail = decipher.final();
      return tail.length === 0 ? body : Buffer.concat([body, tail]);
    } catch (err) {
      if (onAuthFailure === 'wrongKey') throw new WrongKeyError(this.dir, keyId, [keyId], record);
      throw corrupt('authentication failed', err);
    }
  }

  private nextNonce(): Buffer {
    if (this.poolOffset + NONCE_BYTES > this.pool.length) {
      randomFillSync(this.pool);
      this.poolOffset = 0;
    }
    const n = this.pool.subarray(this.poolOffset, this.poolOffset + NONCE_BYTES);
    this.poolOffset += NONCE_BYTES;
    return n;
  }
}

function aad(key: Buffer, header: Buffer): Buffer {
  return Buffer.concat([Buffer.from([key.length]), key, header]);
}
