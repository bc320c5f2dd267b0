/**
 * Errors of the linearizability checker. These are thrown for malformed input only — a broken history
 * is a bug in the caller, never a verdict; non-linearizable histories are reported as `illegal`.
 */
export type LinErrorCode = 'InvalidOperation' | 'InvalidOption';

export class LinError extends Error {
  constructor(
    readonly code: LinErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'LinError';
  }
}

/** An operation has a bad timestamp (NaN, infinite call, return before call) or a malformed input. */
export class InvalidOperationError extends LinError {
  constructor(
    /** The operation's position in the history as given. */
    readonly index: number,
    readonly field: string,
    readonly value: unknown,
    reason: string,
  ) {
    super('InvalidOperation', `lin: operation ${index}: ${field} = ${String(value)} ${reason}`);
  }
}

/** A checker option is out of range. */
export class InvalidOptionError extends LinError {
  constructor(
    readonly field: string,
    readonly value: unknown,
    reason: string,
  ) {
    super('InvalidOption', `lin: option ${field} = ${String(value)} ${reason}`);
  }
}
