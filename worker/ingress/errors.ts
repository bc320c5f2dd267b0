/** Thrown (reported via `onError`) when a published port cannot be bound, e.g. EADDRINUSE. */
export class PublishPortError extends Error {
  readonly code = 'INGRESS_PUBLISH_FAILED';
  constructor(
    readonly protocol: 'tcp' | 'udp',
    readonly publishedPort: number,
    override readonly cause: Error & { code?: string },
  ) {
    super(`cannot publish ${protocol} port ${publishedPort}: ${cause.code ?? cause.message}`);
  }
}
