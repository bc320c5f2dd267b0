import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InvalidArgumentError, NotFoundError } from '../../proto/shared/errors.ts';
import { normaliseImageName } from './names.ts';
import { ImageStore } from './store.ts';
import { busyboxMissing, makeBusyboxRootfs, run, tarDir } from './testkit.ts';

describe('normaliseImageName', () => {
  it('spells names like Docker', () => {
    expect(normaliseImageName('busybox')).toBe('busybox:latest');
    expect(normaliseImageName('docker.io/library/busybox:1.36')).toBe('busybox:1.36');
    expect(normaliseImageName('busybox:latest@sha256:abc')).toBe('busybox:latest');
    expect(normaliseImageName('localhost:5000/team/app')).toBe('localhost:5000/team/app:latest');
  });
  it('rejects bad names, naming them', () => {
    expect(() => normaliseImageName('Bad Name')).toThrow(/"Bad Name"/);
    expect(() => normaliseImageName('')).toThrow(InvalidArgumentError);
  });
});

const skip = await busyboxMissing();
if (skip) console.log(`skipping image store tests: ${skip}`);

describe.skipIf(skip !== undefined)('ImageStore', () => {
  let tmp: string;
  let store: ImageStore;

  beforeAll(async () => {
    tmp = await mkdtemp(join(tmpdir(), 'shoal-images-test-'));
    store = new ImageStore(join(tmp, 'store'));
  });
  afterAll(async () => {
    await rm(tmp, { recursive: true, force: true });
  });

  it('imports a rootfs tarball and runs busybox from it', async () => {
    const src = join(tmp, 'bb');
    await makeBusyboxRootfs(src, { 'etc/only-in-image': 'hello from the image\n' });
    await tarDir(src, join(tmp, 'bb.tar'));
    expect(await store.import('busybox', join(tmp, 'bb.tar'))).toBe('busybox:latest');
    const rootfs = await store.get('docker.io/library/busybox:latest');
    expect(rootfs).toBeDefined();
    expect(await readFile(join(rootfs ?? '', 'etc/only-in-image'), 'utf8')).toBe('hello from the image\n');
    const { stdout } = await run(join(rootfs ?? '', 'bin/echo'), ['applet works']);
    expect(stdout).toBe('applet works\n');
    expect((await store.list()).map((i) => i.name)).toEqual(['busybox:latest']);
    expect(await store.get('nginx')).toBeUndefined();
  });

  it('imports a docker save archive, applying layers in order with whiteouts', async () => {
    const dir = join(tmp, 'save');
    const l1 = join(tmp, 'l1');
    const l2 = join(tmp, 'l2');
    await mkdir(join(l1, 'etc'), { recursive: true });
    await writeFile(join(l1, 'etc/keep'), 'kept\n');
    await writeFile(join(l1, 'etc/gone'), 'deleted by layer 2\n');
    await writeFile(join(l1, 'etc/changed'), 'old\n');
    await mkdir(join(l1, 'opaque'), { recursive: true });
    await writeFile(join(l1, 'opaque/lower'), 'hidden by opaque\n');
    await mkdir(join(l2, 'etc'), { recursive: true });
    await writeFile(join(l2, 'etc/.wh.gone'), '');
    await writeFile(join(l2, 'etc/changed'), 'new\n');
    await mkdir(join(l2, 'opaque'), { recursive: true });
    await writeFile(join(l2, 'opaque/.wh..wh..opq'), '');
    await writeFile(join(l2, 'opaque/upper'), 'upper\n');
    await mkdir(join(dir, 'aaa'), { recursive: true });
    await mkdir(join(dir, 'bbb'), { recursive: true });
    await tarDir(l1, join(dir, 'aaa/layer.tar'));
    await tarDir(l2, join(dir, 'bbb/layer.tar'));
    await writeFile(
      join(dir, 'manifest.json'),
      JSON.stringify([{ Config: 'c.json', RepoTags: ['app:1'], Layers: ['aaa/layer.tar', 'bbb/layer.tar'] }]),
    );
    await run('tar', ['-cf', join(tmp, 'save.tar'), '-C', dir, 'manifest.json', 'aaa', 'bbb']);

    await store.import('app:1', join(tmp, 'save.tar'));
    const rootfs = (await store.get('app:1')) ?? '';
    expect(await readFile(join(rootfs, 'etc/keep'), 'utf8')).toBe('kept\n');
    expect(await readFile(join(rootfs, 'etc/changed'), 'utf8')).toBe('new\n');
    expect(existsSync(join(rootfs, 'etc/gone'))).toBe(false);
    expect(existsSync(join(rootfs, 'etc/.wh.gone'))).toBe(false);
    expect(existsSync(join(rootfs, 'opaque/lower'))).toBe(false);
    expect(await readFile(join(rootfs, 'opaque/upper'), 'utf8')).toBe('upper\n');
    expect(await store.get('app')).toBeUndefined();

    await store.remove('app:1');
    expect(await store.get('app:1')).toBeUndefined();
    await expect(store.remove('app:1')).rejects.toThrow(NotFoundError);
  });

  it('rejects a missing file, a file that is not a tar, and a bad name, naming each', async () => {
    await expect(store.import('x', join(tmp, 'nope.tar'))).rejects.toThrow(/nope\.tar/);
    await writeFile(join(tmp, 'junk.tar'), 'this is not a tar archive at all\n'.repeat(40));
    const err: unknown = await store.import('x', join(tmp, 'junk.tar')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InvalidArgumentError);
    expect(String(err)).toMatch(/junk\.tar is not a tar archive/);
    await expect(store.import('UPPER/case', join(tmp, 'bb.tar'))).rejects.toThrow(/"UPPER\/case"/);
    expect((await store.list()).map((i) => i.name)).toEqual(['busybox:latest']);
  });
});
