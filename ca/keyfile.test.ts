import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, stat, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { dataKeyOf, ManagerKeys } from './dek.ts';
import { InvalidUnlockKeyError, LockedError, MalformedCredentialError } from './errors.ts';
import {
  CertificateDir,
  decodeKeyFile,
  encodeKeyFile,
  isKeyFileLocked,
  writeFileAtomic,
  type NodeKeyMaterial,
} from './keyfile.ts';
import { generateUnlockKey, parseUnlockKey } from './tokens.ts';

function newKeyPem(): string {
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
}

/** The base64 body of a PEM, without its armour and line breaks. */
function pemBody(pem: string): string {
  return pem.replace(/-----[A-Z ]+-----/g, '').replace(/\s+/g, '');
}

const keyPem = newKeyPem();
const dek = randomBytes(32);
const pendingDek = randomBytes(32);
const kek = parseUnlockKey(generateUnlockKey());

const plainOnly: NodeKeyMaterial = { keyPem, dek: null, pendingDek: null };
const withDek: NodeKeyMaterial = { keyPem, dek, pendingDek: null };
const withBoth: NodeKeyMaterial = { keyPem, dek, pendingDek };

const ROOT_PEM = '-----BEGIN CERTIFICATE-----\nroot\n-----END CERTIFICATE-----\n';
const CERT_PEM = '-----BEGIN CERTIFICATE-----\nnode\n-----END CERTIFICATE-----\n';

let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'shoal-keyfile-'));
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('key file encoding, autolock off', () => {
  it.each([
    ['no DEK', plainOnly],
    ['a DEK', withDek],
    ['a DEK and a pending DEK', withBoth],
  ])('round-trips a key with %s', (_name, m) => {
    const text = encodeKeyFile(m, null);
    expect(text).toMatch(/^-----BEGIN PRIVATE KEY-----\n/);
    expect(isKeyFileLocked(text)).toBe(false);
    expect(decodeKeyFile(text, null)).toEqual(m);
  });

  it('keeps the DEKs in clear in the raft-dek headers', () => {
    const text = encodeKeyFile(withBoth, null);
    expect(text).toContain(`raft-dek: ${dek.toString('base64')}\n`);
    expect(text).toContain(`raft-dek-pending: ${pendingDek.toString('base64')}\n`);
    expect(encodeKeyFile(plainOnly, null)).not.toContain('raft-dek');
  });

  it('reads a SEC1 "EC PRIVATE KEY" file and returns PKCS#8', () => {
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const sec1 = privateKey.export({ type: 'sec1', format: 'pem' }).toString();
    const pkcs8 = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    expect(decodeKeyFile(sec1, null).keyPem).toBe(pkcs8);
  });

  it('ignores an unlock key given for a file that is not locked', () => {
    expect(decodeKeyFile(encodeKeyFile(withDek, null), kek)).toEqual(withDek);
  });
});

describe('key file encoding, autolock on', () => {
  it.each([
    ['no DEK', plainOnly],
    ['a DEK', withDek],
    ['a DEK and a pending DEK', withBoth],
  ])('round-trips a key with %s under the unlock key', (_name, m) => {
    const text = encodeKeyFile(m, kek);
    expect(isKeyFileLocked(text)).toBe(true);
    expect(decodeKeyFile(text, kek)).toEqual(m);
  });

  it('writes an encrypted key, and neither the key nor the DEKs in clear', () => {
    const text = encodeKeyFile(withBoth, kek);
    expect(text).toContain('-----BEGIN ENCRYPTED PRIVATE KEY-----');
    expect(text).toContain('-----END ENCRYPTED PRIVATE KEY-----');
    expect(text).toContain('kek-protected: 1');
    expect(text).toMatch(/^raft-dek: /m);
    expect(text).toMatch(/^raft-dek-pending: /m);
    const flat = text.replace(/\s+/g, '');
    for (const secret of [dek, pendingDek, kek]) {
      expect(flat).not.toContain(secret.toString('hex'));
      expect(flat).not.toContain(secret.toString('base64'));
      expect(flat).not.toContain(secret.toString('base64').slice(0, 24));
    }
    expect(flat).not.toContain(pemBody(keyPem));
    expect(flat).not.toContain(pemBody(keyPem).slice(-40));
  });

  it('encrypts with a fresh IV each time', () => {
    expect(encodeKeyFile(withDek, kek)).not.toBe(encodeKeyFile(withDek, kek));
  });

  it('stays locked without the unlock key', () => {
    const text = encodeKeyFile(withBoth, kek);
    expect(() => decodeKeyFile(text, null)).toThrow(LockedError);
    expect(() => decodeKeyFile(text, null)).toThrow(/docker swarm unlock/);
  });

  it.each([
    ['no DEK', plainOnly],
    ['a DEK', withDek],
  ])('refuses the wrong unlock key (file with %s)', (_name, m) => {
    const text = encodeKeyFile(m, kek);
    const wrong = parseUnlockKey(generateUnlockKey());
    expect(() => decodeKeyFile(text, wrong)).toThrow(InvalidUnlockKeyError);
    expect(() => decodeKeyFile(text, wrong)).toThrow(/invalid key provided/);
  });
});

describe('damaged key files', () => {
  const expectMalformed = (text: string, key: Buffer | null): void => {
    let thrown: unknown;
    try {
      decodeKeyFile(text, key, '/data/certificates/swarm-node.key');
    } catch (err) {
      thrown = err;
    }
    expect(thrown, `decoding ${JSON.stringify(text)}`).toBeInstanceOf(MalformedCredentialError);
    expect((thrown as Error).message).toMatch(/^\/data\/certificates\/swarm-node\.key: /);
  };

  it.each([
    ['a plain file', withBoth, null],
    ['a locked file', withBoth, kek],
  ])('refuses %s truncated at any point, naming the file', (_name, m, key) => {
    const text = encodeKeyFile(m, key);
    // Every cut except the final newline, which a reader may legitimately lose.
    for (let cut = 0; cut < text.length - 1; cut++) expectMalformed(text.slice(0, cut), key);
    // A locked file cut short is damaged, not merely locked.
    for (let cut = 0; cut < text.length - 1; cut += 37) expectMalformed(text.slice(0, cut), null);
  });

  it('refuses garbage and empty files', () => {
    expectMalformed('', null);
    expectMalformed('not a key', null);
    expectMalformed(randomBytes(300).toString('binary'), null);
    expectMalformed(randomBytes(300).toString('base64'), kek);
  });

  it('refuses a PEM of another type', () => {
    expectMalformed(CERT_PEM, null);
    expect(() => decodeKeyFile(CERT_PEM, null)).toThrow(/unexpected PEM type CERTIFICATE/);
  });

  it('refuses a plain key whose body lost a piece in the middle', () => {
    const text = encodeKeyFile(withDek, null);
    const at = text.indexOf('\n\n') + 20;
    expectMalformed(text.slice(0, at) + text.slice(at + 8), null);
    expect(() => decodeKeyFile(text.slice(0, at) + text.slice(at + 8), null)).toThrow(
      /the private key cannot be parsed/,
    );
  });

  it('with the right unlock key, a damaged locked file is reported as damaged, not as a wrong key', () => {
    const text = encodeKeyFile(withBoth, kek);
    const at = text.indexOf('\n\n') + 40;
    const cut = text.slice(0, at) + text.slice(at + 8);
    expect(() => decodeKeyFile(cut, kek)).toThrow(MalformedCredentialError);
    expect(() => decodeKeyFile(cut, kek)).toThrow(/the private key cannot be decrypted/);
    const sealed = /raft-dek: (\S+)/.exec(text)?.[1] ?? '';
    const badHeader = text.replace(sealed, `${sealed.slice(0, 20)}AAAA${sealed.slice(24)}`);
    expect(() => decodeKeyFile(badHeader, kek)).toThrow(/header raft-dek cannot be decrypted/);
    // and a wrong key is still a wrong key
    expect(() => decodeKeyFile(cut, parseUnlockKey(generateUnlockKey()))).toThrow(InvalidUnlockKeyError);
  });

  it('refuses a DEK header that is not 32 bytes', () => {
    const text = encodeKeyFile(withDek, null).replace(
      `raft-dek: ${dek.toString('base64')}`,
      `raft-dek: ${dek.subarray(0, 16).toString('base64')}`,
    );
    expectMalformed(text, null);
    expect(() => decodeKeyFile(text, null)).toThrow(/header raft-dek is not a 32-byte key/);
  });
});

describe('writeFileAtomic', () => {
  it('writes the file with mode 0600, creating missing directories, and leaves no temp file', async () => {
    const path = join(dir, 'a', 'b', 'file');
    await writeFileAtomic(path, 'hello');
    expect(await readFile(path, 'utf8')).toBe('hello');
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    expect(await readdir(join(dir, 'a', 'b'))).toEqual(['file']);
  });

  it('replaces an existing file whole, with the new mode, many times over', async () => {
    const path = join(dir, 'file');
    await writeFile(path, 'old content that is longer', { mode: 0o666 });
    for (let i = 0; i < 20; i++) await writeFileAtomic(path, Buffer.from(`v${i}`), 0o644);
    expect(await readFile(path, 'utf8')).toBe('v19');
    expect((await stat(path)).mode & 0o777).toBe(0o644);
    expect(await readdir(dir)).toEqual(['file']);
  });

  it('leaves no temp file when the rename fails', async () => {
    const path = join(dir, 'target');
    await mkdir(join(path, 'occupied'), { recursive: true });
    await expect(writeFileAtomic(path, 'x')).rejects.toThrow();
    expect(await readdir(dir)).toEqual(['target']);
  });
});

describe('CertificateDir', () => {
  it('writes root, certificate and key in Swarm file names and reads them back', async () => {
    const certs = new CertificateDir(join(dir, 'certificates'));
    await certs.write(ROOT_PEM, CERT_PEM, withBoth, null);
    expect((await readdir(certs.dir)).sort()).toEqual([
      'swarm-node.crt',
      'swarm-node.key',
      'swarm-root-ca.crt',
    ]);
    expect(await certs.read(null)).toEqual({ rootPem: ROOT_PEM, certPem: CERT_PEM, key: withBoth });
    expect(await certs.isLocked()).toBe(false);
  });

  it('keeps the key private (0600) and the certificates readable (0644)', async () => {
    const certs = new CertificateDir(join(dir, 'certificates'));
    await certs.write(ROOT_PEM, CERT_PEM, withDek, null);
    expect((await stat(certs.keyPath)).mode & 0o777).toBe(0o600);
    expect((await stat(certs.certPath)).mode & 0o777).toBe(0o644);
    expect((await stat(certs.rootPath)).mode & 0o777).toBe(0o644);
    expect((await stat(certs.dir)).mode & 0o077).toBe(0);
  });

  it('locks the key file under an unlock key, and reads it only with that key', async () => {
    const certs = new CertificateDir(dir);
    await certs.write(ROOT_PEM, CERT_PEM, withBoth, kek);
    expect(await certs.isLocked()).toBe(true);
    await expect(certs.read(null)).rejects.toThrow(LockedError);
    await expect(certs.read(parseUnlockKey(generateUnlockKey()))).rejects.toThrow(InvalidUnlockKeyError);
    expect((await certs.read(kek)).key).toEqual(withBoth);
  });

  it('names the key file when it is damaged', async () => {
    const certs = new CertificateDir(dir);
    await certs.write(ROOT_PEM, CERT_PEM, withDek, null);
    const text = await readFile(certs.keyPath, 'utf8');
    await writeFile(certs.keyPath, text.slice(0, text.length / 2));
    await expect(certs.read(null)).rejects.toThrow(MalformedCredentialError);
    await expect(certs.read(null)).rejects.toThrow(certs.keyPath);
  });

  it('rewrites only the key with writeKey', async () => {
    const certs = new CertificateDir(dir);
    await certs.write(ROOT_PEM, CERT_PEM, withDek, null);
    await certs.writeKey(withBoth, kek);
    const back = await certs.read(kek);
    expect(back).toEqual({ rootPem: ROOT_PEM, certPem: CERT_PEM, key: withBoth });
    expect((await readdir(dir)).sort()).toEqual(['swarm-node.crt', 'swarm-node.key', 'swarm-root-ca.crt']);
  });
});

describe('ManagerKeys', () => {
  const certsWith = async (m: NodeKeyMaterial): Promise<CertificateDir> => {
    const certs = new CertificateDir(dir);
    await certs.write(ROOT_PEM, CERT_PEM, m, null);
    return certs;
  };

  it('derives a stable key id from the DEK', () => {
    expect(dataKeyOf(dek)).toEqual(dataKeyOf(Buffer.from(dek)));
    expect(dataKeyOf(dek).id).toMatch(/^dek-[0-9a-f]{12}$/);
    expect(dataKeyOf(dek).id).not.toBe(dataKeyOf(pendingDek).id);
  });

  it('gives a new manager a DEK and keeps it across restarts', async () => {
    const certs = await certsWith(plainOnly);
    const keys = await ManagerKeys.open(certs);
    const first = keys.dataKey();
    expect(first.key).toHaveLength(32);
    expect(keys.autolocked).toBe(false);
    expect(keys.pendingDataKey()).toBeNull();
    expect(keys.keyPem()).toBe(keyPem);
    expect((await certs.read(null)).key.dek).toEqual(first.key);
    expect((await ManagerKeys.open(certs)).dataKey()).toEqual(first);
  });

  it('uses the DEK already in the key file', async () => {
    const keys = await ManagerKeys.open(await certsWith(withDek));
    expect(keys.dataKey()).toEqual(dataKeyOf(dek));
  });

  it('turning autolock on locks the key file and rotates the DEK through a pending key', async () => {
    const certs = await certsWith(withDek);
    const keys = await ManagerKeys.open(certs);
    const { unlockKey, pending } = await keys.enableAutolock();
    expect(unlockKey).toMatch(/^SWMKEY-1-/);
    expect(keys.autolocked).toBe(true);
    expect(await certs.isLocked()).toBe(true);
    expect(pending.id).not.toBe(dataKeyOf(dek).id);
    expect(keys.dataKey()).toEqual(dataKeyOf(dek));
    expect(keys.pendingDataKey()).toEqual(pending);
    // A restart in the middle of the rotation finds the pending key again.
    const reopened = await ManagerKeys.open(certs, unlockKey);
    expect(reopened.pendingDataKey()).toEqual(pending);
    await keys.commitPendingDek();
    expect(keys.dataKey()).toEqual(pending);
    expect(keys.pendingDataKey()).toBeNull();
    await expect(ManagerKeys.open(certs)).rejects.toThrow(LockedError);
    const afterCommit = await ManagerKeys.open(certs, unlockKey);
    expect(afterCommit.dataKey()).toEqual(pending);
    expect(afterCommit.pendingDataKey()).toBeNull();
  });

  it('turning autolock off stores the key file in clear again, DEK unchanged', async () => {
    const certs = await certsWith(withDek);
    const keys = await ManagerKeys.open(certs);
    await keys.enableAutolock();
    await keys.commitPendingDek();
    const current = keys.dataKey();
    await keys.disableAutolock();
    expect(keys.autolocked).toBe(false);
    expect(await certs.isLocked()).toBe(false);
    expect((await ManagerKeys.open(certs)).dataKey()).toEqual(current);
  });

  it('cannot rotate an unlock key while autolock is off', async () => {
    const keys = await ManagerKeys.open(await certsWith(withDek));
    await expect(keys.rotateUnlockKey()).rejects.toThrow(/autolock is off/);
  });
});
