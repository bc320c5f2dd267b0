/**
 * A manager's data-encryption key (DEK) and autolock, on top of the key file (keyfile.ts).
 *
 * - Every manager has its own random 32-byte DEK encrypting its raft log and snapshots; it lives in the
 *   `raft-dek` header of the node's key file.
 * - Autolock on: a new unlock key (`SWMKEY-1-…`, the key-encryption key) encrypts the TLS key and the
 *   DEK headers, and the DEK is rotated: the new one is written as `raft-dek-pending`, the caller
 *   re-encrypts the raft data with it, then `commitPendingDek()` makes it the DEK.
 * - A manager restarted with autolock on is locked: `open()` without the unlock key throws LockedError
 *   and nothing may start until `open()` succeeds with the right key (InvalidUnlockKeyError otherwise).
 */
import { createHash, randomBytes } from 'node:crypto';
import { LockedError } from './errors.ts';
import type { CertificateDir, NodeKeyMaterial } from './keyfile.ts';
import { generateUnlockKey, parseUnlockKey } from './tokens.ts';

/** A raft storage key: the DEK and an id derived from it (stored in each record's header). */
export interface DataKey {
  readonly id: string;
  readonly key: Buffer;
}

export function dataKeyOf(dek: Buffer): DataKey {
  return { id: `dek-${createHash('sha256').update(dek).digest('hex').slice(0, 12)}`, key: dek };
}

export class ManagerKeys {
  private constructor(
    private readonly dir: CertificateDir,
    private material: NodeKeyMaterial,
    private kek: Buffer | null,
  ) {}

  /**
   * Opens the key file. With autolock on, `unlockKey` is required (LockedError without it,
   * InvalidUnlockKeyError when wrong). Creates a DEK if the node has none yet (a new manager).
   */
  static async open(dir: CertificateDir, unlockKey?: string): Promise<ManagerKeys> {
    const locked = await dir.isLocked();
    if (locked && unlockKey === undefined) throw new LockedError();
    const kek = locked && unlockKey !== undefined ? parseUnlockKey(unlockKey) : null;
    const { key } = await dir.read(kek);
    const keys = new ManagerKeys(dir, key, kek);
    if (!key.dek) await keys.save({ ...key, dek: randomBytes(32) });
    return keys;
  }

  /** True while autolock protects the key file. */
  get autolocked(): boolean {
    return this.kek !== null;
  }

  /** True when the key file is encrypted under exactly this unlock key. */
  usesUnlockKey(unlockKey: string): boolean {
    return this.kek !== null && this.kek.equals(parseUnlockKey(unlockKey));
  }

  /** The key the raft storage must be opened with. */
  dataKey(): DataKey {
    if (!this.material.dek) throw new Error('ca: no DEK');
    return dataKeyOf(this.material.dek);
  }

  /** The DEK being rotated in, if a rotation was interrupted (re-encrypt with it, then commit). */
  pendingDataKey(): DataKey | null {
    return this.material.pendingDek ? dataKeyOf(this.material.pendingDek) : null;
  }

  /**
   * Turns autolock on with `unlockKey` (a fresh one when omitted) and starts a DEK rotation. Returns the
   * unlock key and the new data key: re-encrypt the raft data with it, then call commitPendingDek().
   */
  async enableAutolock(
    unlockKey: string = generateUnlockKey(),
  ): Promise<{ unlockKey: string; pending: DataKey }> {
    this.kek = parseUnlockKey(unlockKey);
    const pendingDek = randomBytes(32);
    await this.save({ ...this.material, pendingDek });
    return { unlockKey, pending: dataKeyOf(pendingDek) };
  }

  /** Finishes a DEK rotation: the pending key becomes the DEK. */
  async commitPendingDek(): Promise<void> {
    if (!this.material.pendingDek) return;
    await this.save({ ...this.material, dek: this.material.pendingDek, pendingDek: null });
  }

  /** Re-encrypts the key file under a new unlock key (`swarm unlock-key --rotate`). */
  async rotateUnlockKey(unlockKey: string = generateUnlockKey()): Promise<string> {
    if (!this.kek) throw new Error('ca: autolock is off; there is no unlock key to rotate');
    this.kek = parseUnlockKey(unlockKey);
    await this.save(this.material);
    return unlockKey;
  }

  /** Turns autolock off: the key file is stored in clear again. */
  async disableAutolock(): Promise<void> {
    this.kek = null;
    await this.save(this.material);
  }

  /** The TLS private key (PKCS#8 PEM). */
  keyPem(): string {
    return this.material.keyPem;
  }

  private async save(m: NodeKeyMaterial): Promise<void> {
    await this.dir.writeKey(m, this.kek);
    this.material = m;
  }
}
