/**
 * Errors of the overlay data plane. Every failed kernel request surfaces as a {@link NetlinkError}
 * whose `code` is the errno name (`EEXIST`, `ENOENT`, `ENODEV`, `EPERM`, …) and whose message names the
 * operation, the interface and the namespace, so a log line alone says what went wrong where.
 */

/** A netlink request (or a namespace syscall) was refused by the kernel. */
export class NetlinkError extends Error {
  /** True for errno values where repeating the same request later may succeed. */
  readonly retryable: boolean;

  /**
   * @param code the errno name, e.g. `EEXIST`
   * @param op what was attempted, e.g. `addVxlan`
   * @param target the interface (or address, neighbour) the request was about
   * @param netns the namespace path of the handle that sent it
   */
  constructor(
    readonly code: string,
    readonly op: string,
    readonly target: string,
    readonly netns: string,
    options?: ErrorOptions,
  ) {
    super(`${op} ${target} in ${netns}: ${code}`, options);
    this.name = 'NetlinkError';
    this.retryable = code === 'EBUSY' || code === 'EAGAIN' || code === 'ENOBUFS' || code === 'ETIMEDOUT';
  }
}

/**
 * The native addon (native/netns) is not built, so sockets cannot be opened inside other network
 * namespaces. Thrown by the first call that needs it, never at import time.
 */
export class NativeAddonMissingError extends Error {
  readonly code = 'ENATIVEADDON';

  constructor(
    readonly path: string,
    options?: ErrorOptions,
  ) {
    super(
      `the shoal_netns native addon is not built (${path}); run \`npm run build:native\` ` +
        '(needs a C compiler, make and python3 for node-gyp) — overlay networking is unavailable until then',
      options,
    );
    this.name = 'NativeAddonMissingError';
  }
}

/** The errno name carried by an error from the netlink package, the addon or node itself. */
export function errnoOf(err: unknown): string {
  if (err instanceof Error) {
    const code = (err as { code?: unknown }).code;
    if (typeof code === 'string' && /^E[A-Z0-9]+$/.test(code)) return code;
    // The netlink package throws Error("Request rejected: EEXIST") with no code.
    const m = /Request rejected: (E[A-Z0-9]+|-?\d+)/.exec(err.message);
    if (m?.[1] !== undefined) return m[1];
    if (/time ?out/i.test(err.message)) return 'ETIMEDOUT';
  }
  return 'EUNKNOWN';
}
