/**
 * compose/: compose files to stack objects. Load with `loadComposeFiles` (reads files) or
 * `loadProject` (pure), then `convertStack`.
 */
export * from './errors.ts';
export { envLookup, interpolateString, type EnvLookup } from './interpolate.ts';
export { COMPOSE_DEFAULTS } from './defaults.ts';
export { loadComposeFiles, readObjectFile, type LoadFilesOptions } from './files.ts';
export {
  FORBIDDEN_PROPERTIES,
  loadProject,
  type ComposeProject,
  type ComposeSource,
  type LoadOptions,
} from './load.ts';
export { mergeDocuments } from './merge.ts';
export { parseBytes, parseDurationNs, parseNanoCpus } from './units.ts';
export {
  convertStack,
  type ConvertOptions,
  type ConvertedStack,
  type StackFileObject,
  type StackNetwork,
  type StackService,
} from './convert/stack.ts';
export { DEPRECATED_PROPERTIES, IGNORED_PROPERTIES, UNSUPPORTED_PROPERTIES } from './convert/warnings.ts';
