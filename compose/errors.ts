/**
 * Errors of the compose layer. Every one names the file it concerns (when one is known), the path
 * inside the document in dotted form (`services.web.deploy.replicas`) and the problem, so a user can
 * go straight to the line. All are `InvalidArgument` in Shoal's hierarchy: a bad compose file is a bad
 * request, never retryable.
 */
import { ShoalError } from '../proto/shared/errors.ts';

/** What went wrong, for callers that branch on it. */
export type ComposeErrorKind = 'yaml' | 'interpolation' | 'schema' | 'forbidden' | 'reference' | 'value';

/** Where and what: the common fields of every compose error. */
export interface ComposeErrorContext {
  /** The file the problem is in, as given to the loader; `undefined` once files are merged. */
  readonly file?: string | undefined;
  /** Dotted path inside the document (`services.web.ports.0`); `''` for the whole document. */
  readonly path: string;
  /** The problem, without the file and path (`must be integer`). */
  readonly problem: string;
}

/** Base of the compose errors; the message is `file: path: problem`. */
export abstract class ComposeError extends ShoalError implements ComposeErrorContext {
  readonly code = 'InvalidArgument';
  abstract readonly kind: ComposeErrorKind;
  readonly file: string | undefined;
  readonly path: string;
  readonly problem: string;

  constructor(context: ComposeErrorContext, options?: ErrorOptions) {
    super(formatMessage(context), options);
    this.file = context.file;
    this.path = context.path;
    this.problem = context.problem;
  }
}

function formatMessage(c: ComposeErrorContext): string {
  const where = [c.file, c.path].filter((s) => s !== undefined && s !== '').join(': ');
  return where === '' ? c.problem : `${where}: ${c.problem}`;
}

/** Thrown when a file is not well-formed YAML, or its top level is not a mapping. */
export class ComposeYamlError extends ComposeError {
  readonly kind = 'yaml';
}

/**
 * Thrown when `${VAR:?msg}` / `${VAR?msg}` finds VAR unset (or empty, for `:?`), or a `$` expression
 * is malformed (`${`); docker's wording is kept in `problem`.
 */
export class ComposeInterpolationError extends ComposeError {
  readonly kind = 'interpolation';
}

/** Thrown when a file does not match the Compose Specification's JSON schema. */
export class ComposeSchemaError extends ComposeError {
  readonly kind = 'schema';
}

/**
 * Thrown for keys docker's stack deploy refuses outright (`extends`, `volumes_from`, `mem_limit`, …);
 * `problem` carries docker's advice.
 */
export class ComposeForbiddenError extends ComposeError {
  readonly kind = 'forbidden';
}

/** Thrown when a service names a network, volume, secret or config the project does not define. */
export class ComposeReferenceError extends ComposeError {
  readonly kind = 'reference';
}

/** Thrown when a value passes the schema but cannot be converted (`"12x"` as a duration, bad cpus). */
export class ComposeValueError extends ComposeError {
  readonly kind = 'value';
}
