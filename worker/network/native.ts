/**
 * Loads the shoal_netns addon (native/netns, built by `npm ci` through the `install` script) lazily,
 * so importing worker/network never fails; the first use throws {@link NativeAddonMissingError} when
 * the build is missing.
 */
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { NativeAddonMissingError } from './errors.ts';

/** The addon's three entry points; see native/netns/netns.c. */
export interface NetnsAddon {
  /** Runs `fn` synchronously with this thread inside the namespace at `nsPath`, then switches back. */
  callIn<T>(nsPath: string, fn: () => T): T;
  /** Creates a namespace bind-mounted at `path`; false when `path` already holds one. */
  create(path: string): boolean;
  /** Unmounts and unlinks a namespace file; a missing file is fine. */
  remove(path: string): void;
}

const ADDON_PATH = fileURLToPath(
  new URL('../../native/netns/build/Release/shoal_netns.node', import.meta.url),
);
let cached: NetnsAddon | undefined;

/** The addon, loaded on first use. @throws NativeAddonMissingError when it is not built. */
export function netnsAddon(): NetnsAddon {
  if (cached !== undefined) return cached;
  try {
    cached = createRequire(import.meta.url)(ADDON_PATH) as NetnsAddon;
  } catch (err) {
    throw new NativeAddonMissingError(ADDON_PATH, { cause: err });
  }
  return cached;
}

/** True when the addon can be loaded (tests use it to skip with a reason). */
export function netnsAddonAvailable(): boolean {
  try {
    netnsAddon();
    return true;
  } catch {
    return false;
  }
}
