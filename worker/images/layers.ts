/**
 * Applying a `docker save` archive's layers, in order, onto one directory: each layer's whiteouts
 * (`.wh.<name>` deletes `<name>` from the layers below, `.wh..wh..opq` empties its directory) are
 * applied first, then the layer's other members are extracted over the result.
 */
import { readFile, rm, readdir } from 'node:fs/promises';
import { join, posix, resolve, sep } from 'node:path';
import { InvalidArgumentError } from '../../proto/shared/errors.ts';
import { extractTar, listTar } from './tar.ts';

const WHITEOUT = '.wh.';
const OPAQUE = '.wh..wh..opq';

/** The layer paths (inside the archive) of the first image of a `docker save` manifest.json. */
export async function readManifestLayers(extracted: string, tarballPath: string): Promise<string[]> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readFile(join(extracted, 'manifest.json'), 'utf8'));
  } catch (err) {
    throw new InvalidArgumentError(`${tarballPath}: manifest.json is not valid JSON`, 'tarballPath', {
      cause: err,
    });
  }
  const first: unknown = Array.isArray(parsed) ? parsed[0] : undefined;
  const layers = (first as { Layers?: unknown } | undefined)?.Layers;
  if (!Array.isArray(layers) || !layers.every((l): l is string => typeof l === 'string')) {
    throw new InvalidArgumentError(`${tarballPath}: manifest.json has no Layers list`, 'tarballPath');
  }
  return layers;
}

/** `member` resolved inside `root`, or undefined when it would escape it. */
function inside(root: string, member: string): string | undefined {
  const abs = resolve(root, posix.normalize(`/${member}`).slice(1));
  return abs === root || abs.startsWith(root + sep) ? abs : undefined;
}

/** Applies one layer tarball onto `rootfs` (whiteouts first, then the rest). */
export async function applyLayer(layerTar: string, rootfs: string): Promise<void> {
  const root = resolve(rootfs);
  for (const member of await listTar(layerTar)) {
    const clean = member.replace(/\/+$/, '');
    const base = posix.basename(clean);
    if (!base.startsWith(WHITEOUT)) continue;
    const dir = inside(root, posix.dirname(clean));
    if (dir === undefined) continue;
    if (base === OPAQUE) {
      const entries = await readdir(dir).catch(() => [] as string[]);
      await Promise.all(entries.map((e) => rm(join(dir, e), { recursive: true, force: true })));
    } else {
      const victim = inside(root, posix.join(posix.dirname(clean), base.slice(WHITEOUT.length)));
      if (victim !== undefined && victim !== root) await rm(victim, { recursive: true, force: true });
    }
  }
  await extractTar(layerTar, root, [`${WHITEOUT}*`]);
}
