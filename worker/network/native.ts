/**
 * Loads the shoal_netns addon (native/netns, built by `npm ci` through the `install` script) lazily,
 * so importing worker/network never fails; the first use throws {@link NativeAddonMissingError} when
 * the build is missing.
 */
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { NativeAddonMissingError } from './errors.ts';

/** The addon's entry points; see native/netns/netns.c. */
export interface NetnsAddon {
  /** Runs `fn` synchronously with this thread inside the namespace at `nsPath`, then switches back. */
  callIn<T>(nsPath: string, fn: () => T): T;
  /** Creates a namespace bind-mounted at `path`; false when `path` already holds one. */
  create(path: string): boolean;
  /** Unmounts and unlinks a namespace file; a missing file is fine. */
  remove(path: string): void;
  /**
   * An IPv4 socket made inside the namespace at `nsPath`, bound to `ip:port` (SO_REUSEADDR; port 0 =
   * any), not listening: its fd, for `net.Server.listen({ fd })`, `dgram.Socket.bind({ fd })` or
   * `new net.Socket({ fd }).connect(…)`.
   */
  socketIn(nsPath: string, type: 'tcp' | 'udp', ip: string, port: number): number;
  /** A TAP device `name` (no packet info) made inside the namespace: the fd of its queue (blocking). */
  tapIn(nsPath: string, name: string): number;
  /**
   * Reads `fd` (a TAP queue) on a thread of its own: `cb(frame, null)` per frame, then once
   * `cb(null, errno)` (0 at end of file) when reading stops — after the device is deleted. The caller
   * closes the fd after that last call.
   */
  readFrames(fd: number, cb: (frame: Buffer | null, errno: number | null) => void): void;
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
