/**
 * The local image store of the process engine: root filesystems imported from tarballs, one directory
 * per image (`<root>/<safe name>/rootfs`, plus `image.json` with the name and import time). Imports are
 * atomic: everything is unpacked into a temporary directory under `<root>` and renamed into place, so
 * `get` never returns a half-unpacked rootfs, and re-importing a name replaces the old rootfs in one step.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { InvalidArgumentError, NotFoundError } from '../../proto/shared/errors.ts';
import { applyChanges, EMPTY_IMAGE_CONFIG, readSavedConfig, type ImageConfig } from './config.ts';
import { applyLayer, readManifestLayers } from './layers.ts';
import { normaliseImageName, safeDirName } from './names.ts';
import { extractTar, listTar } from './tar.ts';

/** What `list` reports of one imported image. */
export interface ImageInfo {
  /** Canonical name (`busybox:latest`). */
  readonly name: string;
  readonly rootfs: string;
  readonly importedAt: Date;
}

interface ImageJson {
  readonly name: string;
  readonly importedAt: string;
  readonly config?: ImageConfig;
}

const TMP_PREFIX = '.tmp-';

export class ImageStore {
  /** @param root directory owned by this store (created on first import). */
  constructor(readonly root: string) {}

  /**
   * Imports `tarballPath` under `name`: either a tarball of a root filesystem, or a `docker save`
   * archive (manifest.json plus layer tarballs, applied in order with whiteouts).
   * @returns the canonical name.
   * @throws InvalidArgumentError for a bad name, a missing file, or a file that is not a tar archive.
   */
  async import(name: string, tarballPath: string, o: { changes?: readonly string[] } = {}): Promise<string> {
    const canonical = normaliseImageName(name);
    applyChanges(EMPTY_IMAGE_CONFIG, o.changes ?? []); // refuse bad changes before unpacking anything
    const st = await stat(tarballPath).catch(() => undefined);
    if (!st?.isFile()) {
      throw new InvalidArgumentError(
        `image tarball ${tarballPath} does not exist or is not a file`,
        'tarballPath',
      );
    }
    let members: string[];
    try {
      members = await listTar(tarballPath);
    } catch (err) {
      throw new InvalidArgumentError(`image tarball ${tarballPath} is not a tar archive`, 'tarballPath', {
        cause: err,
      });
    }
    await mkdir(this.root, { recursive: true });
    const tmp = join(this.root, `${TMP_PREFIX}${randomBytes(6).toString('hex')}`);
    const rootfs = join(tmp, 'rootfs');
    try {
      await mkdir(rootfs, { recursive: true, mode: 0o755 });
      let config = EMPTY_IMAGE_CONFIG;
      if (members.some((m) => m === 'manifest.json' || m === './manifest.json')) {
        const archive = join(tmp, 'archive');
        await mkdir(archive);
        await extractTar(tarballPath, archive);
        for (const layer of await readManifestLayers(archive, tarballPath)) {
          await applyLayer(join(archive, layer), rootfs);
        }
        config = await readSavedConfig(archive);
        await rm(archive, { recursive: true, force: true });
      } else {
        await extractTar(tarballPath, rootfs);
      }
      const meta: ImageJson = {
        name: canonical,
        importedAt: new Date().toISOString(),
        config: applyChanges(config, o.changes ?? []),
      };
      await writeFile(join(tmp, 'image.json'), JSON.stringify(meta));
      await this.swapIn(tmp, join(this.root, safeDirName(canonical)));
      return canonical;
    } catch (err) {
      await rm(tmp, { recursive: true, force: true });
      throw err;
    }
  }

  /** Renames `tmp` to `dest`, moving an older `dest` aside first and deleting it afterwards. */
  private async swapIn(tmp: string, dest: string): Promise<void> {
    const old = `${tmp}-old`;
    const hadOld = await rename(dest, old).then(
      () => true,
      () => false,
    );
    await rename(tmp, dest);
    if (hadOld) await rm(old, { recursive: true, force: true });
  }

  /** The rootfs directory of an imported image, or undefined (also for names that are not valid). */
  async get(name: string): Promise<string | undefined> {
    let canonical: string;
    try {
      canonical = normaliseImageName(name);
    } catch {
      return undefined;
    }
    const rootfs = join(this.root, safeDirName(canonical), 'rootfs');
    const st = await stat(rootfs).catch(() => undefined);
    return st?.isDirectory() ? rootfs : undefined;
  }

  /** The run configuration of an imported image (entrypoint, cmd, env, workdir), or undefined. */
  async config(name: string): Promise<ImageConfig | undefined> {
    const rootfs = await this.get(name);
    if (!rootfs) return undefined;
    try {
      const meta = JSON.parse(await readFile(join(rootfs, '..', 'image.json'), 'utf8')) as ImageJson;
      return meta.config ?? EMPTY_IMAGE_CONFIG;
    } catch {
      return EMPTY_IMAGE_CONFIG;
    }
  }

  /** Every imported image, by name. */
  async list(): Promise<ImageInfo[]> {
    const dirs = await readdir(this.root).catch(() => [] as string[]);
    const out: ImageInfo[] = [];
    for (const d of dirs) {
      if (d.startsWith(TMP_PREFIX)) continue;
      try {
        const meta = JSON.parse(await readFile(join(this.root, d, 'image.json'), 'utf8')) as ImageJson;
        out.push({
          name: meta.name,
          rootfs: join(this.root, d, 'rootfs'),
          importedAt: new Date(meta.importedAt),
        });
      } catch {
        // not an image directory (or one being replaced): skip
      }
    }
    return out.sort((a, b) => a.name.localeCompare(b.name));
  }

  /**
   * Deletes an imported image. Tasks already running in it keep their open files but lose the rest.
   * @throws NotFoundError when no image has that name.
   */
  async remove(name: string): Promise<void> {
    const canonical = normaliseImageName(name);
    const dir = join(this.root, safeDirName(canonical));
    const aside = join(this.root, `${TMP_PREFIX}${randomBytes(6).toString('hex')}-removed`);
    try {
      await rename(dir, aside);
    } catch {
      throw new NotFoundError(`image ${canonical} not found`);
    }
    await rm(aside, { recursive: true, force: true });
  }
}
