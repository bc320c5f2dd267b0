/**
 * The one set of protobuf loading options. The generated types in proto/gen/ are produced with the
 * same choices (proto/scripts/generate.ts passes the equivalent CLI flags), so runtime objects and
 * their TypeScript types agree: camelCase fields, 64-bit integers as numbers (every value Shoal
 * stores — nanosecond durations, raft indexes — stays below 2^53), enums as their names, bytes as
 * Buffers, defaults filled in (absent messages are null), and oneof names as virtual fields.
 */
export const protoLoaderOptions = Object.freeze({
  keepCase: false,
  longs: Number,
  enums: String,
  bytes: Buffer,
  defaults: true,
  oneofs: true,
  includeDirs: [] as string[],
});

/** The flags for `proto-loader-gen-types` that match {@link protoLoaderOptions}. */
export const genTypesFlags = Object.freeze([
  '--longs=Number',
  '--enums=String',
  '--defaults',
  '--oneofs',
  '--includeComments',
  '--grpcLib=@grpc/grpc-js',
]);
