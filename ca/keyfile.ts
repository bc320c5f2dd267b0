/**
 * The node's key file, as swarmkit keeps it: the TLS private key in PEM, with the raft data key (DEK)
 * in PEM headers (`raft-dek`, and `raft-dek-pending` during a DEK rotation). Without autolock the DEK
 * is stored in clear there — the raft data on disk is still encrypted, so deleting the key file erases
 * it. With autolock, the private key is an encrypted PKCS#8 under the key-encryption key (the
 * `SWMKEY-1-` unlock key) and the DEK headers are sealed with AES-256-GCM under it; the unlock key is
 * never written anywhere.
 *
 * Files under `<data root>/certificates/`: `swarm-root-ca.crt`, `swarm-node.crt`, `swarm-node.key`.
 * Every write is atomic (temp file, fsync, rename, fsync of the directory): a crash leaves the old file
 * or the new one, never half of one.
 */
import { createCipheriv, createDecipheriv, createHmac, createPrivateKey, randomBytes } from 'node:crypto';
import { mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { InvalidUnlockKeyError, LockedError, MalformedCredentialError } from './errors.ts';

export interface NodeKeyMaterial {
  /** The TLS private key, plain PKCS#8 PEM (what TLS takes). */
  readonly keyPem: string;
  /** The raft data-encryption key (32 bytes), on managers. */
  readonly dek: Buffer | null;
  /** A DEK being rotated in: new raft data is written with it until the swap. */
  readonly pendingDek: Buffer | null;
}

const HEADER_DEK = 'raft-dek';
const HEADER_PENDING = 'raft-dek-pending';
const HEADER_KEK = 'kek-protected';
/** A short HMAC of the unlock key: tells a wrong key apart from a damaged file. Reveals nothing of the key. */
const HEADER_KEK_CHECK = 'kek-check';

function kekCheck(kek: Buffer): string {
  return createHmac('sha256', kek).update('shoal key file check').digest('hex').slice(0, 16);
}

const PEM_RE =
  /^-----BEGIN ([A-Z ]+)-----\r?\n((?:[A-Za-z0-9-]+: [^\r\n]*\r?\n)*)(?:\r?\n)?([A-Za-z0-9+/=\r\n]+)-----END \1-----\s*$/;

function seal(kek: Buffer, plain: Buffer): string {
  const iv = randomBytes(12);
  const c = createCipheriv('aes-256-gcm', kek, iv);
  const body = Buffer.concat([c.update(plain), c.final()]);
  return Buffer.concat([iv, c.getAuthTag(), body]).toString('base64');
}

function open_(kek: Buffer, sealed: string): Buffer {
  const raw = Buffer.from(sealed, 'base64');
  if (raw.length < 28) throw new InvalidUnlockKeyError();
  const d = createDecipheriv('aes-256-gcm', kek, raw.subarray(0, 12));
  d.setAuthTag(raw.subarray(12, 28));
  try {
    return Buffer.concat([d.update(raw.subarray(28)), d.final()]);
  } catch {
    throw new InvalidUnlockKeyError();
  }
}

/** Writes the key file text; with `kek`, the key and the DEKs are encrypted under it. */
export function encodeKeyFile(m: NodeKeyMaterial, kek: Buffer | null): string {
  const headers: string[] = [];
  let body: string;
  let type: string;
  if (kek) {
    const enc = createPrivateKey(m.keyPem).export({
      type: 'pkcs8',
      format: 'pem',
      cipher: 'aes-256-cbc',
      passphrase: kek,
    });
    body = enc
      .toString()
      .replace(/-----[A-Z ]+-----/g, '')
      .trim();
    type = 'ENCRYPTED PRIVATE KEY';
    headers.push(`${HEADER_KEK}: 1`, `${HEADER_KEK_CHECK}: ${kekCheck(kek)}`);
    if (m.dek) headers.push(`${HEADER_DEK}: ${seal(kek, m.dek)}`);
    if (m.pendingDek) headers.push(`${HEADER_PENDING}: ${seal(kek, m.pendingDek)}`);
  } else {
    body = createPrivateKey(m.keyPem)
      .export({ type: 'pkcs8', format: 'pem' })
      .toString()
      .replace(/-----[A-Z ]+-----/g, '')
      .trim();
    type = 'PRIVATE KEY';
    if (m.dek) headers.push(`${HEADER_DEK}: ${m.dek.toString('base64')}`);
    if (m.pendingDek) headers.push(`${HEADER_PENDING}: ${m.pendingDek.toString('base64')}`);
  }
  const head = headers.length > 0 ? `${headers.join('\n')}\n\n` : '';
  return `-----BEGIN ${type}-----\n${head}${body}\n-----END ${type}-----\n`;
}

interface ParsedPem {
  readonly type: string;
  readonly headers: ReadonlyMap<string, string>;
  readonly body: string;
}

function parsePem(text: string, where: string): ParsedPem {
  const m = PEM_RE.exec(text.trim() + '\n');
  if (!m)
    throw new MalformedCredentialError(`${where}: not a complete PEM private key (truncated or damaged?)`);
  const headers = new Map<string, string>();
  for (const line of (m[2] ?? '').split(/\r?\n/).filter((l) => l !== '')) {
    const i = line.indexOf(': ');
    headers.set(line.slice(0, i), line.slice(i + 2));
  }
  return { type: m[1] ?? '', headers, body: (m[3] ?? '').replace(/\s+/g, '') };
}

/** True when the key file is encrypted under an unlock key (autolock). */
export function isKeyFileLocked(text: string): boolean {
  return /-----BEGIN ENCRYPTED PRIVATE KEY-----/.test(text);
}

function pemOf(type: string, body: string): string {
  return `-----BEGIN ${type}-----\n${(body.match(/.{1,64}/g) ?? []).join('\n')}\n-----END ${type}-----\n`;
}

/**
 * Reads a key file. Throws LockedError when it is encrypted and no unlock key is given,
 * InvalidUnlockKeyError for the wrong one, MalformedCredentialError (naming `where`) when it is
 * truncated or damaged.
 */
export function decodeKeyFile(text: string, kek: Buffer | null, where = 'key file'): NodeKeyMaterial {
  const pem = parsePem(text, where);
  const bytes = (name: string, v: string | undefined): Buffer | null => {
    if (v === undefined) return null;
    const b = Buffer.from(v, 'base64');
    if (b.length !== 32) throw new MalformedCredentialError(`${where}: header ${name} is not a 32-byte key`);
    return b;
  };
  if (pem.type === 'ENCRYPTED PRIVATE KEY') {
    if (!kek) throw new LockedError();
    const check = pem.headers.get(HEADER_KEK_CHECK);
    if (check !== undefined && check !== kekCheck(kek)) throw new InvalidUnlockKeyError();
    // With the key confirmed, anything that fails to open is damage, not a wrong key.
    const damaged = (what: string) => (err: unknown) => {
      if (check !== undefined && err instanceof InvalidUnlockKeyError)
        throw new MalformedCredentialError(`${where}: ${what} cannot be decrypted (truncated or damaged?)`);
      throw err;
    };
    const openHeader = (name: string, v: string | undefined): Buffer | null => {
      if (v === undefined) return null;
      try {
        return open_(kek, v);
      } catch (err) {
        return damaged(`header ${name}`)(err);
      }
    };
    const dek = openHeader(HEADER_DEK, pem.headers.get(HEADER_DEK));
    const pendingDek = openHeader(HEADER_PENDING, pem.headers.get(HEADER_PENDING));
    let keyPem: string;
    try {
      keyPem = createPrivateKey({ key: pemOf(pem.type, pem.body), format: 'pem', passphrase: kek })
        .export({ type: 'pkcs8', format: 'pem' })
        .toString();
    } catch {
      return damaged('the private key')(new InvalidUnlockKeyError());
    }
    return { keyPem, dek, pendingDek };
  }
  if (pem.type !== 'PRIVATE KEY' && pem.type !== 'EC PRIVATE KEY')
    throw new MalformedCredentialError(`${where}: unexpected PEM type ${pem.type}`);
  let keyPem: string;
  try {
    keyPem = createPrivateKey(pemOf(pem.type, pem.body)).export({ type: 'pkcs8', format: 'pem' }).toString();
  } catch {
    throw new MalformedCredentialError(`${where}: the private key cannot be parsed (truncated or damaged?)`);
  }
  return {
    keyPem,
    dek: bytes(HEADER_DEK, pem.headers.get(HEADER_DEK)),
    pendingDek: bytes(HEADER_PENDING, pem.headers.get(HEADER_PENDING)),
  };
}

/** Writes `data` to `path` atomically and durably, mode 0600. */
export async function writeFileAtomic(path: string, data: string | Buffer, mode = 0o600): Promise<void> {
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  const tmp = `${path}.tmp-${randomBytes(4).toString('hex')}`;
  const fh = await open(tmp, 'w', mode);
  try {
    await fh.writeFile(data);
    await fh.sync();
  } finally {
    await fh.close();
  }
  try {
    await rename(tmp, path);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
  const dir = await open(dirname(path), 'r');
  try {
    await dir.sync();
  } finally {
    await dir.close();
  }
}

/** Where a node keeps its certificates. */
export class CertificateDir {
  constructor(readonly dir: string) {}

  get rootPath(): string {
    return join(this.dir, 'swarm-root-ca.crt');
  }
  get certPath(): string {
    return join(this.dir, 'swarm-node.crt');
  }
  get keyPath(): string {
    return join(this.dir, 'swarm-node.key');
  }

  /** Reads root, certificate and key; see decodeKeyFile for the errors. */
  async read(kek: Buffer | null): Promise<{ rootPem: string; certPem: string; key: NodeKeyMaterial }> {
    const [rootPem, certPem, keyText] = await Promise.all([
      readFile(this.rootPath, 'utf8'),
      readFile(this.certPath, 'utf8'),
      readFile(this.keyPath, 'utf8'),
    ]);
    return { rootPem, certPem, key: decodeKeyFile(keyText, kek, this.keyPath) };
  }

  /** The root and the node certificate (readable even while the key file is locked). */
  async readCertificates(): Promise<{ rootPem: string; certPem: string }> {
    const [rootPem, certPem] = await Promise.all([
      readFile(this.rootPath, 'utf8'),
      readFile(this.certPath, 'utf8'),
    ]);
    return { rootPem, certPem };
  }

  async isLocked(): Promise<boolean> {
    return isKeyFileLocked(await readFile(this.keyPath, 'utf8'));
  }

  /** Writes the key first, then the certificate, then the root, each atomically. */
  async write(rootPem: string, certPem: string, key: NodeKeyMaterial, kek: Buffer | null): Promise<void> {
    await writeFileAtomic(this.keyPath, encodeKeyFile(key, kek));
    await writeFileAtomic(this.certPath, certPem, 0o644);
    await writeFileAtomic(this.rootPath, rootPem, 0o644);
  }

  async writeKey(key: NodeKeyMaterial, kek: Buffer | null): Promise<void> {
    await writeFileAtomic(this.keyPath, encodeKeyFile(key, kek));
  }
}
